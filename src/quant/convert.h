#pragma once
// Writing a checkpoint in another precision, the way `mlx_lm.convert -q` does: every 2-D ".weight" tensor
// (Linear layers, the embedding, an untied LM head) whose input dimension splits into groups is quantized;
// the rest is cast to the chosen float dtype.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "quant/checkpoint_writer.h"

namespace glassbox {

struct ConvertOptions {
  int bits = 0;         // 0: no quantization, only the dtype cast
  int group_size = 64;
  DType dtype = DType::BF16;  // unquantized tensors, scales and biases
};

// What one conversion produced; bits_per_weight is mlx-lm's figure: every stored byte (scales, biases and
// norms included) over the logical parameter count.
struct ConvertStats {
  std::vector<std::string> unquantized;  // 2-D weights left in float because their width does not split into groups
  size_t bytes = 0;
  int64_t params = 0;
  double bits_per_weight() const { return params ? double(bytes) * 8.0 / double(params) : 0.0; }
};

// Writes source tensors, given as f32 rows, in their stored form (the weight cast to options.dtype, or its
// codes + scales + biases), a block of rows at a time: plan() every source tensor, open() the output, then
// encode() each tensor's rows in any order of blocks, then finish().
class CheckpointEncoder {
 public:
  explicit CheckpointEncoder(const ConvertOptions& options) : options_(options) {}
  void plan(const std::string& name, const std::vector<int64_t>& shape);
  void open(const std::filesystem::path& dir, size_t max_shard_bytes = kMaxShardBytes);
  // Rows [r0, r1) of source tensor `name` (rows along its first dimension), `values` holding exactly them.
  void encode(const std::string& name, const float* values, int64_t r0, int64_t r1);
  void finish() { writer_->finish(); }
  const ConvertStats& stats() const { return stats_; }
  size_t shard_count() const { return writer_->shard_count(); }

  // Rows of a tensor of `shape` that make one block of about 64 MB of f32: a block of the largest
  // tensor (an 8B model's embedding is 2.5 GB in f32) costs that much memory, never the whole tensor.
  static int64_t rows_per_block(const std::vector<int64_t>& shape);

 private:
  struct Source {
    std::vector<int64_t> shape;
    bool quantized = false;
  };
  ConvertOptions options_;
  ConvertStats stats_;
  std::map<std::string, Source> sources_;
  std::vector<TensorPlan> plan_;
  std::unique_ptr<CheckpointWriter> writer_;
};

// Converts the checkpoint in `in` into the new directory `out` (which must not exist): model.safetensors
// (or shards of at most `max_shard_bytes` with model.safetensors.index.json), config.json with its
// "quantization" entry, and every other file (tokenizer, generation config) copied. The directory appears
// whole or not at all. One block of rows is in memory at a time (see CheckpointEncoder), and the source
// pages already read are handed back, so memory stays near 100 MB whatever the model's size.
// `progress(done, total)` is called after every tensor.
ConvertStats convert_model(const std::filesystem::path& in, const std::filesystem::path& out,
                           const ConvertOptions& options, const std::function<void(size_t, size_t)>& progress,
                           size_t max_shard_bytes = kMaxShardBytes);

// The "quantization" object of config.json for `options` and `stats`, as mlx-lm writes it.
std::string quantization_json(const ConvertOptions& options, const ConvertStats& stats);

}  // namespace glassbox
