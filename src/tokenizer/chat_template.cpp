#include "tokenizer/chat_template.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "tokenizer/jinja/json.h"

namespace glassbox {
namespace {

constexpr size_t kMaxMessagesBytes = size_t(64) << 20;

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

}  // namespace

ChatTemplate::ChatTemplate(std::string_view source, const std::string& file)
    : template_(jinja::Template::parse(source, file)) {}

std::string ChatTemplate::render(const ChatRequest& request, const jinja::Variables& special_tokens) const {
  jinja::Variables vars = {{"messages", request.messages},
                           {"tools", jinja::Value::none()},
                           {"documents", jinja::Value::none()},
                           {"add_generation_prompt", jinja::Value::boolean(request.add_generation_prompt)}};
  vars.insert(vars.end(), special_tokens.begin(), special_tokens.end());
  vars.insert(vars.end(), request.variables.begin(), request.variables.end());
  return template_.render(vars, request.now);
}

jinja::Value chat_message(const std::string& role, const std::string& content) {
  jinja::Dict d;
  d.set(jinja::Value::string("role"), jinja::Value::string(role));
  d.set(jinja::Value::string("content"), jinja::Value::string(content));
  return jinja::Value::dict(std::move(d));
}

jinja::Value parse_messages(std::string_view json, const std::string& source) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    fail(source + ": not valid JSON (" + e.what() + ")");
  }
  if (!j.is_array()) fail(source + ": expected a JSON list of messages like [{\"role\": \"user\", \"content\": \"Hi\"}]");
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string where = source + ": message " + std::to_string(i);
    if (!j[i].is_object()) fail(where + " is not an object with \"role\" and \"content\"");
    if (!j[i].contains("role") || !j[i]["role"].is_string()) fail(where + ": \"role\" must be a string");
  }
  try {
    return jinja::from_json(j);
  } catch (const jinja::Failure& f) {
    fail(source + ": " + f.what());
  }
}

jinja::Value read_messages(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) fail(file.string() + ": not found (or not a regular file)");
  if (std::filesystem::file_size(file, ec) > kMaxMessagesBytes)
    fail(file.string() + ": larger than " + std::to_string(kMaxMessagesBytes >> 20) + " MiB");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file.string() + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return parse_messages(s.str(), file.string());
}

std::optional<jinja::Moment> parse_moment(const std::string& text) {
  int y, mo, d, h, mi, s;
  char tail;
  if (text.size() != 19 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail) != 6)
    return std::nullopt;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || s > 59 ||
      h < 0 || mi < 0 || s < 0)
    return std::nullopt;
  jinja::Moment m;
  m.time.tm_year = y - 1900;
  m.time.tm_mon = mo - 1;
  m.time.tm_mday = d;
  m.time.tm_hour = h;
  m.time.tm_min = mi;
  m.time.tm_sec = s;
  const int64_t days = days_from_civil(y, unsigned(mo), unsigned(d));
  m.time.tm_wday = int(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  m.time.tm_yday = int(days - days_from_civil(y, 1, 1));
  m.time.tm_isdst = -1;
  return m;
}

}  // namespace glassbox
