#pragma once
// jinja2's built-in filters ({{ x | trim }}), with transformers' tojson.
#include <string_view>

#include "tokenizer/jinja/runtime.h"

namespace glassbox::jinja {

using FilterFn = Value (*)(Runtime& runtime, const Value& input, Arguments& args);

struct FilterInfo {
  const char* name;
  FilterFn fn;  // null: a jinja2 filter glassbox leaves out (using it is an error naming it)
};

const FilterInfo* find_filter(std::string_view name);  // null: not a jinja2 filter at all

// Calls the filter `name` (for map('upper') and filter blocks); an unknown name is an error.
Value apply_filter(Runtime& runtime, std::string_view name, const Value& input, Arguments& args);

}  // namespace glassbox::jinja
