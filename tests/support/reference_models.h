#pragma once
// The checkpoints whose activations, interventions and analyses have torch references
// (training/make_hook_references.py writes tests/model/references/<name>.safetensors for each).
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "session/shared_paths.h"

namespace glassbox::test {

struct ReferenceModel {
  std::string name;  // references/<name>.safetensors
  std::filesystem::path model;
};

inline void PrintTo(const ReferenceModel& m, std::ostream* os) { *os << m.name; }  // in gtest's messages

inline std::vector<ReferenceModel> reference_models() {
  const std::filesystem::path shared = shared_dir();
  return {{"glassbox-demo", GLASSBOX_SOURCE_DIR "/models/glassbox-demo"},
          {"stories260K", shared / "models/stories260K"},
          {"tiny-qwen2", shared / "fixtures/tiny/tiny-qwen2"},
          {"tiny-qwen3", shared / "fixtures/tiny/tiny-qwen3"}};
}

}  // namespace glassbox::test
