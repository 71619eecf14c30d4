#pragma once
// Small file helpers shared by the tests.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/safetensors.h"

namespace glassbox::test {

// The whole file, byte for byte.
inline std::string read_all(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

// An I64 tensor of token ids (input_ids, greedy_ids of the reference files) as int32 ids.
inline std::vector<int32_t> token_ids(const TensorView& t) {
  std::vector<int32_t> ids;
  for (int64_t i = 0; i < t.numel(); ++i) {
    int64_t v;
    std::memcpy(&v, t.data + 8 * i, 8);
    ids.push_back(int32_t(v));
  }
  return ids;
}

}  // namespace glassbox::test
