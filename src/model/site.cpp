#include "model/site.h"

#include <array>
#include <charconv>

#include "base/error.h"

namespace glassbox {
namespace {

constexpr std::array<const char*, kSiteKinds> kNames = {
    "embed", "resid_pre", "attn_in", "q", "k", "v", "q_rot", "k_rot", "attn_scores", "attn_probs", "z", "attn_out",
    "resid_mid", "mlp_in", "mlp_hidden", "mlp_out", "resid_post", "lens", "final_norm", "logits"};

std::string known_names(int64_t n_layers) {
  std::string list;
  for (int i = 0; i < kSiteKinds; ++i)
    list += std::string(i ? ", " : "") + kNames[size_t(i)] + (is_per_layer(SiteKind(i)) ? ".L" : "");
  return list + " with L in 0.." + std::to_string(n_layers - 1);
}

bool find_kind(std::string_view name, SiteKind& kind) {
  for (int i = 0; i < kSiteKinds; ++i)
    if (name == kNames[size_t(i)]) return kind = SiteKind(i), true;
  return false;
}

}  // namespace

bool is_per_layer(SiteKind kind) {
  return kind != SiteKind::embed && kind != SiteKind::final_norm && kind != SiteKind::logits;
}

bool is_attention_pattern(SiteKind kind) { return kind == SiteKind::attn_scores || kind == SiteKind::attn_probs; }

const char* kind_name(SiteKind kind) { return kNames[size_t(kind)]; }

std::string site_name(Site site) {
  return is_per_layer(site.kind) ? std::string(kind_name(site.kind)) + "." + std::to_string(site.layer)
                                 : kind_name(site.kind);
}

Site parse_site(const std::string& name, int64_t n_layers, const std::string& flag) {
  auto unknown = [&] { fail(flag + ": unknown activation '" + name + "' (known: " + known_names(n_layers) + ")"); };
  const size_t dot = name.find('.');
  Site site;
  if (!find_kind(std::string_view(name).substr(0, dot), site.kind)) unknown();
  if (!is_per_layer(site.kind)) {
    if (dot != std::string::npos) unknown();
    return site;
  }
  if (dot == std::string::npos) unknown();
  const char *begin = name.data() + dot + 1, *end = name.data() + name.size();
  const auto [next, ec] = std::from_chars(begin, end, site.layer);
  if (ec != std::errc() || next != end || begin == end) unknown();
  if (site.layer < 0 || site.layer >= n_layers)
    fail(flag + ": unknown activation '" + name + "' (the model has layers 0.." + std::to_string(n_layers - 1) + ")");
  return site;
}

SiteKind parse_kind(const std::string& name, const std::string& flag) {
  SiteKind kind;
  if (!find_kind(name, kind)) {
    std::string kinds;
    for (int i = 0; i < kSiteKinds; ++i) kinds += std::string(i ? ", " : "") + kNames[size_t(i)];
    fail(flag + ": unknown activation '" + name + "' (known kinds: " + kinds + ")");
  }
  return kind;
}

std::vector<Site> all_sites(int64_t n_layers, bool with_lens) {
  std::vector<Site> sites{{SiteKind::embed, -1}};
  for (int64_t l = 0; l < n_layers; ++l)
    for (int i = int(SiteKind::resid_pre); i <= int(SiteKind::lens); ++i)
      if (SiteKind(i) != SiteKind::lens || with_lens) sites.push_back({SiteKind(i), l});
  sites.push_back({SiteKind::final_norm, -1});
  sites.push_back({SiteKind::logits, -1});
  return sites;
}

std::vector<int64_t> site_shape(Site site, const ModelConfig& c, int64_t T, int64_t S) {
  switch (site.kind) {
    case SiteKind::q: case SiteKind::q_rot: case SiteKind::z: return {T, c.n_heads * c.head_dim};
    case SiteKind::k: case SiteKind::v: case SiteKind::k_rot: return {T, c.n_kv_heads * c.head_dim};
    case SiteKind::attn_scores: case SiteKind::attn_probs: return {c.n_heads, T, S};
    case SiteKind::mlp_hidden: return {T, c.intermediate};
    case SiteKind::lens: case SiteKind::logits: return {T, c.vocab};
    default: return {T, c.hidden};
  }
}

}  // namespace glassbox
