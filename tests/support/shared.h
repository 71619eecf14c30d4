#pragma once
// Test access to ../shared. A missing shared/ is a failure, never a skip: CI always has it.
#include <gtest/gtest.h>

#include <filesystem>

#include "session/shared_paths.h"

namespace glassbox::test {

inline std::filesystem::path shared_path(const std::filesystem::path& relative) {
  const std::filesystem::path p = shared_dir() / relative;
  if (!std::filesystem::exists(p))
    ADD_FAILURE() << "shared test data missing: " << p << " (set GLASSBOX_SHARED to the shared/ folder)";
  return p;
}

}  // namespace glassbox::test
