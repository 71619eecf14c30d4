#include "session/capture_options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/error.h"

namespace glassbox {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream list(text);
  for (std::string part; std::getline(list, part, separator);) parts.push_back(part);
  return parts;
}

int64_t parse_int(std::string_view text, bool& ok) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  ok = ec == std::errc() && end == text.data() + text.size() && !text.empty();
  return value;
}

// Bytes the forward pass itself works in for T tokens: residual, norm and branch rows, q/k/v/z, gate/up.
int64_t forward_bytes(const ModelConfig& c, int64_t T) {
  return T * (3 * c.hidden + 2 * c.n_heads * c.head_dim + 2 * c.n_kv_heads * c.head_dim + 2 * c.intermediate) *
         int64_t(sizeof(float));
}

}  // namespace

void add_capture_options(cxxopts::Options& options) {
  options.add_options()
      ("names", "activations to record, comma-separated: full names (resid_post.3, attn_probs.0, logits) or kinds "
                "(attn_probs: every layer in --layers); default: all", cxxopts::value<std::string>())
      ("layers", "layers of the kinds in --names (or of every kind without --names), e.g. 0,3-5", cxxopts::value<std::string>())
      ("heads", "query heads of attn_scores/attn_probs to keep, e.g. 0,2 (default: all)", cxxopts::value<std::string>());
}

std::vector<int64_t> parse_index_list(const std::string& text, int64_t limit, const std::string& flag) {
  std::vector<int64_t> out;
  auto bad = [&] { fail(flag + ": expected comma-separated numbers or ranges such as 0,3-5, got '" + text + "'"); };
  for (const std::string& part : split(text, ',')) {
    const size_t dash = part.find('-', 1);
    bool ok_first = false, ok_last = true;
    const int64_t first = parse_int(std::string_view(part).substr(0, dash), ok_first);
    const int64_t last = dash == std::string::npos ? first : parse_int(std::string_view(part).substr(dash + 1), ok_last);
    if (!ok_first || !ok_last || last < first) bad();
    if (first < 0 || last >= limit)
      fail(flag + ": " + part + " is outside 0.." + std::to_string(limit - 1));
    for (int64_t i = first; i <= last; ++i)
      if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  }
  if (out.empty()) bad();
  return out;
}

CaptureRequest read_capture_request(const Model& model, const cxxopts::ParseResult& args) {
  const ModelConfig& c = model.config();
  CaptureRequest request;
  const bool has_layers = args.count("layers") > 0;
  std::vector<int64_t> layers;
  if (has_layers) layers = parse_index_list(args["layers"].as<std::string>(), c.n_layers, "--layers");
  else for (int64_t l = 0; l < c.n_layers; ++l) layers.push_back(l);
  if (args.count("heads")) {
    request.heads = parse_index_list(args["heads"].as<std::string>(), c.n_heads, "--heads");
    std::sort(request.heads.begin(), request.heads.end());  // the order a Capture stacks them in
  }

  auto add = [&](Site site) {
    if (std::find(request.sites.begin(), request.sites.end(), site) == request.sites.end()) request.sites.push_back(site);
  };
  if (args.count("names")) {
    for (const std::string& name : split(args["names"].as<std::string>(), ',')) {
      if (name.find('.') != std::string::npos) {
        add(parse_site(name, c.n_layers, "--names"));
        continue;
      }
      const Site site = parse_site(name + (is_per_layer(parse_kind(name, "--names")) ? ".0" : ""), c.n_layers, "--names");
      if (!is_per_layer(site.kind)) add(site);
      else for (int64_t l : layers) add({site.kind, l});
    }
    if (request.sites.empty()) fail("--names: no activation given");
  } else {
    for (const Site& site : all_sites(c.n_layers))
      if (!has_layers || (site.layer >= 0 && std::find(layers.begin(), layers.end(), site.layer) != layers.end()))
        add(site);
  }
  if (!request.heads.empty() && std::none_of(request.sites.begin(), request.sites.end(), [](Site s) { return is_attention_pattern(s.kind); }))
    fail("--heads: only narrows attn_scores and attn_probs, and --names asks for neither");
  return request;
}

int64_t memory_available(const Model& model) {
  if (const char* env = std::getenv("GLASSBOX_MEMORY_LIMIT"); env && *env) {
    std::string text = env;
    int64_t unit = 1;
    const char suffix = text.back();
    if (suffix == 'K' || suffix == 'M' || suffix == 'G') {
      unit = suffix == 'K' ? 1 << 10 : suffix == 'M' ? 1 << 20 : 1 << 30;
      text.pop_back();
    }
    bool ok = false;
    const int64_t value = parse_int(text, ok);
    if (!ok || value < 0) fail("GLASSBOX_MEMORY_LIMIT: '" + std::string(env) + "' is not a number of bytes (e.g. 2G)");
    return value * unit;
  }
  std::ifstream meminfo("/proc/meminfo");
  std::string key, unit;
  int64_t kib = 0;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:")
      return std::max<int64_t>(0, kib * 1024 - int64_t(model.tensors().total_bytes()));
  return INT64_MAX;  // not Linux: nothing to check against
}

std::string format_bytes(int64_t bytes) {
  char s[32];
  if (bytes >= (int64_t(1) << 30)) std::snprintf(s, sizeof s, "%.2f GiB", double(bytes) / double(1 << 30));
  else std::snprintf(s, sizeof s, "%.1f MiB", double(bytes) / double(1 << 20));
  return s;
}

void check_capture_fits(const Model& model, const CaptureRequest& request, int64_t T, int64_t extra,
                        const std::string& what) {
  const ModelConfig& c = model.config();
  const int64_t heads = request.heads.empty() ? c.n_heads : int64_t(request.heads.size());
  const int64_t capture = capture_bytes(request.sites, heads, c, T, T);
  int64_t working = forward_bytes(c, T) + 2 * c.n_layers * T * c.n_kv_heads * c.head_dim * int64_t(sizeof(float));
  // One head's scores, one layer's lens and the logits are materialized at a time, each only when recorded.
  auto any = [&](auto pred) { return std::any_of(request.sites.begin(), request.sites.end(), pred); };
  if (any([](Site s) { return is_attention_pattern(s.kind); })) working += T * T * int64_t(sizeof(float));
  if (any([](Site s) { return s.kind == SiteKind::lens; })) working += T * c.vocab * int64_t(sizeof(float));
  if (any([](Site s) { return s.kind == SiteKind::logits; })) working += T * c.vocab * int64_t(sizeof(float));
  const int64_t need = capture + working + extra, available = memory_available(model);
  if (need <= available) return;
  fail(what + ": recording " + std::to_string(request.sites.size()) + " activation(s) of " + std::to_string(T) +
       " tokens needs " + format_bytes(need) + " (" + format_bytes(capture) + " for the activations, " +
       format_bytes(working + extra) + " to compute them) but only " + format_bytes(available) +
       " is available besides the weights; narrow it with --names, --layers or --heads");
}

}  // namespace glassbox
