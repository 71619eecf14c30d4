#pragma once
// Writes a checkpoint's tensors the way mlx-lm saves them, a piece at a time: the tensors are planned first
// (name, dtype, shape), which fixes every file's header and every tensor's place, and then any piece of any
// tensor can be written at its offset. Memory stays at one piece however large the checkpoint is.
// Files: model.safetensors when everything fits in one shard, else model-0000i-of-0000n.safetensors, each
// holding at most max_shard_bytes of tensor data (mlx-lm's 5 GiB), plus model.safetensors.index.json.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/dtype.h"

namespace glassbox {

struct TensorPlan {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  size_t bytes() const;
};

constexpr size_t kMaxShardBytes = size_t(5) << 30;  // mlx-lm's MAX_FILE_SIZE_GB

class CheckpointWriter {
 public:
  // Creates the shard files in `dir` (an existing directory, normally a private temporary one) with their
  // headers; `metadata` goes into every header's __metadata__, `total_parameters` into the index.
  CheckpointWriter(const std::filesystem::path& dir, std::vector<TensorPlan> plan,
                   const std::map<std::string, std::string>& metadata, int64_t total_parameters,
                   size_t max_shard_bytes = kMaxShardBytes);
  ~CheckpointWriter();
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  // The position of `name` in the plan; throws if it is not planned.
  size_t index(const std::string& name) const;
  // Writes bytes [offset, offset + n) of planned tensor `tensor`.
  void write(size_t tensor, size_t offset, const void* data, size_t n);
  // Checks that every planned byte was written, closes the shards and writes the index.
  void finish();

  size_t shard_count() const { return shards_.size(); }

 private:
  struct Shard {
    std::filesystem::path path;
    int fd = -1;
  };
  struct Placed {
    TensorPlan plan;
    size_t shard = 0, offset = 0, written = 0;  // offset: in the shard file
  };
  std::filesystem::path dir_;
  std::vector<Shard> shards_;
  std::vector<Placed> tensors_;
  std::map<std::string, size_t> by_name_;
  int64_t total_parameters_ = 0;
};

}  // namespace glassbox
