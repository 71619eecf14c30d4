#pragma once
// Values as Python prints them: str() for {{ x }} and the string filter, repr() inside lists and dicts.
#include <string>

#include "tokenizer/jinja/value.h"

namespace glassbox::jinja {

std::string to_str(const Value& v);  // str(): text as it is, None, True, [1, 'a'], {'k': None}; undefined is ""
std::string repr(const Value& v);    // repr(): strings quoted
std::string float_repr(double d);    // Python's shortest round-trip form: 1.0, 0.1, 1e+16, 1e-05, inf, nan

}  // namespace glassbox::jinja
