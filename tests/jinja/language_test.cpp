// The parts of the Jinja language against jinja2 3.1 itself: tests/jinja/cases.json holds templates with
// what jinja2 renders under transformers' settings (made by training/make_jinja_cases.py). Every case must
// match byte for byte; a case jinja2 fails must fail here too, with the same message where the template
// raised it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "tokenizer/jinja/json.h"
#include "tokenizer/jinja/template.h"

namespace glassbox::jinja {
namespace {

// The clock of the cases: 2024-07-26 12:34:56, a Friday, day 208.
Moment pinned_now() {
  Moment m;
  m.time.tm_year = 124;
  m.time.tm_mon = 6;
  m.time.tm_mday = 26;
  m.time.tm_hour = 12;
  m.time.tm_min = 34;
  m.time.tm_sec = 56;
  m.time.tm_wday = 5;
  m.time.tm_yday = 207;
  return m;
}

TEST(JinjaLanguage, MatchesJinja2OnEveryCase) {
  std::ifstream in(std::string(GLASSBOX_SOURCE_DIR) + "/tests/jinja/cases.json");
  ASSERT_TRUE(in) << "tests/jinja/cases.json missing";
  const auto cases = nlohmann::ordered_json::parse(in)["cases"];
  ASSERT_GT(cases.size(), 150u);
  for (const auto& c : cases) {
    const std::string source = c["template"];
    SCOPED_TRACE(source);
    Variables vars;
    for (const auto& [name, value] : c["variables"].items()) vars.emplace_back(name, from_json(value));
    try {
      const std::string text = Template::parse(source, "case.jinja").render(vars, pinned_now());
      if (c.contains("expected")) EXPECT_EQ(text, c["expected"].get<std::string>());
      else ADD_FAILURE() << "jinja2 fails (" << c["error"]["message"] << "), glassbox rendered: " << text;
    } catch (const Error& e) {
      if (!c.contains("error")) ADD_FAILURE() << "jinja2 renders " << c["expected"] << ", glassbox fails: " << e.what();
      else if (c["error"]["raised"].get<bool>()) EXPECT_EQ(e.message(), c["error"]["message"].get<std::string>());
      else EXPECT_FALSE(e.raised()) << e.what();
    }
  }
}

}  // namespace
}  // namespace glassbox::jinja
