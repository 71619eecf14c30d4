#!/usr/bin/env python3
"""References for glassbox's hooks and interventions, computed by Hugging Face transformers with torch hooks.

    python3 training/make_hook_references.py OUT_DIR MODEL_DIR...
For each MODEL_DIR (named by its folder, e.g. tiny-qwen3) writes OUT_DIR/<name>.safetensors and the steering
vector OUT_DIR/<name>.steer.safetensors (one F32 tensor `vector`, as `glassbox steer-vector` writes it).
The model is loaded with from_pretrained(dir, dtype=torch.float32, attn_implementation="eager") and run on the
CPU, so the numbers are plain fp32 arithmetic (bf16 weights upcast, rotary inv_freq float32).

The prompt is the first tokens of MODEL_DIR/reference.safetensors' input_ids (T of them); the patch source is
the same first token followed by T-1 random ids (seed 1). Tensors (I64 unless said otherwise, the rest F32):
  input_ids [T], source_ids [T]
  lens.L [T,V]                   lm_head(norm(output of decoder layer L)), every layer
  ablate_heads [2,2]             (layer, head) pairs; ablate.zero [T,V] and ablate.mean [T,V]: logits with those
                                 heads' slices of the o_proj input set to 0 / to their mean over positions
  patch_resid_post [2]           (layer, position); patch.resid_post [T,V]: logits with layer L's output at that
                                 position taken from the source run
  patch_attn_out [1]             layer; patch.attn_out [T,V]: logits with o_proj's output of that layer taken
                                 from the source run at every position
  steer_layer [1], steer_scale [1] (F32); steer [T,V]: logits with steer_scale * vector added to the output of
                                 decoder layer steer_layer at every position. The vector (<name>.steer.safetensors)
                                 is the output of that layer on the prompt minus on the source, at the last
                                 position; steer_vector_mean [H] is the same difference of the means over positions
  census_ids [1+2N], census_period [1]: the first token, N random ids (seed 2), the same N again
  census [layers, heads, 4]      per head, on census_ids' attention pattern A: previous_token = mean over
                                 t=1..T-1 of A[t,t-1]; first_token = mean over t=1..T-1 of A[t,0];
                                 duplicate = mean over t=N+1..T-1 of A[t,t-N]; induction = same of A[t,t-N+1]
"""
import json
import sys
from pathlib import Path

import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM

MAX_PROMPT = 14     # the tiny fixtures' prompts; the demo's 8192-token vocabulary gets 8 (file size)
DEMO_PROMPT = 8
CENSUS_PERIOD = 16
STEER_SCALE = 0.75


def first(x):
    return x[0] if isinstance(x, tuple) else x


def replace_first(output, new):
    return (new,) + tuple(output[1:]) if isinstance(output, tuple) else new


class Run:
    """One forward pass with temporary hooks; returns the logits [T, V]."""

    def __init__(self, model):
        self.model = model

    def __call__(self, ids, hooks=()):
        handles = [register(fn) for register, fn in hooks]
        try:
            out = self.model(input_ids=torch.tensor([ids]), use_cache=False)
        finally:
            for h in handles:
                h.remove()
        return out.logits[0].clone()


def layer_outputs(model, ids):
    kept = {}

    def keep(l):
        return lambda _m, _i, out: kept.__setitem__(l, first(out)[0].clone())

    layers = model.model.layers
    run = Run(model)
    run(ids, [(layers[l].register_forward_hook, keep(l)) for l in range(len(layers))])
    return [kept[l] for l in range(len(layers))]


@torch.no_grad()
def references(model_dir, out_dir):
    name = model_dir.name
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    cfg = model.config
    n_layers, n_heads = cfg.num_hidden_layers, cfg.num_attention_heads
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // n_heads
    vocab = cfg.vocab_size
    layers = model.model.layers
    run = Run(model)

    ref_ids = load_file(str(model_dir / "reference.safetensors"))["input_ids"].tolist()
    T = min(len(ref_ids), DEMO_PROMPT if vocab > 4096 else MAX_PROMPT)
    ids = ref_ids[:T]
    gen = torch.Generator().manual_seed(1)
    source = ids[:1] + torch.randint(3, vocab, (T - 1,), generator=gen).tolist()
    t = {"input_ids": torch.tensor(ids), "source_ids": torch.tensor(source)}

    # The logit lens.
    resid = layer_outputs(model, ids)
    for l, h in enumerate(resid):
        t[f"lens.{l}"] = model.lm_head(model.model.norm(h))

    # Head ablation through the o_proj input.
    heads = [(min(1, n_layers - 1), 0), (n_layers - 1, n_heads - 1)]
    if name == "glassbox-demo":
        heads = [(5, 0), (5, 1)]  # the induction heads docs/demo-model.md names
    t["ablate_heads"] = torch.tensor(heads)

    def ablate(mode):
        def hook_for(head):
            def pre(_m, args):
                x = args[0].clone()
                s = slice(head * head_dim, (head + 1) * head_dim)
                x[..., s] = 0 if mode == "zero" else x[..., s].mean(dim=1, keepdim=True)
                return (x,) + tuple(args[1:])
            return pre
        return [(layers[l].self_attn.o_proj.register_forward_pre_hook, hook_for(h)) for l, h in heads]

    t["ablate.zero"] = run(ids, ablate("zero"))
    t["ablate.mean"] = run(ids, ablate("mean"))

    # Patching from the source prompt.
    source_resid = layer_outputs(model, source)
    patch_layer, patch_pos = n_layers // 2, T // 2
    t["patch_resid_post"] = torch.tensor([patch_layer, patch_pos])

    def patch_resid(_m, _i, out):
        h = first(out).clone()
        h[0, patch_pos] = source_resid[patch_layer][patch_pos]
        return replace_first(out, h)

    t["patch.resid_post"] = run(ids, [(layers[patch_layer].register_forward_hook, patch_resid)])

    attn_layer = min(1, n_layers - 1)
    kept = {}
    run(source, [(layers[attn_layer].self_attn.o_proj.register_forward_hook,
                  lambda _m, _i, out: kept.__setitem__("o", out.clone()))])
    t["patch_attn_out"] = torch.tensor([attn_layer])
    t["patch.attn_out"] = run(ids, [(layers[attn_layer].self_attn.o_proj.register_forward_hook,
                                     lambda _m, _i, out: kept["o"])])

    # Steering with the difference of the two prompts at one layer.
    steer_layer = max(0, n_layers // 2 - 1)
    vector = (resid[steer_layer][-1] - source_resid[steer_layer][-1]).contiguous()
    t["steer_vector_mean"] = resid[steer_layer].mean(dim=0) - source_resid[steer_layer].mean(dim=0)
    t["steer_layer"] = torch.tensor([steer_layer])
    t["steer_scale"] = torch.tensor([STEER_SCALE])

    def steer(_m, _i, out):
        return replace_first(out, first(out) + STEER_SCALE * vector)

    t["steer"] = run(ids, [(layers[steer_layer].register_forward_hook, steer)])

    # The head census on a repeated random sequence.
    gen = torch.Generator().manual_seed(2)
    half = torch.randint(3, vocab, (CENSUS_PERIOD,), generator=gen).tolist()
    census_ids = ids[:1] + half + half
    N, Tc = CENSUS_PERIOD, len(census_ids)
    out = model(input_ids=torch.tensor([census_ids]), output_attentions=True, use_cache=False)
    scores = torch.zeros(n_layers, n_heads, 4)
    rows = torch.arange(1, Tc)
    rep = torch.arange(N + 1, Tc)
    for l, att in enumerate(out.attentions):
        A = att[0]  # [heads, T, T]
        scores[l, :, 0] = A[:, rows, rows - 1].mean(dim=1)
        scores[l, :, 1] = A[:, rows, 0].mean(dim=1)
        scores[l, :, 2] = A[:, rep, rep - N].mean(dim=1)
        scores[l, :, 3] = A[:, rep, rep - N + 1].mean(dim=1)
    t["census_ids"] = torch.tensor(census_ids)
    t["census_period"] = torch.tensor([N])
    t["census"] = scores

    t = {k: (v.float() if v.is_floating_point() else v.to(torch.int64)).contiguous() for k, v in t.items()}
    producer = (f"transformers {transformers.__version__}, torch {torch.__version__}, fp32 CPU eager attention, "
                "training/make_hook_references.py")
    save_file(t, str(out_dir / f"{name}.safetensors"), metadata={"producer": producer})
    save_file({"vector": vector.float()}, str(out_dir / f"{name}.steer.safetensors"),
              metadata={"producer": producer, "site": f"resid_post.{steer_layer}", "positions": "last"})
    top = {f"L{l}H{h}": [round(float(x), 3) for x in scores[l, h]] for l in range(n_layers) for h in range(n_heads)
           if scores[l, h, 3] > 0.2 or scores[l, h, 0] > 0.5}
    lens_check = float((t[f"lens.{n_layers - 1}"] - run(ids)).abs().max())  # the last layer's lens is the logits
    print(json.dumps({"model": name, "T": T, "ablate_heads": heads, "lens_last_vs_logits": lens_check,
                      "census_strong_heads": top}), flush=True)


def main():
    torch.set_grad_enabled(False)
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for d in sys.argv[2:]:
        references(Path(d), out_dir)


if __name__ == "__main__":
    main()
