#pragma once
// The global functions a template can call: jinja2's range, dict, namespace, joiner and cycler, and
// transformers' raise_exception and strftime_now.
#include <string_view>

#include "tokenizer/jinja/value.h"

namespace glassbox::jinja {

// The global named `name`, or an undefined value.
Value find_global(std::string_view name);

}  // namespace glassbox::jinja
