#pragma once
// safetensors files, read zero-copy through mmap and validated before any tensor is used.
// Format: 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}},
// then the data area that data_offsets index into.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/mapped_file.h"
#include "core/dtype.h"

namespace glassbox {

struct TensorView {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  const unsigned char* data = nullptr;  // not necessarily aligned
  size_t nbytes = 0;

  int64_t numel() const;
  std::string shape_string() const;  // "[64, 512]"
  std::vector<float> to_f32() const;  // float dtypes only
};

class SafetensorsFile {
 public:
  // Maps and validates the whole header; throws Error naming the file and the tensor at fault.
  explicit SafetensorsFile(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  const std::map<std::string, TensorView>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  std::filesystem::path path_;
  MappedFile file_;
  std::map<std::string, TensorView> tensors_;
  std::map<std::string, std::string> metadata_;
};

// All tensors of a checkpoint directory: model.safetensors, or the shards named by
// model.safetensors.index.json, or every *.safetensors file in the directory.
class TensorStore {
 public:
  static TensorStore open_dir(const std::filesystem::path& dir);

  const TensorView* find(const std::string& name) const;
  const TensorView& get(const std::string& name) const;  // throws "<dir>: missing tensor <name>"
  std::vector<std::string> names() const;                 // sorted
  size_t total_bytes() const;

 private:
  std::filesystem::path source_;
  std::vector<std::shared_ptr<SafetensorsFile>> files_;
  std::map<std::string, const TensorView*> index_;
};

// A tensor to be written: shape, dtype and the raw little-endian bytes.
struct OwnedTensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<unsigned char> bytes;

  static OwnedTensor f32(std::string name, std::vector<int64_t> shape, const float* values);
  static OwnedTensor i64(std::string name, const std::vector<int64_t>& values);
};

// Writes a safetensors file atomically; tensors are stored in name order after a header padded to 8 bytes.
void write_safetensors(const std::filesystem::path& path, const std::vector<OwnedTensor>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace glassbox
