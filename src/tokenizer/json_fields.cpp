#include "tokenizer/json_fields.h"

#include "base/error.h"
#include "core/json_file.h"
#include "tokenizer/regex.h"

namespace glassbox::json_fields {

const json& require(const json& j, const std::string& key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) fail(where + ": missing field '" + key + "'");
  return j.at(key);
}

std::string string_at(const json& j, const std::string& key, const std::string& where) {
  const json& v = require(j, key, where);
  if (!v.is_string()) fail(where + "." + key + ": expected a string");
  return v.get<std::string>();
}

const json& list_at(const json& j, const std::string& key, const std::string& where) {
  const json& v = require(j, key, where);
  if (!v.is_array()) fail(where + "." + key + ": expected a list");
  return v;
}

int64_t integer_in(const json& v, int64_t lo, int64_t hi, const std::string& where) {
  const bool ok = v.is_number_unsigned() ? v.get<uint64_t>() <= uint64_t(hi) && int64_t(v.get<uint64_t>()) >= lo
                  : v.is_number_integer() ? v.get<int64_t>() >= lo && v.get<int64_t>() <= hi
                                          : false;
  if (!ok)
    fail(where + ": expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
         json_excerpt(v));
  return v.get<int64_t>();
}

int32_t token_id(const json& v, const std::string& where) {
  return static_cast<int32_t>(integer_in(v, 0, kMaxTokenId, where));
}

std::string string_or(const json& j, const std::string& key, const std::string& fallback, const std::string& where) {
  if (!j.contains(key) || j.at(key).is_null()) return fallback;
  if (!j.at(key).is_string()) fail(where + "." + key + ": expected a string");
  return j.at(key).get<std::string>();
}

bool bool_or(const json& j, const std::string& key, bool fallback, const std::string& where) {
  if (!j.contains(key) || j.at(key).is_null()) return fallback;
  if (!j.at(key).is_boolean()) fail(where + "." + key + ": expected true or false");
  return j.at(key).get<bool>();
}

std::string type_of(const json& j, const std::string& where) {
  const json& t = require(j, "type", where);
  if (!t.is_string()) fail(where + ".type: expected a string");
  return t.get<std::string>();
}

Pattern::Pattern(const json& j, const std::string& where) {
  if (j.contains("String") && j.at("String").is_string()) {
    literal_ = j.at("String").get<std::string>();
    if (literal_.empty()) fail(where + ".String: empty pattern");
  } else if (j.contains("Regex") && j.at("Regex").is_string()) {
    regex_ = std::make_shared<const Regex>(j.at("Regex").get<std::string>(), where + ".Regex");
  } else {
    fail(where + ": expected {\"String\": ...} or {\"Regex\": ...}");
  }
}

std::vector<std::pair<size_t, size_t>> Pattern::find_all(std::string_view text) const {
  return regex_ ? regex_->find_all(text) : find_all_literal(text, literal_);
}

void unsupported(const std::string& where, const std::string& type) {
  fail(where + ": '" + type + "' is not supported by glassbox");
}

}  // namespace glassbox::json_fields
