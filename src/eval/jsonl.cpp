#include "eval/jsonl.h"

#include <sstream>

#include "base/error.h"
#include "base/input_file.h"

namespace glassbox {
namespace {

constexpr uint64_t kMaxBytes = uint64_t(1) << 30;

std::string type_name(const nlohmann::json& v) { return v.type_name(); }

}  // namespace

void JsonlRecord::fail(const std::string& message) const {
  glassbox::fail(file_ + " line " + std::to_string(line_) + ": " + message);
}

void JsonlRecord::only_fields(std::initializer_list<const char*> known) const {
  for (const auto& [key, _] : value_.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) {
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + "\"" + k + "\"";
      fail("unknown field \"" + key + "\" (known: " + list + ")");
    }
  }
}

std::string JsonlRecord::string(const char* key) const {
  if (!has(key)) fail("missing \"" + std::string(key) + "\"");
  const nlohmann::json& v = value_.at(key);
  if (!v.is_string()) fail("\"" + std::string(key) + "\" must be a string, not " + type_name(v));
  return v.get<std::string>();
}

std::string JsonlRecord::string_or_integer(const char* key) const {
  if (!has(key)) fail("missing \"" + std::string(key) + "\"");
  const nlohmann::json& v = value_.at(key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return v.dump();
  fail("\"" + std::string(key) + "\" must be a string or an integer, not " + type_name(v));
}

jinja::Value JsonlRecord::messages(const char* key) const {
  const nlohmann::json& v = value_.at(key);
  const std::string where = file_ + " line " + std::to_string(line_) + ": \"" + key + "\"";
  if (!v.is_array() || v.empty()) fail("\"" + std::string(key) + "\" must be a non-empty list of {\"role\", \"content\"} objects");
  return parse_messages(v.dump(), where);
}

std::vector<JsonlRecord> read_jsonl(const std::filesystem::path& path) {
  std::istringstream f(read_input_file(path, kMaxBytes));
  std::vector<JsonlRecord> records;
  std::string line;
  for (int64_t number = 1; std::getline(f, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    nlohmann::json value;
    try {
      value = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      std::string why = e.what();
      // nlohmann's messages start with "[json.exception.parse_error.101] "; the rest is the useful part.
      if (const size_t end = why.find("] "); end != std::string::npos) why.erase(0, end + 2);
      glassbox::fail(path.string() + " line " + std::to_string(number) + ": not valid JSON: " + why);
    }
    if (!value.is_object())
      glassbox::fail(path.string() + " line " + std::to_string(number) + ": expected a JSON object, not " +
                     type_name(value));
    records.emplace_back(path.string(), number, std::move(value));
  }
  if (records.empty()) glassbox::fail(path.string() + ": no records (expected one JSON object per line)");
  return records;
}

}  // namespace glassbox
