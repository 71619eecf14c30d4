#pragma once
// A PCRE2 regex compiled with UTF and UCP, so \s, \p{L}, \p{N} mean what tokenizer.json's Oniguruma
// patterns mean. JIT-compiled when the platform allows.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace glassbox {

class Regex {
 public:
  // `where` names the pattern's place in the file for error messages.
  Regex(const std::string& pattern, const std::string& where);
  // Non-overlapping matches left to right as byte ranges; empty matches are skipped. `text` must be valid
  // UTF-8 (it is not checked again).
  std::vector<std::pair<size_t, size_t>> find_all(std::string_view text) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// Every occurrence of a literal string, non-overlapping, left to right.
std::vector<std::pair<size_t, size_t>> find_all_literal(std::string_view text, std::string_view needle);

}  // namespace glassbox
