// The parts of the Jinja language, one by one, against what jinja2 3.1 renders under transformers'
// settings (trim_blocks, lstrip_blocks, immutable sandbox).
#include <gtest/gtest.h>

#include "tokenizer/jinja/template.h"

namespace glassbox::jinja {
namespace {

std::string render(const std::string& source, const Variables& vars = {}) {
  return Template::parse(source, "t.jinja").render(vars);
}

TEST(Jinja, Placeholder) { EXPECT_EQ(render("{{ 1 + 2 }}"), "3"); }

}  // namespace
}  // namespace glassbox::jinja
