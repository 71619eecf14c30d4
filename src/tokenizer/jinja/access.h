#pragma once
// x.name and x[key] as jinja2's sandbox resolves them: x.name looks for an attribute (a Python method)
// first and then an item, x[key] the other way round. What is missing is undefined (printed as nothing);
// what would modify a value, or reach Python internals (__class__), is refused.
#include <optional>
#include <string>

#include "tokenizer/jinja/value.h"

namespace glassbox::jinja {

Value get_attribute(const Value& object, const std::string& name);
Value get_item(const Value& object, const Value& key);
// getattr() proper, without the item fallback (the attr filter): methods of builtin types, object attributes.
Value get_python_attribute(const Value& object, const std::string& name);
Value get_slice(const Value& object, std::optional<int64_t> start, std::optional<int64_t> stop, std::optional<int64_t> step);

}  // namespace glassbox::jinja
