#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora under tests/fuzz/corpus/ from the files in ../shared (and the demo model).

Each seed is small (a few KB): real files are cut down to the parts a fuzzer mutates. Run from anywhere:
    python3 tests/fuzz/make_corpus.py [SHARED_DIR]
"""
import glob
import hashlib
import json
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("GLASSBOX_SHARED", os.path.join(ROOT, "..", "shared"))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
DTYPE_SIZE = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "U32": 4, "U8": 1}


def save(fuzzer, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    os.makedirs(os.path.join(OUT, fuzzer), exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(OUT, fuzzer, name), "wb") as f:
        f.write(data)


def safetensors_bytes(header, data):
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def shrunk_checkpoint(path):
    """The checkpoint's header with every dimension cut to at most 2, and data to match."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    out, data = {}, b""
    for name, t in sorted(header.items()):
        if name == "__metadata__":
            out[name] = t
            continue
        shape = [min(d, 2) for d in t["shape"]]
        count = 1
        for d in shape:
            count *= d
        size = count * DTYPE_SIZE[t["dtype"]]
        out[name] = {"dtype": t["dtype"], "shape": shape, "data_offsets": [len(data), len(data) + size]}
        data += bytes((i * 37 + 11) % 251 for i in range(size))
    return safetensors_bytes(out, data)


def safetensors_seeds():
    for path in sorted(glob.glob(os.path.join(SHARED, "fixtures/tiny/*/model*.safetensors")))[:12]:
        save("safetensors", shrunk_checkpoint(path))
    # Layouts the format allows: every dtype, metadata, an empty tensor sharing an offset, no tensors at all.
    header = {"__metadata__": {"format": "pt"}}
    data = b""
    for dtype, size in DTYPE_SIZE.items():
        header["t_" + dtype.lower()] = {"dtype": dtype, "shape": [2, 1], "data_offsets": [len(data), len(data) + 2 * size]}
        data += bytes(range(2 * size))
    header["empty"] = {"dtype": "F32", "shape": [0, 4], "data_offsets": [0, 0]}
    save("safetensors", safetensors_bytes(header, data))
    save("safetensors", safetensors_bytes({}, b""))


def shard_index_seeds():
    # Names the fuzzer's folder holds (see shard_index_fuzz.cpp), and names that must be refused.
    for files in (["a.safetensors"], ["a.safetensors", "sub/b.safetensors"], ["link.safetensors"],
                  ["../outside.safetensors"], ["up/outside.safetensors"], ["fifo.safetensors"],
                  ["/etc/passwd"], ["sub/../a.safetensors"], ["missing.safetensors"], ["sub"]):
        index = {"metadata": {"total_size": 8}, "weight_map": {f"t{i}": f for i, f in enumerate(files)}}
        save("shard_index", json.dumps(index, indent=2))
    with open(os.path.join(SHARED, "fixtures/tiny/tiny-qwen2/model.safetensors.index.json")) as f:
        real = json.load(f)
    names = ["a.safetensors", "sub/b.safetensors"]
    real["weight_map"] = {k: names[i % 2] for i, k in enumerate(sorted(real["weight_map"])[:6])}
    save("shard_index", json.dumps(real, indent=2))


def config_seeds():
    paths = glob.glob(os.path.join(SHARED, "fixtures/tiny/*/config.json"))
    paths += [os.path.join(SHARED, "models/stories260K/config.json"), os.path.join(ROOT, "models/glassbox-demo/config.json")]
    for path in sorted(paths):
        with open(path, "rb") as f:
            save("config", f.read())
    quantized = json.load(open(os.path.join(ROOT, "models/glassbox-demo/config.json")))
    quantized["quantization"] = {"group_size": 64, "bits": 4, "model.embed_tokens": False}
    save("config", json.dumps(quantized, indent=2))


def small_tokenizer(path, keep=300):
    """tokenizer.json with every component as published, the vocabulary cut to its first `keep` ids plus the
    byte-fallback tokens, merges that only use those, and added tokens renumbered to follow the vocabulary."""
    with open(path) as f:
        t = json.load(f)
    model = t["model"]
    vocab = {p: i for p, i in model["vocab"].items() if i < keep or (p.startswith("<0x") and len(p) == 6)}
    ids = {i: n for n, i in enumerate(sorted(vocab.values()))}
    vocab = {p: ids[i] for p, i in vocab.items()}
    merges = []
    for m in model["merges"]:
        a, b = m.split(" ", 1) if isinstance(m, str) else m
        if a in vocab and b in vocab and a + b in vocab:
            merges.append(m)
    model["vocab"], model["merges"] = vocab, merges[:400]
    if model.get("unk_token") and model["unk_token"] not in vocab:
        model["unk_token"] = None
    renumber = {}
    for n, a in enumerate(t.get("added_tokens") or []):
        renumber[a["id"]] = len(vocab) + n
        a["id"] = renumber[a["id"]]
    t["added_tokens"] = (t.get("added_tokens") or [])[:40]

    def fix_ids(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "ids" and isinstance(v, list):
                    node[k] = [renumber.get(i, i % len(vocab)) for i in v]
                else:
                    fix_ids(v)
        elif isinstance(node, list):
            for v in node:
                fix_ids(v)
    fix_ids(t.get("post_processor"))
    return json.dumps(t, ensure_ascii=False)


def tokenizer_seeds():
    paths = sorted(glob.glob(os.path.join(SHARED, "tokenizers/*/tokenizer.json")))
    paths += [os.path.join(SHARED, "models/stories260K/tokenizer.json"), os.path.join(ROOT, "models/glassbox-demo/tokenizer.json")]
    for path in paths:
        save("tokenizer", small_tokenizer(path))
        save("tokenizer", small_tokenizer(path, keep=40))


def prompt_seeds():
    texts = []
    with open(os.path.join(SHARED, "fixtures/tokenizer/corpus.jsonl")) as f:
        for line in f:
            texts.append(json.loads(line)["text"].encode())
    texts = [t for t in texts if len(t) <= 300]
    for selector in range(5):  # one per tokenizer of prompt_roundtrip_fuzz.cpp
        for t in texts[selector::5]:
            save("prompt_roundtrip", bytes([selector]) + t)


def jinja_seeds():
    for path in sorted(glob.glob(os.path.join(SHARED, "fixtures/chat-templates/templates/*.jinja"))):
        with open(path, "rb") as f:
            save("jinja", f.read())


if __name__ == "__main__":
    safetensors_seeds()
    shard_index_seeds()
    config_seeds()
    tokenizer_seeds()
    prompt_seeds()
    jinja_seeds()
