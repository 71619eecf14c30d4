#!/usr/bin/env python3
"""Rebuilds the demo model's text corpus, bit for bit, from Debian packages.

Run as root on Debian 12 (it calls `apt-get download`, which needs no install):
    python3 training/build_corpus.py            # writes training/build/corpus/
The package versions are pinned in training/corpus_packages.txt, so a rebuild reads the same bytes; the
sha256 of every output file is printed and written to manifest.json for comparison with docs/demo-model.md.

Output: training/build/corpus/{train,heldout}/<source>.txt, one document per block, documents separated by a
blank line (no document contains one). A document is a Bible chapter, a dictionary entry, a WordNet synset
or a fortune cookie. Markup is stripped, exact duplicates are dropped (first occurrence kept, sources in the
order below), and a document is held out when its sha256 falls in 1 of 50 buckets (2%), which keeps the
split stable however the documents are ordered.
"""
import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD = HERE / "build"
DEBS = BUILD / "debs"
ROOT = BUILD / "root"
CORPUS = BUILD / "corpus"
HELDOUT_BUCKETS = 50  # 1 in 50 documents = 2% held out


def pinned_packages():
    pins = []
    for line in (HERE / "corpus_packages.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("=", 1)
            pins.append((name, version))
    return pins


def fetch_and_unpack(pins):
    DEBS.mkdir(parents=True, exist_ok=True)
    ROOT.mkdir(parents=True, exist_ok=True)
    for name, version in pins:
        if not list(DEBS.glob(f"{name}_*.deb")):
            subprocess.run(["apt-get", "download", f"{name}={version}"], cwd=DEBS, check=True)
    for deb in sorted(DEBS.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(ROOT)], check=True)


def paragraphs_to_doc(text):
    """Joins each paragraph's wrapped lines into one line; paragraphs become lines of the document."""
    paras = []
    for para in re.split(r"\n\s*\n", text):
        line = " ".join(para.split())
        if line:
            paras.append(line)
    return "\n".join(paras)


# ---------------------------------------------------------------- Bible (King James Version)

def bible_docs():
    out = subprocess.run([str(ROOT / "usr/bin/bible"), "-p", str(ROOT / "usr/lib"), "-l", "100000",
                          "gen1:1-rev22:21"], check=True, capture_output=True).stdout.decode("utf-8")
    docs, current = [], []
    for line in out.splitlines():
        line = line.strip()
        if not line:
            continue
        if re.fullmatch(r"(?:[123] )?[A-Z][A-Za-z ]+ \d+", line):  # "Genesis 1", "1 Kings 2": a new chapter
            if current:
                docs.append("\n".join(current))
            current = [line]
        else:
            current.append(line)
    if current:
        docs.append("\n".join(current))
    return docs


# ---------------------------------------------------------------- dictd databases

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def dictd_number(s):
    n = 0
    for ch in s:
        n = n * 64 + B64.index(ch)
    return n


def dictd_entries(name):
    """Raw entry texts of a dictd database in file order, each once, without the 00-database headers."""
    data = gzip.decompress((ROOT / f"usr/share/dictd/{name}.dict.dz").read_bytes())
    spans = set()
    for line in (ROOT / f"usr/share/dictd/{name}.index").read_text(encoding="utf-8").splitlines():
        head, off, size = line.split("\t")[:3]
        if head.startswith("00database") or head.startswith("00-database"):
            continue
        spans.add((dictd_number(off), dictd_number(size)))
    return [data[o:o + n].decode("utf-8", errors="replace") for o, n in sorted(spans)]


def strip_braces(text):
    return text.replace("{", "").replace("}", "")


def devil_docs():
    return [paragraphs_to_doc(strip_braces(e)) for e in dictd_entries("devil")]


def jargon_docs():
    return [paragraphs_to_doc(strip_braces(e)) for e in dictd_entries("jargon")]


def foldoc_docs():
    docs = []
    for e in dictd_entries("foldoc"):
        e = re.sub(r"^\s*\(\d{4}-\d{2}-\d{2}\)\s*$", "", e, flags=re.M)   # revision dates
        e = re.sub(r"^\s*\{?\(?(https?|ftp)://\S*\s*$", "", e, flags=re.M)  # bare URL lines
        e = re.sub(r"<[^<>\n]{1,80}>\s*", "", e)                            # subject tags: <programming>
        docs.append(paragraphs_to_doc(strip_braces(e)))
    return docs


GCIDE_SOURCE = re.compile(r"\[(?:1913 Webster|Webster 1913|WordNet|PJC|Century|Chambers|Rees|Moby)[^\]\n]*\]")
GCIDE_ACCENT = re.compile(r"\[[\"'=.~^\-]*([A-Za-z]{1,2})[\"'=.~^\-]*\]")  # [=a] [e^] ["o] -> the letters


def gcide_docs():
    docs = []
    for e in dictd_entries("gcide"):
        e = GCIDE_SOURCE.sub("", e)
        e = re.sub(r"\\[^\\\n]*\\", "", e)  # pronunciation/spelling marks: \Feel"er\
        e = GCIDE_ACCENT.sub(r"\1", e)
        e = re.sub(r" +([,;.])", r"\1", e)
        docs.append(paragraphs_to_doc(strip_braces(e)))
    return docs


# ---------------------------------------------------------------- WordNet glosses

POS = {"noun": "noun", "verb": "verb", "adj": "adjective", "adv": "adverb"}


def wordnet_docs():
    docs = []
    for part, pos in POS.items():
        for line in (ROOT / f"usr/share/wordnet/data.{part}").read_text(encoding="utf-8").splitlines():
            if line.startswith("  "):  # license header
                continue
            fields, gloss = line.split(" | ", 1)
            f = fields.split()
            count = int(f[3], 16)
            words = [re.sub(r"\([a-z]+\)$", "", f[4 + 2 * i]).replace("_", " ") for i in range(count)]
            docs.append(f"{', '.join(words)} ({pos}): {' '.join(gloss.split())}")
    return docs


# ---------------------------------------------------------------- fortune cookies

def fortune_docs():
    docs = []
    folder = ROOT / "usr/share/games/fortunes"
    for path in sorted(folder.iterdir()):
        if path.suffix in (".dat", ".u8") or path.name == "ascii-art" or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for cookie in re.split(r"^%$", text, flags=re.M):
            lines = [" ".join(l.split()) for l in cookie.splitlines()]
            docs.append("\n".join(l for l in lines if l))
    return docs


SOURCES = [  # (name, package, extractor); order decides which copy of a duplicate is kept
    ("bible-kjv", "bible-kjv-text", bible_docs),
    ("devil", "dict-devil", devil_docs),
    ("jargon", "dict-jargon", jargon_docs),
    ("foldoc", "dict-foldoc", foldoc_docs),
    ("gcide", "dict-gcide", gcide_docs),
    ("wordnet", "wordnet-base", wordnet_docs),
    ("fortunes", "fortunes", fortune_docs),
]


def is_heldout(doc):
    return int(hashlib.sha256(doc.encode("utf-8")).hexdigest()[:8], 16) % HELDOUT_BUCKETS == 0


def main():
    pins = pinned_packages()
    fetch_and_unpack(pins)
    seen = set()
    manifest = {"packages": {n: v for n, v in pins}, "heldout_fraction": 1 / HELDOUT_BUCKETS, "sources": {}}
    for split in ("train", "heldout"):
        (CORPUS / split).mkdir(parents=True, exist_ok=True)
    for name, package, extract in SOURCES:
        splits = {"train": [], "heldout": []}
        dropped = 0
        for doc in extract():
            if len(doc) < 8 or doc in seen:
                dropped += 1
                continue
            seen.add(doc)
            splits["heldout" if is_heldout(doc) else "train"].append(doc)
        entry = {"package": package, "version": dict(pins)[package], "duplicates_or_empty_dropped": dropped}
        for split, docs in splits.items():
            data = ("\n\n".join(docs) + "\n").encode("utf-8")
            path = CORPUS / split / f"{name}.txt"
            path.write_bytes(data)
            entry[split] = {"documents": len(docs), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            print(f"{hashlib.sha256(data).hexdigest()}  {path.relative_to(BUILD)}  ({len(docs)} docs, {len(data)} bytes)")
        manifest["sources"][name] = entry
    (CORPUS / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
