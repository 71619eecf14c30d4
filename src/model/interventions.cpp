#include "model/interventions.h"

#include <algorithm>

#include "base/error.h"

namespace glassbox {
namespace {

// Column-wise mean of rows [0, rows) of a [rows, width] block whose rows are `stride` apart.
std::vector<float> mean_rows(const float* data, int64_t rows, int64_t width, int64_t stride) {
  std::vector<double> sum(static_cast<size_t>(width), 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t i = 0; i < width; ++i) sum[size_t(i)] += data[r * stride + i];
  std::vector<float> mean(static_cast<size_t>(width));
  for (int64_t i = 0; i < width; ++i) mean[size_t(i)] = float(sum[size_t(i)] / double(rows));
  return mean;
}

}  // namespace

void add_head_ablation(Hooks& hooks, const ModelConfig& config, const std::vector<HeadRef>& heads, AblateMode mode) {
  const int64_t hd = config.head_dim;
  for (const HeadRef& h : heads) {
    if (h.layer < 0 || h.layer >= config.n_layers || h.head < 0 || h.head >= config.n_heads)
      fail("ablate: head " + std::to_string(h.layer) + "." + std::to_string(h.head) + " is outside the model (layers 0.." +
           std::to_string(config.n_layers - 1) + ", heads 0.." + std::to_string(config.n_heads - 1) + ")");
    auto mean = std::make_shared<std::vector<float>>();  // shared by the copies of the hook
    hooks.add({SiteKind::z, h.layer}, [=, head = h.head](Activation& a) {
      if (mode == AblateMode::mean && (a.position == 0 || mean->empty()))
        *mean = mean_rows(a.data + head * hd, a.rows, hd, a.cols);
      for (int64_t r = 0; r < a.rows; ++r) {
        float* slice = a.row(r) + head * hd;
        if (mode == AblateMode::zero) std::fill_n(slice, hd, 0.0f);
        else std::copy(mean->begin(), mean->end(), slice);
      }
    });
  }
}

void add_patch(Hooks& hooks, Site site, std::shared_ptr<const CapturedTensor> source, int64_t position) {
  const bool pattern = is_attention_pattern(site.kind);
  if (source->shape.size() != (pattern ? 3u : 2u)) fail("patch " + site_name(site) + ": the source has the wrong rank");
  const int64_t src_rows = source->shape[pattern ? 1 : 0], src_cols = source->shape.back();
  hooks.add(site, [=](Activation& a) {
    if (!pattern && a.cols != src_cols)
      fail("patch " + site_name(site) + ": the source is " + std::to_string(src_cols) + " wide, the activation " +
           std::to_string(a.cols));
    const float* base = source->values.data() + (pattern ? a.head * src_rows * src_cols : 0);
    for (int64_t r = 0; r < a.rows; ++r) {
      const int64_t p = a.position + r;
      if (p >= src_rows || (position >= 0 && p != position)) continue;
      std::copy_n(base + p * src_cols, std::min(a.cols, src_cols), a.row(r));
    }
  });
}

void add_steering(Hooks& hooks, Site site, std::vector<float> vector, float scale) {
  if (is_attention_pattern(site.kind)) fail("steer: " + site_name(site) + " is an attention pattern; steer a [T, width] activation");
  hooks.add(site, [=, v = std::move(vector)](Activation& a) {
    if (a.cols != int64_t(v.size()))
      fail("steer " + site_name(site) + ": the vector has " + std::to_string(v.size()) + " values, the activation is " +
           std::to_string(a.cols) + " wide");
    for (int64_t r = 0; r < a.rows; ++r)
      for (int64_t i = 0; i < a.cols; ++i) a.row(r)[i] += scale * v[size_t(i)];
  });
}

std::vector<float> steering_vector(const Model& model, Site site, std::span<const int32_t> positive,
                                   std::span<const int32_t> negative, bool mean) {
  if (is_attention_pattern(site.kind)) fail("steer-vector: " + site_name(site) + " is an attention pattern");
  auto summary = [&](std::span<const int32_t> ids) {
    const CapturedTensor t = run_with_cache(model, ids, {site}).get(site);
    const int64_t rows = t.shape[0], width = t.shape[1];
    return mean ? mean_rows(t.values.data(), rows, width, width)
                : std::vector<float>(t.values.end() - width, t.values.end());
  };
  std::vector<float> v = summary(positive);
  const std::vector<float> n = summary(negative);
  for (size_t i = 0; i < v.size(); ++i) v[i] -= n[i];
  return v;
}

}  // namespace glassbox
