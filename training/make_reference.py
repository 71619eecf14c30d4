#!/usr/bin/env python3
"""Parity reference for the demo checkpoint, computed by Hugging Face transformers.

    python3 training/make_reference.py MODEL_DIR
Writes MODEL_DIR/reference.safetensors and MODEL_DIR/reference.json. The model is loaded as a user loads it,
`from_pretrained(dir, dtype=torch.float32)`: the bf16 weights are upcast, the rotary inv_freq stays float32, and
it runs on the CPU with eager attention, so the numbers are plain fp32 arithmetic. Tensor names, as for the
shared tiny fixtures: `input_ids` [T]; `embed` [T,H]; per layer l: `q.l` `k.l` `v.l` (projection outputs,
before RoPE), `attn_probs.l` [heads,T,T], `attn_out.l` (o_proj output), `mlp_out.l`, `resid_post.l`
(decoder layer output); `final_norm` [T,H]; `logits` [T,V]; `greedy_ids` [24] (greedy, with the KV cache).
"""
import json
import sys
from pathlib import Path

import torch
import transformers
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer

PROMPT = "In the beginning God created the heaven and the earth. And the earth was without form, and void"
PROMPT_TOKENS = 16
GREEDY_TOKENS = 24


def first(x):
    return x[0] if isinstance(x, tuple) else x


@torch.no_grad()
def main():
    model_dir = Path(sys.argv[1])
    torch.set_grad_enabled(False)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    ids = tok(PROMPT).input_ids[:PROMPT_TOKENS]
    prompt = tok.decode(ids)
    input_ids = torch.tensor([ids])

    captured = {}

    def keep(name):
        def hook(_module, _inputs, output):
            captured[name] = first(output)[0].detach().clone()
        return hook

    handles = [model.model.embed_tokens.register_forward_hook(keep("embed")),
               model.model.norm.register_forward_hook(keep("final_norm"))]
    for l, layer in enumerate(model.model.layers):
        attn = layer.self_attn
        handles += [attn.q_proj.register_forward_hook(keep(f"q.{l}")),
                    attn.k_proj.register_forward_hook(keep(f"k.{l}")),
                    attn.v_proj.register_forward_hook(keep(f"v.{l}")),
                    attn.o_proj.register_forward_hook(keep(f"attn_out.{l}")),
                    layer.mlp.register_forward_hook(keep(f"mlp_out.{l}")),
                    layer.register_forward_hook(keep(f"resid_post.{l}"))]
    out = model(input_ids=input_ids, output_attentions=True, use_cache=False)
    for h in handles:
        h.remove()
    tensors = {"input_ids": input_ids[0].to(torch.int64)}
    tensors.update(captured)
    for l, att in enumerate(out.attentions):
        tensors[f"attn_probs.{l}"] = att[0].detach().clone()
    tensors["logits"] = out.logits[0].detach().clone()

    greedy, past, cur = [], None, input_ids
    for _ in range(GREEDY_TOKENS):
        step = model(input_ids=cur, past_key_values=past, use_cache=True)
        past = step.past_key_values
        nxt = int(step.logits[0, -1].argmax())
        greedy.append(nxt)
        cur = torch.tensor([[nxt]])
    tensors["greedy_ids"] = torch.tensor(greedy, dtype=torch.int64)

    tensors = {k: (v.float() if v.is_floating_point() else v).contiguous() for k, v in tensors.items()}
    save_file(tensors, str(model_dir / "reference.safetensors"),
              metadata={"producer": f"transformers {transformers.__version__}, torch {torch.__version__}, "
                                    "fp32 CPU eager attention from the bf16 weights"})
    info = {"prompt": prompt, "prompt_reencodes_to_input_ids": tok(prompt).input_ids == ids, "input_ids": ids, "greedy_ids": greedy,
            "greedy_text": tok.decode(greedy), "transformers": transformers.__version__,
            "torch": torch.__version__, "dtype": "float32 (from_pretrained dtype=torch.float32)", "attention": "eager",
            "device": "cpu"}
    (model_dir / "reference.json").write_text(json.dumps(info, indent=1) + "\n")
    print(json.dumps(info), flush=True)
    print({k: list(v.shape) for k, v in tensors.items() if "." not in k or k.endswith(".0")}, flush=True)


if __name__ == "__main__":
    main()
