#pragma once
// The Python methods templates call on strings, lists and dicts: "x".strip(), s.split(","),
// message.get("content"), d.items(), ... Methods that would change a list or dict are refused, as in
// transformers' immutable sandbox.
#include <string>

#include "tokenizer/jinja/runtime.h"

namespace glassbox::jinja {

using MethodFn = Value (*)(Runtime& runtime, const Value& self, Arguments& args);

struct MethodLookup {
  enum Result { None, Found, Unsafe, Unsupported } result = None;
  MethodFn fn = nullptr;
};

// `self.name` as a method of self's Python type: Found (fn), Unsafe (it would modify self), Unsupported
// (Python has it, glassbox leaves it out), or None (no such method: jinja2 then looks for an item).
MethodLookup find_method(const Value& self, const std::string& name);

// The value of `self.name` for a method: a bound method, or the sandbox's refusal.
Value method_value(const Value& self, const std::string& name, const MethodLookup& lookup);

}  // namespace glassbox::jinja
