#pragma once
// Tokens to the parsed template, as jinja2's parser reads them: operator precedence, filters and tests,
// and the statements of transformers' environment (for, if, set, macro, call, filter, with, break,
// continue, generation). Unknown filters and tests are errors here, like jinja2's compile-time check.
#include <memory>
#include <string>
#include <string_view>

#include "tokenizer/jinja/ast.h"

namespace glassbox::jinja {

// Throws jinja::Error naming `name` and the line.
std::unique_ptr<Program> parse(std::string_view source, const std::string& name);

}  // namespace glassbox::jinja
