#pragma once
// jinja2's tests ({% if x is defined %}, select('equalto', 1)).
#include <string_view>

#include "tokenizer/jinja/runtime.h"

namespace glassbox::jinja {

using TestFn = bool (*)(Runtime& runtime, const Value& input, Arguments& args);

const TestFn* find_test(std::string_view name);  // null: no such test

// Runs the test `name` (for select and selectattr); an unknown name is an error.
bool apply_test(Runtime& runtime, std::string_view name, const Value& input, Arguments& args);

}  // namespace glassbox::jinja
