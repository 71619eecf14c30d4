#!/usr/bin/env python3
"""Trains the glassbox demo model: a byte-level BPE tokenizer, then a small Llama, from the Debian corpus.

Runs on one CUDA GPU with PyTorch, transformers and tokenizers:
    python3 training/train_demo.py --corpus training/build/corpus --out OUT [--steps 2200] [--seed 1234]
The shipped model used the defaults. 2200 steps (144 M tokens, about 8.5 passes over the 17 M-token
training split) is where held-out loss stopped improving in a longer first run; past it the model memorizes.
With --steps 0 the first 50 steps are timed and the step count is fixed so that training fills --minutes.
Seeded, but GPU kernels are not bit-deterministic, so a rerun's losses agree closely rather than exactly.
Writes the Hugging Face checkpoint (bf16 safetensors, config, generation config, tokenizer) to OUT.
"""
import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM

from demo_data import CHAT_TEMPLATE, EOT, IM_END, SPECIAL_TOKENS, SOURCES, read_documents, training_texts

CALIBRATION_STEPS = 50


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--steps", type=int, default=2200, help="total optimizer steps; 0: fill --minutes")
    p.add_argument("--minutes", type=float, default=6.0)
    p.add_argument("--vocab", type=int, default=8192)
    p.add_argument("--hidden", type=int, default=384)
    p.add_argument("--intermediate", type=int, default=896)
    p.add_argument("--layers", type=int, default=8)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--kv-heads", type=int, default=2)
    p.add_argument("--seq", type=int, default=512)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=300)
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--smoke", action="store_true", help="tiny tokenizer corpus and model, 20 steps: checks the pipeline")
    return p.parse_args()


def train_tokenizer(args, out):
    tok = Tokenizer(models.BPE())
    # GPT-2 style byte-level BPE with single digits (as SmolLM2): no unknown tokens, numbers split evenly.
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=args.vocab, min_frequency=2, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    docs = [d for s in SOURCES for d in read_documents(args.corpus, "train", s)]
    if args.smoke:
        docs = docs[::20]
    tok.train_from_iterator(docs, trainer=trainer)
    tok.save(str(out / "tokenizer.json"))
    added = {str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                      "single_word": False, "special": True} for i, t in enumerate(SPECIAL_TOKENS)}
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "added_tokens_decoder": added,
              "bos_token": None, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>", "unk_token": None,
              "add_bos_token": False, "add_eos_token": False, "clean_up_tokenization_spaces": False,
              "model_max_length": args.seq * 2, "chat_template": CHAT_TEMPLATE}
    (out / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n")
    return tok


def encode(tok, corpus, split, smoke):
    """The split as one token stream: every document followed by <|endoftext|>."""
    pairs = list(training_texts(corpus, split))
    if smoke:
        pairs = pairs[::50]
    encodings = tok.encode_batch([t for _, t in pairs])
    per_source = {}
    chunks = []
    for (source, _), enc in zip(pairs, encodings):
        ids = enc.ids + [EOT]
        per_source[source] = per_source.get(source, 0) + len(ids)
        chunks.append(np.asarray(ids, dtype=np.int32))
    return np.concatenate(chunks), per_source


def build_model(args):
    config = LlamaConfig(
        vocab_size=args.vocab, hidden_size=args.hidden, intermediate_size=args.intermediate,
        num_hidden_layers=args.layers, num_attention_heads=args.heads, num_key_value_heads=args.kv_heads,
        head_dim=args.hidden // args.heads, max_position_embeddings=args.seq * 2, rms_norm_eps=1e-5,
        rope_theta=10000.0, tie_word_embeddings=True, hidden_act="silu", attention_bias=False, mlp_bias=False,
        bos_token_id=EOT, eos_token_id=[IM_END, EOT], pad_token_id=EOT, initializer_range=0.02)
    model = LlamaForCausalLM(config)
    model.config._attn_implementation = "sdpa"
    return model


def lr_at(step, total, args):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = (step - args.warmup) / max(1, total - args.warmup)
    return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def windows(stream, seq):
    """Non-overlapping windows of seq+1 tokens covering the stream (the last partial one dropped)."""
    n = (len(stream) - 1) // seq
    return torch.stack([stream[i * seq: i * seq + seq + 1] for i in range(n)])


@torch.no_grad()
def mean_loss(model, rows, batch):
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(rows), batch):
        chunk = rows[i:i + batch].long()
        with torch.autocast("cuda", dtype=torch.bfloat16):
            logits = model(input_ids=chunk[:, :-1]).logits
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), chunk[:, 1:].reshape(-1), reduction="sum")
        total += loss.item()
        count += chunk[:, 1:].numel()
    model.train()
    return total / count


def save_checkpoint(model, out, args):
    model = model.to(torch.bfloat16)
    model.save_pretrained(out, safe_serialization=True)
    cfg = json.loads((out / "config.json").read_text())
    cfg["torch_dtype"] = "bfloat16"
    cfg["dtype"] = "bfloat16"
    (out / "config.json").write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")
    gen = {"bos_token_id": EOT, "eos_token_id": [IM_END, EOT], "pad_token_id": EOT, "do_sample": False,
           "max_new_tokens": 64}
    (out / "generation_config.json").write_text(json.dumps(gen, indent=2) + "\n")


def main():
    args = parse_args()
    if args.smoke:
        args.hidden, args.intermediate, args.layers, args.vocab = 64, 128, 2, 1024
        args.steps, args.eval_every, args.batch, args.warmup = 20, 10, 8, 5
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    report = {"seed": args.seed, "args": vars(args)}

    t0 = time.time()
    tok = train_tokenizer(args, out)
    report["tokenizer_seconds"] = round(time.time() - t0, 1)
    train_np, train_per_source = encode(tok, args.corpus, "train", args.smoke)
    held_np, held_per_source = encode(tok, args.corpus, "heldout", args.smoke)
    report["tokens"] = {"train": int(len(train_np)), "heldout": int(len(held_np)),
                        "train_per_source": train_per_source, "heldout_per_source": held_per_source}
    print(f"tokenizer {report['tokenizer_seconds']}s; tokens {report['tokens']}", flush=True)

    device = "cuda"
    train = torch.from_numpy(train_np).to(device)
    held_rows = windows(torch.from_numpy(held_np).to(device), args.seq)
    gen = torch.Generator(device=device)
    gen.manual_seed(args.seed)
    train_rows = train[(torch.randint(0, len(train) - args.seq - 1, (len(held_rows),), device=device,
                                      generator=gen)[:, None] + torch.arange(args.seq + 1, device=device))]

    model = build_model(args).to(device)
    n_params = sum(p.numel() for p in model.parameters())
    report["parameters"] = n_params
    print(f"parameters {n_params}", flush=True)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8, fused=True)
    arange = torch.arange(args.seq + 1, device=device)

    total = args.steps or 10**9
    log, best = [], (float("inf"), None, -1)
    step, start, running = 0, time.time(), []
    while step < total:
        for group in opt.param_groups:
            group["lr"] = lr_at(step, total, args)
        starts = torch.randint(0, len(train) - args.seq - 1, (args.batch,), device=device, generator=gen)
        chunk = train[starts[:, None] + arange].long()
        with torch.autocast("cuda", dtype=torch.bfloat16):
            logits = model(input_ids=chunk[:, :-1]).logits
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), chunk[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        running.append(loss.detach())
        if step == CALIBRATION_STEPS and not args.steps:
            torch.cuda.synchronize()
            per_step = (time.time() - start) / step
            total = int(args.minutes * 60 / per_step)
            print(f"{per_step * 1000:.1f} ms/step -> {total} steps", flush=True)
        if step % args.eval_every == 0 or step == total:
            held = mean_loss(model, held_rows[:256], 64)
            train_loss = torch.stack(running).mean().item()
            running = []
            log.append({"step": step, "train_loss": round(train_loss, 4), "heldout_loss_subset": round(held, 4),
                        "seconds": round(time.time() - start, 1)})
            print(log[-1], flush=True)
            if held < best[0]:
                best = (held, {k: v.detach().clone() for k, v in model.state_dict().items()}, step)
    train_seconds = time.time() - start

    if best[2] != step:
        model.load_state_dict(best[1])
    final_held = mean_loss(model, held_rows, 64)
    final_train = mean_loss(model, train_rows, 64)
    report.update({"steps": step, "kept_step": best[2], "train_seconds": round(train_seconds, 1),
                   "tokens_seen": step * args.batch * args.seq, "log": log,
                   "final_train_loss": round(final_train, 4), "final_heldout_loss": round(final_held, 4),
                   "final_train_perplexity": round(math.exp(final_train), 3),
                   "heldout_perplexity": round(math.exp(final_held), 3),
                   "heldout_tokens_scored": int(held_rows[:, 1:].numel())})
    print({k: report[k] for k in ("steps", "kept_step", "final_train_loss", "final_heldout_loss",
                                  "heldout_perplexity")}, flush=True)
    save_checkpoint(model, out, args)
    (out / "report.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
