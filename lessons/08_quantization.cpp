// Lesson 08: quantization. Store each weight in 8 or 4 bits instead of 16 or 32: groups of 64 weights share
// a scale and an offset, and each weight keeps only a small integer code. The model shrinks and speeds up;
// how much its predictions move is what we measure. Then the fast compute mode also rounds the activations,
// to 8-bit integers, so that the multiplications themselves run in integers: what does that cost?
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "generate/generate.h"
#include "lesson.h"
#include "quant/compute_mode.h"
#include "quant/convert.h"
#include "quant/drift.h"
#include "render/bar_chart.h"
#include "render/line_chart.h"

using namespace glassbox;
namespace fs = std::filesystem;

namespace {

struct Variant {
  std::string name;  // "bf16", "8-bit", "4-bit", "4-bit fast"
  fs::path dir;
  double bits_per_weight = 0;
  ComputeMode mode = ComputeMode::Exact;
};

// Next-token logits at every position of `ids`.
std::vector<float> all_logits(const Model& model, const std::vector<int32_t>& ids) {
  KVCache cache = model.new_cache(int64_t(ids.size()));
  return model.forward(ids, cache, nullptr, /*all_logits=*/true);
}

// The first `count` weights of layer 0's q_proj row 0 as the model computes with them, sorted: a smooth
// curve in float, a staircase of at most 2^bits levels once quantized.
std::vector<double> sorted_group(const Model& model, int64_t count) {
  std::vector<float> row(size_t(model.config().hidden));
  model.layer(0).q.dequantize_row(0, row.data());
  std::vector<double> group(row.begin(), row.begin() + std::min<int64_t>(count, int64_t(row.size())));
  std::sort(group.begin(), group.end());
  return group;
}

struct Levels {
  size_t max_per_group = 0, whole = 0, count = 0;
  double mean_per_group = 0;
};

// Distinct values of a weight matrix as the model computes with it, per group of `group` along each row and
// over the whole matrix.
Levels distinct_values(const Linear& w, int64_t group) {
  Levels n;
  std::set<float> whole;
  std::vector<float> row(size_t(w.cols()));
  size_t groups = 0;
  for (int64_t r = 0; r < w.rows(); ++r) {
    w.dequantize_row(r, row.data());
    whole.insert(row.begin(), row.end());
    for (int64_t g = 0; g + group <= w.cols(); g += group, ++groups) {
      const size_t distinct = std::set<float>(row.begin() + g, row.begin() + g + group).size();
      n.max_per_group = std::max(n.max_per_group, distinct);
      n.mean_per_group += double(distinct);
    }
  }
  n.mean_per_group /= double(std::max<size_t>(groups, 1));
  n.whole = whole.size();
  n.count = size_t(w.rows() * w.cols());
  return n;
}

int quantization(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "08_quantization", "The model in its precision vs 8-bit vs 4-bit.");
  if (!l) return 0;
  const Tokenizer tokenizer = lesson::load_tokenizer(*l);
  const fs::path work = fs::temp_directory_path() / ("glassbox-08-" + std::to_string(getpid()));
  struct Cleanup { fs::path p; ~Cleanup() { std::error_code ec; fs::remove_all(p, ec); } } cleanup{work};

  lesson::section("1. Convert: 8-bit and 4-bit copies, groups of 64");
  std::vector<Variant> variants = {{Model::load(l->model_dir).embedding().format_name(), l->model_dir, 0}};
  for (int bits : {8, 4}) {
    ConvertOptions options;
    options.bits = bits;
    const fs::path dir = work / ("q" + std::to_string(bits));
    const ConvertStats stats = convert_model(l->model_dir, dir, options, [](size_t, size_t) {});
    variants.push_back({std::to_string(bits) + "-bit", dir, stats.bits_per_weight()});
    variants.push_back({std::to_string(bits) + "-bit fast", dir, stats.bits_per_weight(), ComputeMode::Fast});
    std::printf("%d-bit: %.3f bits per weight (the scales and offsets cost the extra)", bits, stats.bits_per_weight());
    std::printf("%s\n", stats.unquantized.empty() ? "" : ", some tensors stay in float (width not divisible by 64)");
  }

  lesson::section("2. Size, speed and drift");
  // Drift: on a text, how often the top prediction stays the same, and the KL divergence of the whole
  // distribution from the original's (0 = identical).
  const std::string text = "In the beginning God created the heaven and the earth. And the earth was without form";
  const std::vector<int32_t> ids = lesson::encode(tokenizer, text);
  std::vector<float> reference, same_weights;  // the original's logits; the last exact row's
  std::string activation_cost;
  render::BarChart sizes;
  render::LineChart values;
  // "fast" rows: the same weights, with activations rounded to int8 per block of 32 before each product.
  std::printf("| %-10s | %9s | %10s | %12s | %10s |\n", "weights", "size MB", "gen tok/s", "top-1 agree", "mean KL");
  for (const Variant& v : variants) {
    const Model model = Model::load(v.dir);
    const ComputeModeScope mode(v.mode);
    const std::vector<float> logits = all_logits(model, ids);
    if (reference.empty()) reference = logits;
    const Drift d = logit_drift(reference, logits, model.config().vocab);
    GenerationSettings settings;
    settings.max_tokens = 48;
    const GenerationResult r = generate(model, ids, settings);
    const double mb = double(model.tensors().total_bytes()) / 1e6;
    std::printf("| %-10s | %9.2f | %10.1f | %11.1f%% | %10.5f |\n", v.name.c_str(), mb, r.generation_tps(),
                100 * d.top1_agreement, d.mean_kl);
    if (v.mode == ComputeMode::Fast) {  // same weights as the row above: the drift is the activations' alone
      const Drift a = logit_drift(same_weights, logits, model.config().vocab);
      char line[160];
      std::snprintf(line, sizeof line, "%s: rounding the activations moves the predictions by KL %.5f (top-1 agrees %.1f%%)\n",
                    v.name.c_str(), a.mean_kl, 100 * a.top1_agreement);
      activation_cost += line;
      continue;
    }
    same_weights = logits;
    sizes.labels.push_back(v.name);
    sizes.values.push_back(mb);
    values.series.push_back({v.name, {}, sorted_group(model, 64)});
  }

  lesson::section("3. What rounding the activations costs");
  // Fast mode rounds each block of 32 activations to integers -127..127 times one scale, so the products run
  // as 8-bit integer multiply-adds (llama.cpp's Q8_0 activations). Compared with the same weights in exact
  // f32 compute, this is the drift the speed costs:
  std::printf("%s", activation_cost.c_str());

  lesson::section("4. Fewer distinct values");
  // Each group of 64 weights shares one scale and offset, so a 4-bit group holds at most 16 distinct values
  // and an 8-bit group at most 256 (here at most 64: a group has only 64 weights). Across the whole matrix
  // every group has its own scale, so there the count is bounded by groups x levels, and can exceed bf16's:
  // bf16 is one global grid of 256 values per power of two.
  std::printf("| %-8s | %15s | %16s | %26s |\n", "weights", "max per group", "mean per group", "in layer 0 q_proj");
  for (const Variant& v : variants) {
    if (v.mode == ComputeMode::Fast) continue;
    const Levels n = distinct_values(Model::load(v.dir).layer(0).q, 64);
    std::printf("| %-8s | %15zu | %16.1f | %14zu of %8zu |\n", v.name.c_str(), n.max_per_group, n.mean_per_group,
                n.whole, n.count);
  }

  sizes.format = render::ValueFormat::Number;
  sizes.labels_are_tokens = false;
  sizes.title = "Size of the weights (MB)";
  sizes.subtitle = "the same model in its own precision, 8-bit and 4-bit (groups of 64)";
  lesson::save(*l, sizes, "sizes");
  values.title = "One group of 64 weights (layer 0 q_proj, row 0), sorted";
  values.subtitle = "a 4-bit group keeps at most 16 levels: the smooth curve becomes a staircase";
  values.x_label = "rank within the group";
  values.y_label = "weight";
  lesson::save(*l, values, "row_values");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, quantization); }
