#pragma once
// Parameter counts per weight group, the way mlx-lm and the HF model card count them: a quantized weight
// counts its logical rows x cols, and its scales and biases are bookkeeping, not parameters.
#include <cstdint>
#include <string>
#include <vector>

#include "model/config.h"
#include "core/safetensors.h"

namespace glassbox {

struct ParamGroup {
  std::string name;      // "embedding", "q_proj.weight", "input_layernorm", "lm_head", ...
  int64_t layer = -1;    // -1: not inside a decoder layer
  int64_t count = 0;
};

struct ParamReport {
  std::vector<ParamGroup> groups;  // in checkpoint order: embedding, layers, final norm, lm head
  int64_t total = 0;
  bool tied_lm_head = false;
  int64_t per_layer(int64_t layer) const;
  int64_t group_total(const std::string& name) const;  // summed over layers
};

ParamReport count_parameters(const ModelConfig& config, const TensorStore& store);

// The logical element count of one checkpoint tensor (unpacks quantized codes; 0 for scales/biases).
int64_t logical_params(const ModelConfig& config, const TensorStore& store, const std::string& name);

}  // namespace glassbox
