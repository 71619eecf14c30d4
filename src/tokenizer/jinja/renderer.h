#pragma once
// Runs a parsed template: statements write text, expressions compute values, names resolve through
// scopes as jinja2's do (a loop iteration, macro, with block or captured block has a scope of its own;
// if does not). Work, output, nesting and recursion are bounded (limits.h).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/jinja/ast.h"
#include "tokenizer/jinja/runtime.h"

namespace glassbox::jinja {

// `variables` in order (a later one with the same name wins); `now` pins strftime_now's clock.
// Throws jinja::Error naming the template and the line at fault.
std::string render(const Program& program, const std::vector<std::pair<std::string, Value>>& variables,
                   const std::optional<Moment>& now);

}  // namespace glassbox::jinja
