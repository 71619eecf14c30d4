#include "session/interventions.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

#include "base/error.h"
#include "core/safetensors.h"
#include "session/capture_options.h"
#include "session/options.h"

namespace glassbox {
namespace {

using Strings = std::vector<std::string>;

Strings list_flag(const cxxopts::ParseResult& args, const std::string& name) {
  return args.count(name) ? args[name].as<Strings>() : Strings{};
}

template <typename T>
bool parse_number(std::string_view text, T& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

void add_ablation(Hooks& hooks, const Model& model, const cxxopts::ParseResult& args) {
  const bool has_mode = args.count("ablate-mode") > 0;
  if (!args.count("ablate")) {
    if (has_mode) fail("--ablate-mode: give the heads to ablate with --ablate L.H[,L.H...]");
    return;
  }
  AblateMode mode = AblateMode::zero;
  if (has_mode) {
    const std::string m = args["ablate-mode"].as<std::string>();
    if (m == "mean") mode = AblateMode::mean;
    else if (m != "zero") fail("--ablate-mode: '" + m + "' is not zero or mean");
  }
  add_head_ablation(hooks, model.config(), parse_head_list(args["ablate"].as<std::string>(), model.config(), "--ablate"), mode);
}

struct PatchTarget {
  Site site;
  int64_t position = -1;  // -1: every position
};

void add_patches(Hooks& hooks, const Model& model, const Prompt& prompt, const cxxopts::ParseResult& args) {
  const Strings specs = list_flag(args, "patch");
  const bool from_text = args.count("patch-from") > 0, from_ids = args.count("patch-from-ids") > 0;
  if (specs.empty()) {
    if (from_text || from_ids) fail(std::string(from_text ? "--patch-from" : "--patch-from-ids") + ": give what to patch with --patch NAME[@POS]");
    return;
  }
  if (from_text == from_ids) fail("--patch: give the source prompt with exactly one of --patch-from or --patch-from-ids");
  const std::string source_flag = from_text ? "--patch-from" : "--patch-from-ids";
  const std::vector<int32_t> source =
      from_text ? encode_like_prompt(prompt, args, args["patch-from"].as<std::string>(), source_flag)
                : parse_id_list(args["patch-from-ids"].as<std::string>(), source_flag);
  model.check_ids(source, source_flag);
  const int64_t n = int64_t(prompt.ids.size()), m = int64_t(source.size());
  if (m > model.config().max_positions)
    fail(source_flag + ": " + std::to_string(m) + " tokens are more than the model's context (" +
         std::to_string(model.config().max_positions) + ")");

  std::vector<PatchTarget> targets;
  CaptureRequest request;
  for (const std::string& spec : specs) {
    const size_t at = spec.find('@');
    PatchTarget t{parse_site(spec.substr(0, at), model.config().n_layers, "--patch")};
    if (t.site.kind == SiteKind::lens) fail("--patch: " + spec + " is derived (the logit lens); patch resid_post instead");
    if (at == std::string::npos) {
      if (m != n)
        fail(source_flag + ": the source has " + std::to_string(m) + " tokens and the prompt " + std::to_string(n) +
             "; patching every position needs the same number (or patch one position with NAME@POS)");
    } else {
      int64_t pos = 0;
      if (!parse_number(std::string_view(spec).substr(at + 1), pos)) fail("--patch: '" + spec + "': expected NAME@POSITION");
      if (pos < 0) pos += n;
      if (pos < 0 || pos >= n || pos >= m)
        fail("--patch: position " + spec.substr(at + 1) + " is outside the prompt (" + std::to_string(n) +
             " tokens) or the source (" + std::to_string(m) + " tokens)");
      t.position = pos;
    }
    targets.push_back(t);
    if (std::find(request.sites.begin(), request.sites.end(), t.site) == request.sites.end()) request.sites.push_back(t.site);
  }
  check_capture_fits(model, request, m, 0, "--patch");
  Capture captured = run_with_cache(model, source, request.sites);
  std::map<std::string, std::shared_ptr<const CapturedTensor>> values;
  for (auto& [name, tensor] : captured.take()) values[name] = std::make_shared<const CapturedTensor>(std::move(tensor));
  for (const PatchTarget& t : targets) add_patch(hooks, t.site, values.at(site_name(t.site)), t.position);
}

void add_steers(Hooks& hooks, const Model& model, const cxxopts::ParseResult& args) {
  for (const std::string& spec : list_flag(args, "steer")) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos || eq + 1 == spec.size()) fail("--steer: '" + spec + "': expected NAME=FILE[:SCALE]");
    const Site site = parse_site(spec.substr(0, eq), model.config().n_layers, "--steer");
    std::string file = spec.substr(eq + 1);
    float scale = 1.0f;
    if (const size_t colon = file.rfind(':'); colon != std::string::npos && parse_number(std::string_view(file).substr(colon + 1), scale))
      file.resize(colon);
    if (!std::isfinite(scale)) fail("--steer: '" + spec + "': the scale is not a finite number");
    if (is_attention_pattern(site.kind) || site.kind == SiteKind::lens)
      fail("--steer: " + site_name(site) + " cannot be steered; steer a [T, width] activation such as resid_post.L");
    const std::vector<float> v = read_steering_vector(file, "--steer");
    const int64_t width = site_shape(site, model.config(), 1, 1).back();
    if (int64_t(v.size()) != width)
      fail("--steer: " + file + " holds " + std::to_string(v.size()) + " values but " + site_name(site) + " is " +
           std::to_string(width) + " wide");
    add_steering(hooks, site, v, scale);
  }
}

}  // namespace

void add_intervention_options(cxxopts::Options& options) {
  options.add_options()
      ("ablate", "ablate attention heads L.H[,L.H...] (their slice of z)", cxxopts::value<std::string>())
      ("ablate-mode", "zero (default) or mean: replace the slice by its mean over the prompt's positions", cxxopts::value<std::string>())
      ("patch", "replace activations NAME[@POS][,...] by their values on the --patch-from prompt", cxxopts::value<Strings>())
      ("patch-from", "source prompt text for --patch", cxxopts::value<std::string>())
      ("patch-from-ids", "source prompt as token ids for --patch", cxxopts::value<std::string>())
      ("steer", "add SCALE times FILE's vector to NAME at every position: NAME=FILE[:SCALE][,...]", cxxopts::value<Strings>());
}

Hooks intervention_hooks(const Model& model, const Prompt& prompt, const cxxopts::ParseResult& args) {
  Hooks hooks;
  add_ablation(hooks, model, args);
  add_patches(hooks, model, prompt, args);
  add_steers(hooks, model, args);
  return hooks;
}

std::vector<HeadRef> parse_head_list(const std::string& text, const ModelConfig& config, const std::string& flag) {
  std::vector<HeadRef> heads;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = std::string_view(text).substr(start, comma - start);
    const size_t dot = item.find('.');
    HeadRef h;
    if (dot == std::string_view::npos || !parse_number(item.substr(0, dot), h.layer) || !parse_number(item.substr(dot + 1), h.head))
      fail(flag + ": expected LAYER.HEAD[,LAYER.HEAD...] such as 5.0,5.1, got '" + text + "'");
    if (h.layer < 0 || h.layer >= config.n_layers || h.head < 0 || h.head >= config.n_heads)
      fail(flag + ": head " + std::string(item) + " is outside the model (layers 0.." + std::to_string(config.n_layers - 1) +
           ", heads 0.." + std::to_string(config.n_heads - 1) + ")");
    if (std::find(heads.begin(), heads.end(), h) == heads.end()) heads.push_back(h);
    start = comma + 1;
  }
  return heads;
}

std::vector<int32_t> encode_like_prompt(const Prompt& prompt, const cxxopts::ParseResult& args, const std::string& text,
                                        const std::string& flag) {
  if (!prompt.tokenizer) fail(flag + ": the model folder has no tokenizer.json; give token ids instead");
  const bool chat = prompt.tokenizer->has_chat_template() && !args.count("raw");
  return encode_message(*prompt.tokenizer, text, chat, chat && args.count("system") ? args["system"].as<std::string>() : "");
}

std::vector<float> read_steering_vector(const std::filesystem::path& file, const std::string& flag) {
  std::unique_ptr<SafetensorsFile> opened;
  try {
    opened = std::make_unique<SafetensorsFile>(file);
  } catch (const Error& e) {
    fail(flag + ": " + e.what());
  }
  const SafetensorsFile& f = *opened;
  const auto it = f.tensors().find("vector");
  if (it == f.tensors().end()) fail(flag + ": " + file.string() + " has no tensor named 'vector'");
  const TensorView& t = it->second;
  if (t.dtype != DType::F32 || t.shape.size() != 1)
    fail(flag + ": " + file.string() + ": 'vector' must be F32 with one dimension, not " + t.shape_string());
  std::vector<float> v = t.to_f32();
  for (float x : v)
    if (!std::isfinite(x)) fail(flag + ": " + file.string() + ": 'vector' holds a value that is not finite");
  return v;
}

void write_steering_vector(const std::filesystem::path& file, const std::vector<float>& vector,
                           const std::map<std::string, std::string>& metadata) {
  write_safetensors(file, {OwnedTensor::f32("vector", {int64_t(vector.size())}, vector.data())}, metadata);
}

}  // namespace glassbox
