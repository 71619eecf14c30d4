#pragma once
// A site is a place in the forward pass where an activation can be read or changed: a kind and a layer.
// Inside glassbox a site is this small value; only at the edge (flags, file keys, JSON) is it a string,
// "resid_post.3" or "logits". The kinds, in forward order, with their shapes for T new tokens that see S
// positions in all (S = T on a fresh KV cache):
//   embed        [T, hidden]           token embeddings (= resid_pre.0)
//   resid_pre.L  [T, hidden]           the residual stream entering layer L
//   attn_in.L    [T, hidden]           input_layernorm(resid_pre.L)
//   q.L k.L v.L  [T, heads*head_dim], [T, kv_heads*head_dim]: q/k/v_proj outputs, bias included
//   q_rot.L      [T, heads*head_dim]   q after q_norm (Qwen3) and RoPE
//   k_rot.L      [T, kv_heads*head_dim] k after k_norm and RoPE: what the KV cache keeps
//   attn_scores.L [heads, T, S]        Q K^T / sqrt(head_dim), masked entries -inf
//   attn_probs.L [heads, T, S]         softmax of the scores
//   z.L          [T, heads*head_dim]   probs V of each head side by side: the o_proj input
//   attn_out.L   [T, hidden]           o_proj output
//   resid_mid.L  [T, hidden]           resid_pre.L + attn_out.L
//   mlp_in.L     [T, hidden]           post_attention_layernorm(resid_mid.L)
//   mlp_hidden.L [T, intermediate]     SiLU(gate_proj) * up_proj, the down_proj input
//   mlp_out.L    [T, hidden]           down_proj output
//   resid_post.L [T, hidden]           resid_mid.L + mlp_out.L: the layer's output
//   lens.L       [T, vocab]            derived (the logit lens): lm_head(final_norm(resid_post.L)); computed
//                                      only when hooked, and changing it changes nothing downstream
//   final_norm   [T, hidden]           model.norm(resid_post of the last layer)
//   logits       [T, vocab]
#include <cstdint>
#include <string>
#include <vector>

#include "model/config.h"

namespace glassbox {

enum class SiteKind : uint8_t {
  embed, resid_pre, attn_in, q, k, v, q_rot, k_rot, attn_scores, attn_probs, z, attn_out, resid_mid,
  mlp_in, mlp_hidden, mlp_out, resid_post, lens, final_norm, logits,
};
constexpr int kSiteKinds = int(SiteKind::logits) + 1;

struct Site {
  SiteKind kind = SiteKind::embed;
  int64_t layer = -1;  // -1 for the kinds outside the layers: embed, final_norm, logits

  friend bool operator==(const Site&, const Site&) = default;
  friend auto operator<=>(const Site&, const Site&) = default;
};

bool is_per_layer(SiteKind kind);
// attn_scores and attn_probs: [heads, T, S]; hooks see them one head at a time, as [T, S].
bool is_attention_pattern(SiteKind kind);
const char* kind_name(SiteKind kind);  // "resid_post"

std::string site_name(Site site);  // "resid_post.3", "logits"

// "resid_post.3" -> {resid_post, 3}. An unknown name or a layer outside 0..n_layers-1 is an Error naming
// `flag` and listing the names there are.
Site parse_site(const std::string& name, int64_t n_layers, const std::string& flag);

// The kind alone ("attn_probs"), for flags that take a kind and a set of layers; an Error naming `flag`.
SiteKind parse_kind(const std::string& name, const std::string& flag);

// Every site of a model with `n_layers` layers, in forward order; the derived lens.L only when asked.
std::vector<Site> all_sites(int64_t n_layers, bool with_lens = false);

// The shape of `site`'s activation for T new tokens seeing S positions in all (see the table above).
std::vector<int64_t> site_shape(Site site, const ModelConfig& config, int64_t T, int64_t S);

}  // namespace glassbox
