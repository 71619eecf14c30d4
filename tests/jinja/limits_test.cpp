// A hostile template cannot hang or crash the tool: nesting, recursion, work, output and value sizes are
// bounded, and each bound fails with a one-line error naming the template and the line.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "tokenizer/jinja/json.h"
#include "tokenizer/jinja/template.h"

namespace glassbox::jinja {
namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// The error message of parsing and rendering `source`, or "" when it renders.
std::string failure_of(const std::string& source, const Variables& vars = {}) {
  try {
    Template::parse(source, "hostile.jinja").render(vars);
    return "";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("hostile.jinja:", 0), 0u) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    return e.message();
  }
}

struct Case {
  const char* what;
  std::string source;
  const char* error;  // part of the message
};

TEST(JinjaLimits, HostileTemplatesFailQuicklyWithOneLine) {
  const Case cases[] = {
      {"parentheses", "{{ " + repeat("(", 100000) + "1" + repeat(")", 100000) + " }}", "nested more than"},
      {"nots", "{{ " + repeat("not ", 100000) + "1 }}", "nested more than"},
      {"ifs", repeat("{% if true %}", 100000) + repeat("{% endif %}", 100000), "nested more than"},
      {"list literal", "{{ " + repeat("[", 50000) + repeat("]", 50000) + " }}", "nested more than"},
      {"filters", "{{ 'x'" + repeat(" | upper", 100000) + " }}", "nested more than"},
      {"recursive macro", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "nested more than 100 deep"},
      {"mutual recursion", "{% macro a() %}{{ b() }}{% endmacro %}{% macro b() %}{{ a() }}{% endmacro %}{{ a() }}", "nested more than 100 deep"},
      {"recursive loop", "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", "nested more than 100 deep"},
      {"caller", "{% macro m() %}{% call m() %}{{ caller() }}{% endcall %}{% endmacro %}{{ m() }}", "nested more than 100 deep"},
      {"nested loops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "steps of work"},
      {"range", "{{ range(1000000) | length }}", "Range too big"},
      {"doubling string", "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "MiB"},
      {"repeated string", "{{ 'x' * 10000000000 }}", "MiB"},
      {"repeated list", "{{ [1] * 10000000000 }}", "a list with more than"},
      {"doubling list", "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}", "a list with more than"},
      {"output", "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "MiB"},
      {"nested list values", "{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}", "nested deeper than"},
      {"namespace in itself", "{% set ns = namespace() %}{% set ns.me = ns %}{{ ns }}", "nested deeper than"},
      {"namespaces chained", "{% set ns = namespace(n=none) %}{% for i in range(100000) %}{% set ns.n = namespace(n=ns.n) %}{% endfor %}", "nested deeper than"},
      {"int overflow", "{{ 2 ** 64 }}", "integer overflow"},
      {"int literal", "{{ 99999999999999999999 }}", "does not fit in 64 bits"},
      {"int filter", "{{ '99999999999999999999' | int }}", "does not fit in 64 bits"},
      {"invalid UTF-8", "{{ 'a' }}\xff\xfe", "not valid UTF-8"},
      {"surrogate escape", "{{ '\\ud800' }}", "surrogate"},
      {"unterminated tag", "{{ 'x'", "missing }}"},
      {"unterminated string", "{{ 'x }}", "unterminated string"},
      {"strftime", "{{ strftime_now('%Y' * 3000) }}", "longer than 4096"},
      {"width", "{{ 'x' | center(10000000000) }}", "width too large"},
  };
  for (const Case& c : cases) {
    const auto start = std::chrono::steady_clock::now();
    const std::string message = failure_of(c.source);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_NE(message.find(c.error), std::string::npos) << c.what << ": " << message;
    // Generous: the work budget is 20 million steps; a 2-core machine does that in about a second.
    EXPECT_LT(seconds, 20.0) << c.what;
  }
}

TEST(JinjaLimits, DeepJsonInputIsAnError) {
  const std::string deep = repeat("[", 10000) + repeat("]", 10000);
  EXPECT_THROW(from_json(nlohmann::ordered_json::parse(deep)), Failure);
}

TEST(JinjaLimits, ErrorsNameTheLine) {
  try {
    Template::parse("line 1\nline 2\n{{ messages[0].content.nosuch() }}", "t.jinja").render({{"messages", Value::list({})}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(std::string(e.what()), "t.jinja:3: list object has no element 0");
  }
}

}  // namespace
}  // namespace glassbox::jinja
