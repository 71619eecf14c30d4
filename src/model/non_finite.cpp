// What a forward pass reports when a value goes non-finite: the first site where it did, and the weight
// matrix behind it when one holds NaN or infinity. Only this failure path reads whole matrices, so a model
// whose values stay finite never pays for it.
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "model/finite.h"
#include "model/model.h"
#include "model/tensor_names.h"

namespace glassbox {
namespace {

// The first row of `w` holding a non-finite value (in its codes, scales or biases), or -1.
int64_t first_bad_row(const Linear& w, int64_t r0 = 0, int64_t r1 = -1) {
  const Kernels& kernels = active_kernels();
  if (r1 < 0) r1 = w.rows();
  constexpr int64_t kPanel = 64;
  std::vector<float> panel(size_t(kPanel * w.cols()));
  for (int64_t r = r0; r < r1; r += kPanel) {
    const int64_t n = std::min(kPanel, r1 - r);
    kernels.dequantize_rows(w.weights(), r, r + n, panel.data());
    const size_t i = first_non_finite(panel.data(), size_t(n * w.cols()));
    if (i < size_t(n * w.cols())) return r + int64_t(i) / w.cols();
  }
  return -1;
}

std::string tensor_name(const std::string& module, const Linear& w) {
  return w.format() == WeightFormat::Quantized ? "'" + module + ".weight' (or its scales and biases)"
                                               : "'" + module + ".weight'";
}

}  // namespace

void Model::report_non_finite(const float* values, int64_t rows, int64_t cols, const char* site, int64_t layer,
                              std::span<const int32_t> tokens, std::span<const int64_t> positions) const {
  const int64_t row = int64_t(first_non_finite(values, size_t(rows * cols))) / cols;
  const std::string name = layer >= 0 ? std::string(site) + "." + std::to_string(layer) : site;
  const std::string where = name + " went non-finite (NaN or infinity) at position " + std::to_string(positions[size_t(row)]) +
                            " (token id " + std::to_string(tokens[size_t(row)]) + ")";
  std::vector<std::pair<std::string, const Linear*>> suspects;
  const std::string p = hf::layer_prefix(layer);
  if (name == "embed") {
    const int32_t id = tokens[size_t(row)];
    if (first_bad_row(embedding_, id, id + 1) >= 0)
      fail(where + ": tensor " + tensor_name(hf::kEmbedding, embedding_) + " row " + std::to_string(id) +
           " holds NaN or infinity");
  } else if (name == "logits") {
    suspects.emplace_back(config_.tie_embeddings ? hf::kEmbedding : hf::kLmHead, &lm_head());
  } else if (std::string(site) == "attn_out") {
    const LayerWeights& w = layers_[size_t(layer)];
    suspects = {{p + hf::kQ, &w.q}, {p + hf::kK, &w.k}, {p + hf::kV, &w.v}, {p + hf::kO, &w.o}};
  } else {
    const LayerWeights& w = layers_[size_t(layer)];
    suspects = {{p + hf::kGate, &w.gate}, {p + hf::kUp, &w.up}, {p + hf::kDown, &w.down}};
  }
  for (const auto& [module, w] : suspects)
    if (const int64_t r = first_bad_row(*w); r >= 0)
      fail(where + ": tensor " + tensor_name(module, *w) + " row " + std::to_string(r) + " holds NaN or infinity");
  fail(where + " although the weights it was computed from are finite: the values overflowed float32");
}

}  // namespace glassbox
