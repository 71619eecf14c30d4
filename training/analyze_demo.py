#!/usr/bin/env python3
"""Looks at a trained demo checkpoint through Hugging Face transformers: greedy samples and attention heads.

    python3 training/analyze_demo.py MODEL_DIR REPORT_JSON
Adds "samples", "tokenizer_check" and "heads" to REPORT_JSON (created if missing).

Heads: batches of random token sequences, each repeated once ([r1..rL, r1..rL]). Per layer and head,
  previous-token score = mean attention from position t to t-1 (all t >= 1);
  induction score     = mean attention from a position t in the second copy to t-L+1, the token that
                        followed the previous occurrence of the current token.
Both are 1.0 for a head that does only that, and about 1/t for uniform attention.
"""
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM, AutoTokenizer
from tokenizers import Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_data import render_chat  # noqa: E402

PROMPTS = [
    "In the beginning God created",
    "And the LORD spake unto Moses, saying,",
    "LAWYER, n.",
    "compiler\nA program that",
    "river (noun):",
    "Man is the only animal that",
    "Hacker n.\n",
]
CHAT = [{"role": "user", "content": 'What does "river" mean?'}]
REPEAT_LEN, REPEAT_BATCH, SEED = 64, 32, 0


def greedy(model, tok, text, max_new):
    ids = tok(text, return_tensors="pt").input_ids.to(model.device)
    out = model.generate(ids, max_new_tokens=max_new, do_sample=False)
    new = out[0, ids.shape[1]:]
    return tok.decode(new, skip_special_tokens=False), new.tolist()


@torch.no_grad()
def head_scores(model, vocab):
    gen = torch.Generator().manual_seed(SEED)
    first = torch.randint(3, vocab, (REPEAT_BATCH, REPEAT_LEN), generator=gen)
    ids = torch.cat([first, first], dim=1).to(model.device)
    out = model(input_ids=ids, output_attentions=True)
    T, L = ids.shape[1], REPEAT_LEN
    t = torch.arange(1, T)
    t2 = torch.arange(L, T)
    scores = []
    for layer, att in enumerate(out.attentions):  # [B, heads, T, T]
        att = att.float().mean(0)
        prev = att[:, t, t - 1].mean(-1)
        induction = att[:, t2, t2 - L + 1].mean(-1)
        for h in range(att.shape[0]):
            scores.append({"layer": layer, "head": h, "previous_token": round(prev[h].item(), 3),
                           "induction": round(induction[h].item(), 3)})
    logits = out.logits.float()
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="none")
    loss = loss.view(REPEAT_BATCH, T - 1)
    return scores, {"first_copy_loss": round(loss[:, :L - 1].mean().item(), 3),
                    "second_copy_loss": round(loss[:, L:].mean().item(), 3)}


def main():
    model_dir, report_path = Path(sys.argv[1]), Path(sys.argv[2])
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tok = AutoTokenizer.from_pretrained(model_dir)
    raw = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    texts = PROMPTS + [render_chat(CHAT, add_generation_prompt=True)]
    same_ids = all(tok(t).input_ids == raw.encode(t).ids for t in texts)
    template = tok.apply_chat_template(CHAT, tokenize=False, add_generation_prompt=True)
    report["tokenizer_check"] = {"auto_tokenizer_matches_tokenizers": same_ids,
                                 "chat_template_matches": template == render_chat(CHAT, True)}
    print(report["tokenizer_check"], flush=True)

    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager").to(device)
    model.eval()
    samples = []
    for text in PROMPTS:
        cont, _ = greedy(model, tok, text, 48)
        samples.append({"prompt": text, "greedy": cont})
    chat_text = template
    cont, _ = greedy(model, tok, chat_text, 48)
    samples.append({"prompt": chat_text, "greedy": cont})
    for s in samples:
        print(json.dumps(s), flush=True)
    report["samples"] = samples

    scores, repeat_loss = head_scores(model, model.config.vocab_size)
    report["heads"] = {"sequence_length": REPEAT_LEN, "batch": REPEAT_BATCH, "seed": SEED,
                       "repeated_sequence_loss": repeat_loss, "scores": scores}
    print(repeat_loss, flush=True)
    for s in sorted(scores, key=lambda s: -s["previous_token"])[:6]:
        print("prev", s, flush=True)
    for s in sorted(scores, key=lambda s: -s["induction"])[:6]:
        print("induction", s, flush=True)
    report_path.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
