#include "core/json_file.h"

#include "base/error.h"
#include "base/input_file.h"

namespace glassbox {

namespace {

// How deeply `text` nests arrays and objects (brackets inside strings do not count).
int nesting_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// nlohmann's message without its prefix and without the text it last read (which would quote the file).
std::string reason(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  const size_t at = what.find("parse error");
  if (at != std::string::npos) what = what.substr(at);
  const size_t quote = what.find("; last read: '");
  if (quote != std::string::npos) {
    const size_t expected = what.find("; expected", quote);
    what = what.substr(0, quote) + (expected == std::string::npos ? "" : what.substr(expected));
  }
  return what;
}

}  // namespace

nlohmann::json parse_json(std::string_view text, const std::string& where) {
  if (nesting_depth(text) > kMaxJsonDepth)
    fail(where + ": not valid JSON for glassbox (nested deeper than " + std::to_string(kMaxJsonDepth) + " levels)");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    fail(where + ": not valid JSON (" + reason(e) + ")");
  }
}

nlohmann::json read_json_file(const std::filesystem::path& path, uint64_t max_bytes) {
  return parse_json(read_input_file(path, max_bytes), path.string());
}

std::string json_excerpt(const nlohmann::json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "a list";
  std::string s = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

}  // namespace glassbox
