#pragma once
// Python's operators on template values: + - * / // % ** (int overflow is an error: template integers
// are 64-bit), unary - and +, and `in`.
#include "tokenizer/jinja/value.h"

namespace glassbox::jinja {

enum class BinaryOp : uint8_t { Add, Sub, Mul, Div, FloorDiv, Mod, Pow };

Value binary(BinaryOp op, const Value& a, const Value& b);
Value negate(const Value& v);
Value positive(const Value& v);
bool contains(const Value& container, const Value& item);  // `item in container`

// Fails with what using an undefined value says ("'x' is undefined").
[[noreturn]] void undefined_error(const Value& v);

}  // namespace glassbox::jinja
