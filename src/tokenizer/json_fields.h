#pragma once
// Reading tokenizer.json components with errors that name the field at fault.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace glassbox {
class Regex;
}

namespace glassbox::json_fields {

using nlohmann::json;

const json& require(const json& j, const std::string& key, const std::string& where);
std::string string_or(const json& j, const std::string& key, const std::string& fallback, const std::string& where);
bool bool_or(const json& j, const std::string& key, bool fallback, const std::string& where);
// The component's "type", or an error naming `where`.
std::string type_of(const json& j, const std::string& where);

// A {"String": s} or {"Regex": r} pattern as used by Split and Replace, applied to text.
class Pattern {
 public:
  Pattern(const json& j, const std::string& where);
  std::vector<std::pair<size_t, size_t>> find_all(std::string_view text) const;

 private:
  std::string literal_;
  std::shared_ptr<const Regex> regex_;
};

[[noreturn]] void unsupported(const std::string& where, const std::string& type);

}  // namespace glassbox::json_fields
