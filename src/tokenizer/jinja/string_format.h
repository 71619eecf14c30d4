#pragma once
// Python's printf-style formatting, `"%s: %d" % (a, b)` and the format filter: conversions s r a d i u o
// x X e E f F g G c %, flags, width, precision and %(name)s keys.
#include <string>

#include "tokenizer/jinja/value.h"

namespace glassbox::jinja {

// `args`: a tuple gives the values in order, a dict the %(name)s keys, anything else is one value.
Value percent_format(const std::string& format, const Value& args);

}  // namespace glassbox::jinja
