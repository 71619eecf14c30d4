#!/usr/bin/env python3
"""Re-renders every docs figure and refreshes the real output in each docs/lessons page.

    scripts/docs.py            (after scripts/build.sh; uses the default model)
    scripts/docs.py 13 14      (only those lessons' pages)

For each docs/lessons/NN-name.md it runs build/lessons/NN_name with --out docs/lessons/figures/NN_name and
replaces the text between <!-- output --> and <!-- /output --> with what the lesson printed.
"""
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parent.parent
only = set(sys.argv[1:])
for page in sorted((root / "docs" / "lessons").glob("[0-9][0-9]-*.md")):
    if only and page.name[:2] not in only:
        continue
    name = page.stem.replace("-", "_")
    exe = root / "build" / "lessons" / name
    out_dir = root / "docs" / "lessons" / "figures" / name
    result = subprocess.run([str(exe), "--out", str(out_dir.relative_to(root))], cwd=root,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{name} failed: {result.stderr.strip()}")
    text = page.read_text()
    block = "<!-- output -->\n```text\n" + result.stdout.strip() + "\n```\n<!-- /output -->"
    page.write_text(re.sub(r"<!-- output -->.*?<!-- /output -->", lambda _: block, text, flags=re.S))
    print(f"{page.relative_to(root)}: {len(result.stdout.splitlines())} lines, figures in {out_dir.relative_to(root)}")
