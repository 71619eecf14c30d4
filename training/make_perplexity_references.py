#!/usr/bin/env python3
"""Perplexity references for `glassbox perplexity`, computed by Hugging Face transformers.

    python3 training/make_perplexity_references.py TEXT OUT.json NAME=MODEL_DIR [NAME=MODEL_DIR ...]

Each model is loaded as a user loads it, `from_pretrained(dir, dtype=torch.float32)` with eager attention on
the CPU. The text is tokenized with the tokenizer's post-processor (BOS when the tokenizer adds one) and scored
with glassbox's sliding windows, for each (context N, stride S) in SETTINGS:
  - windows start at 0, S, 2S, ...; a window covers tokens [begin, min(begin + N, n));
  - each window scores the tokens the previous window did not score (the first window: tokens 1..end-1), and
    never its own first token, which it has no context to predict;
  - the last window is the first one that reaches the end.
The log-softmax is taken in float64 of the float32 logits. For each setting the file holds the scored token
count, nll (mean negative log-probability, natural log), ppl = exp(nll) and ppl_se = ppl * sd / sqrt(count)
with sd the sample standard deviation, and each scored token's nll; per model the token ids (also as the
tokenizers library gives them straight from tokenizer.json).
"""
import json
import math
import sys
from pathlib import Path

import tokenizers
import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer

# (context, stride): windows that do not overlap, windows that overlap, and glassbox's default (512, capped at
# the model's context, one window here). With the committed text the last window is partial in the first two.
SETTINGS = [(64, 64), (64, 32), (512, 512)]


def window_nlls(model, ids, context, stride):
    nlls = []
    scored_end = 1  # token 0 is never scored: nothing precedes it
    begin = 0
    while True:
        end = min(begin + context, len(ids))
        first = max(scored_end, begin + 1)
        if first < end:
            logits = model(input_ids=torch.tensor([ids[begin:end]]), use_cache=False).logits[0]
            logp = torch.log_softmax(logits.double(), dim=-1)
            for t in range(first, end):
                nlls.append(-logp[t - 1 - begin, ids[t]].item())
        scored_end = max(scored_end, end)
        if end == len(ids):
            return nlls
        begin += stride


@torch.no_grad()
def main():
    text_path, out_path, specs = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    text = text_path.read_text(encoding="utf-8")
    result = {"text": text_path.name, "transformers": transformers.__version__, "torch": torch.__version__,
              "models": {}}
    for spec in specs:
        name, model_dir = spec.split("=", 1)
        tok = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
        model.eval()
        ids = tok(text).input_ids
        # The tokenizers library straight from tokenizer.json, as a cross-check of AutoTokenizer's ids.
        raw_ids = tokenizers.Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json")).encode(text).ids
        max_positions = model.config.max_position_embeddings
        runs = []
        for context, stride in SETTINGS:
            context = min(context, max_positions)
            stride = min(stride, context)
            nlls = window_nlls(model, ids, context, stride)
            count = len(nlls)
            nll = sum(nlls) / count
            sd = math.sqrt(sum((x - nll) ** 2 for x in nlls) / (count - 1))
            ppl = math.exp(nll)
            runs.append({"context": context, "stride": stride, "tokens": count, "nll": nll, "ppl": ppl,
                         "ppl_se": ppl * sd / math.sqrt(count), "token_nlls": nlls})
            print(f"{name} context {context} stride {stride}: {count} tokens, nll {nll:.8f}, ppl {ppl:.4f}")
        result["models"][name] = {"ids": ids, "tokenizers_ids": raw_ids, "runs": runs}
    out_path.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
