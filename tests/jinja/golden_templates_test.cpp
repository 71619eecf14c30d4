// 30 published chat templates x 10 conversations, rendered by transformers' apply_chat_template
// (fixtures/chat-templates/golden.jsonl): every line byte for byte, and every expected error raised with
// the template's own message.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

#include "support/files.h"
#include "support/shared.h"
#include "tokenizer/jinja/json.h"
#include "tokenizer/jinja/template.h"

namespace glassbox::jinja {
namespace {

Moment parse_iso(const std::string& iso) {
  Moment m;
  EXPECT_EQ(std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d", &m.time.tm_year, &m.time.tm_mon, &m.time.tm_mday,
                        &m.time.tm_hour, &m.time.tm_min, &m.time.tm_sec), 6) << iso;
  m.time.tm_year -= 1900;
  m.time.tm_mon -= 1;
  std::mktime(&m.time);  // fills in the weekday and day of the year
  return m;
}

// transformers' variables: messages, tools, documents, add_generation_prompt, the special tokens that are
// set, then the caller's keyword arguments.
Variables variables_of(const nlohmann::ordered_json& g) {
  Variables v = {{"messages", from_json(g["messages"])},
                 {"tools", Value::none()},
                 {"documents", Value::none()},
                 {"add_generation_prompt", Value::boolean(g["add_generation_prompt"].get<bool>())}};
  for (const auto& [name, token] : g["special_tokens"].items()) v.emplace_back(name, from_json(token));
  for (const auto& [name, value] : g["kwargs"].items()) v.emplace_back(name, from_json(value));
  return v;
}

TEST(ChatTemplateGoldens, AllLinesByteForByte) {
  const std::filesystem::path dir = test::shared_path("fixtures/chat-templates");
  std::ifstream in(dir / "golden.jsonl");
  std::map<std::string, Template> templates;
  std::string line;
  int lines = 0, passed = 0;
  while (std::getline(in, line)) {
    const auto g = nlohmann::ordered_json::parse(line);
    const std::string name = g["template"];
    ++lines;
    SCOPED_TRACE(name + " / " + g["conversation"].get<std::string>() + " / add_generation_prompt=" +
                 (g["add_generation_prompt"].get<bool>() ? "true" : "false"));
    if (!templates.count(name)) {
      const std::filesystem::path file = dir / "templates" / (name + ".jinja");
      templates.emplace(name, Template::parse(test::read_all(file), file.filename().string()));
    }
    std::optional<Moment> now;
    if (!g["strftime_now"].is_null()) now = parse_iso(g["strftime_now"]);
    try {
      const std::string text = templates.at(name).render(variables_of(g), now);
      if (g["error"].is_null() && text == g["expected"].get<std::string>()) {
        ++passed;
      } else if (g["error"].is_null()) {
        EXPECT_EQ(text, g["expected"].get<std::string>());
      } else {
        ADD_FAILURE() << "expected the error " << g["error"]["message"] << ", got text " << text;
      }
    } catch (const Error& e) {
      if (!g["error"].is_null() && e.raised() && e.message() == g["error"]["message"].get<std::string>()) ++passed;
      else ADD_FAILURE() << e.what();
    }
  }
  EXPECT_EQ(lines, 608);
  EXPECT_EQ(passed, lines);
}

}  // namespace
}  // namespace glassbox::jinja
