#pragma once
// Reading tokenizer.json components with errors that name the field at fault.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace glassbox {
class Regex;
}

namespace glassbox::json_fields {

using nlohmann::json;

// The largest token id a tokenizer may use: 8 times the largest vocabulary of a published model (262,144),
// so that a hostile id can make glassbox allocate at most a few tens of MB of tables, never gigabytes.
constexpr int32_t kMaxTokenId = (1 << 21) - 1;

const json& require(const json& j, const std::string& key, const std::string& where);
// A required field of one JSON type; errors name "<where>.<key>".
std::string string_at(const json& j, const std::string& key, const std::string& where);
const json& list_at(const json& j, const std::string& key, const std::string& where);
// An integer in [lo, hi]; `where` names the value.
int64_t integer_in(const json& v, int64_t lo, int64_t hi, const std::string& where);
// A token id: an integer in [0, kMaxTokenId].
int32_t token_id(const json& v, const std::string& where);
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
