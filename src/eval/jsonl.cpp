#include "eval/jsonl.h"

#include <fstream>

#include "base/error.h"

namespace glassbox {
namespace {

constexpr std::uintmax_t kMaxBytes = std::uintmax_t(1) << 30;

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

std::vector<ChatMessage> JsonlRecord::messages(const char* key) const {
  const nlohmann::json& v = value_.at(key);
  const std::string where = "\"" + std::string(key) + "\"";
  if (!v.is_array() || v.empty()) fail(where + " must be a non-empty array of {\"role\", \"content\"} objects");
  std::vector<ChatMessage> messages;
  for (size_t i = 0; i < v.size(); ++i) {
    const nlohmann::json& m = v[i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    if (!m.is_object()) fail(at + " must be an object, not " + type_name(m));
    for (const auto& [field, _] : m.items())
      if (field != "role" && field != "content") fail(at + ": unknown field \"" + field + "\"");
    if (!m.contains("role") || !m["role"].is_string()) fail(at + ": \"role\" must be a string");
    if (!m.contains("content") || !m["content"].is_string()) fail(at + ": \"content\" must be a string");
    messages.push_back({m["role"].get<std::string>(), m["content"].get<std::string>()});
  }
  return messages;
}

std::vector<JsonlRecord> read_jsonl(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) glassbox::fail(path.string() + ": cannot open: no such file");
  if (!fs::is_regular_file(status)) glassbox::fail(path.string() + ": not a regular file");
  if (fs::file_size(path, ec) > kMaxBytes) glassbox::fail(path.string() + ": larger than 1 GiB");
  std::ifstream f(path, std::ios::binary);
  if (!f) glassbox::fail(path.string() + ": cannot open");

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
  if (f.bad()) glassbox::fail(path.string() + ": read error");
  if (records.empty()) glassbox::fail(path.string() + ": no records (expected one JSON object per line)");
  return records;
}

}  // namespace glassbox
