#pragma once
// The real tokenizers of ../shared, each loaded once per test binary (the big ones take a second).
#include <map>
#include <string>

#include "support/shared.h"
#include "tokenizer/tokenizer.h"

namespace glassbox::test {

inline const Tokenizer& shared_tokenizer(const std::string& name) {
  static std::map<std::string, Tokenizer> loaded;
  auto it = loaded.find(name);
  if (it == loaded.end()) {
    const std::string dir = name == "stories260K" ? "models/stories260K" : "tokenizers/" + name;
    it = loaded.emplace(name, Tokenizer::load(shared_path(dir))).first;
  }
  return it->second;
}

}  // namespace glassbox::test
