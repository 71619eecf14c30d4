#!/usr/bin/env python3
"""Writes a random-weight bf16 GGUF of one of bench's --synthetic shapes, for llama-bench beside glassbox bench.

    scripts/synthetic_gguf.py LLAMA_CPP_DIR SHAPE OUT.gguf [--type bf16|q8_0|q4_0] [--as-llama]
    LLAMA_CPP_DIR/build/bin/llama-quantize OUT.gguf OUT-q4_0.gguf Q4_0     (or Q8_0)

--type q8_0|q4_0 writes every matrix in that type directly (llama-quantize keeps the embedding or output at
Q6_K in a Q4_0 file, and needs the bf16 file on disk first). --as-llama writes the shape as the llama
architecture, without q/k norms, for llama.cpp builds older than their Qwen3 support (April 2025): the
same matrices, so the same bytes per token and almost the same FLOPs.

LLAMA_CPP_DIR is a llama.cpp checkout (its gguf-py is used; needs python3-numpy). llama.cpp is never part of
this repository. The shapes are bench's (src/model/synthetic.cpp); the vocabulary is placeholder tokens,
enough for llama-bench's random prompts. Weights are uniform in +-1/sqrt(width), like glassbox's.
The file is written tensor by tensor, a block of rows at a time, so memory stays at one block (about 64 MB)
whatever the shape: an 8B shape is 16 GB at bf16.
"""
import sys
import types

import numpy as np

# name: (gguf arch, hidden, intermediate, layers, heads, kv_heads, head_dim, vocab, rope_theta, eps, tied, qkv_bias, qk_norm)
SHAPES = {
    "smollm2-135m": ("llama", 576, 1536, 30, 9, 3, 64, 49152, 100000.0, 1e-5, True, False, False),
    "qwen2.5-0.5b": ("qwen2", 896, 4864, 24, 14, 2, 64, 151936, 1000000.0, 1e-6, True, True, False),
    "llama3.2-1b": ("llama", 2048, 8192, 16, 32, 8, 64, 128256, 500000.0, 1e-5, True, False, False),
    "llama3.2-3b": ("llama", 3072, 8192, 28, 24, 8, 128, 128256, 500000.0, 1e-5, True, False, False),
    "qwen3-8b": ("qwen3", 4096, 12288, 36, 32, 8, 128, 151936, 1000000.0, 1e-6, False, False, True),
}

BLOCK_VALUES = 16 << 20  # f32 values generated at once: 64 MB


def tensor_plan(shape: str) -> list:
    """(name, shape, scale, offset) of every tensor, in file order; 2-D tensors are bf16, the rest f32."""
    _, hidden, inter, layers, heads, kv_heads, head_dim, vocab, _, _, tied, qkv_bias, qk_norm = SHAPES[shape]
    q_width, kv_width = heads * head_dim, kv_heads * head_dim
    plan = [("token_embd.weight", (vocab, hidden), 1.0, 0.0)]
    for layer in range(layers):
        p = f"blk.{layer}."
        plan += [(p + "attn_norm.weight", (hidden,), 0.0, 1.0), (p + "ffn_norm.weight", (hidden,), 0.0, 1.0),
                 (p + "attn_q.weight", (q_width, hidden), hidden ** -0.5, 0.0),
                 (p + "attn_k.weight", (kv_width, hidden), hidden ** -0.5, 0.0),
                 (p + "attn_v.weight", (kv_width, hidden), hidden ** -0.5, 0.0),
                 (p + "attn_output.weight", (hidden, q_width), q_width ** -0.5, 0.0)]
        if qkv_bias:
            plan += [(p + "attn_q.bias", (q_width,), 0.1, 0.0), (p + "attn_k.bias", (kv_width,), 0.1, 0.0),
                     (p + "attn_v.bias", (kv_width,), 0.1, 0.0)]
        if qk_norm:
            plan += [(p + "attn_q_norm.weight", (head_dim,), 0.0, 1.0), (p + "attn_k_norm.weight", (head_dim,), 0.0, 1.0)]
        plan += [(p + "ffn_gate.weight", (inter, hidden), hidden ** -0.5, 0.0),
                 (p + "ffn_up.weight", (inter, hidden), hidden ** -0.5, 0.0),
                 (p + "ffn_down.weight", (hidden, inter), inter ** -0.5, 0.0)]
    plan.append(("output_norm.weight", (hidden,), 0.0, 1.0))
    if not tied:
        plan.append(("output.weight", (vocab, hidden), hidden ** -0.5, 0.0))
    return plan


def placeholder_vocabulary(size: int) -> list:
    """GPT-2's 256 byte-level symbols (llama.cpp tokenizes "\\n" while loading), one merge, then placeholders."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("\u00a1"), ord("\u00ac") + 1), *range(ord("\u00ae"), ord("\u00ff") + 1)]
    extra = iter(range(256, 512))
    symbols = [chr(b) if b in printable else chr(next(extra)) for b in range(256)]
    return symbols + ["\u0120t"] + [f"<t{i}>" for i in range(257, size)]


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    llama_dir, shape, out = sys.argv[1:4]
    options = sys.argv[4:]
    as_llama = "--as-llama" in options
    matrix_type = options[options.index("--type") + 1] if "--type" in options else "bf16"
    sys.path.insert(0, f"{llama_dir}/gguf-py")
    try:
        import sentencepiece  # noqa: F401  (gguf-py imports it; writing a GGUF does not use it)
    except ImportError:
        sys.modules["sentencepiece"] = types.ModuleType("sentencepiece")
        sys.modules["sentencepiece"].SentencePieceProcessor = None
    import gguf

    arch, hidden, inter, layers, heads, kv_heads, head_dim, vocab, theta, eps, tied, qkv_bias, qk_norm = SHAPES[shape]
    if as_llama:
        arch = "llama"
    qtype, file_type = {"bf16": (gguf.GGMLQuantizationType.BF16, gguf.LlamaFileType.MOSTLY_BF16),
                        "q8_0": (gguf.GGMLQuantizationType.Q8_0, gguf.LlamaFileType.MOSTLY_Q8_0),
                        "q4_0": (gguf.GGMLQuantizationType.Q4_0, gguf.LlamaFileType.MOSTLY_Q4_0)}[matrix_type]
    block_size, block_bytes = gguf.GGML_QUANT_SIZES[qtype]
    w = gguf.GGUFWriter(out, arch)
    w.add_name(f"{shape} (synthetic)")
    w.add_context_length(8192)
    w.add_embedding_length(hidden)
    w.add_block_count(layers)
    w.add_feed_forward_length(inter)
    w.add_head_count(heads)
    w.add_head_count_kv(kv_heads)
    w.add_key_length(head_dim)
    w.add_value_length(head_dim)
    w.add_rope_dimension_count(head_dim)
    w.add_rope_freq_base(theta)
    w.add_layer_norm_rms_eps(eps)
    w.add_vocab_size(vocab)
    w.add_file_type(file_type)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(placeholder_vocabulary(vocab))
    w.add_token_types([gguf.TokenType.NORMAL] * vocab)
    w.add_token_merges(["\u0120 t"])  # llama.cpp refuses a BPE vocabulary without merges
    w.add_bos_token_id(0)
    w.add_eos_token_id(1)

    # Norms and biases stay f32, as llama.cpp's converter keeps them; matrices are of the chosen type.
    plan = [t for t in tensor_plan(shape) if not (as_llama and t[0].endswith(("attn_q_norm.weight", "attn_k_norm.weight")))]

    def nbytes(dims: tuple) -> int:
        return int(np.prod(dims)) // block_size * block_bytes if len(dims) == 2 else int(np.prod(dims)) * 4

    for name, dims, _, _ in plan:
        w.add_tensor_info(name, dims, np.dtype(np.float32), nbytes(dims),
                          raw_dtype=qtype if len(dims) == 2 else gguf.GGMLQuantizationType.F32)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    fout = w.fout[0]

    rng = np.random.default_rng(0x5EED)
    for name, dims, scale, offset in plan:
        w.write_padding(fout, fout.tell())
        rows = dims[0] if len(dims) == 2 else 1
        width = int(np.prod(dims)) // rows
        step = max(1, BLOCK_VALUES // width)
        for start in range(0, rows, step):
            n = min(step, rows - start)
            block = rng.random((n, width), dtype=np.float32)
            block = offset + (block * np.float32(2 * scale) - np.float32(scale))
            if len(dims) == 2:
                gguf.quants.quantize(block, qtype).tofile(fout)
            else:
                block.astype(np.float32).tofile(fout)
        w.write_padding(fout, nbytes(dims))
    w.close()


if __name__ == "__main__":
    main()
