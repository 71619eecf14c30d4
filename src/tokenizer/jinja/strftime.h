#pragma once
// datetime.strftime as transformers' strftime_now(format) calls it: the C library's strftime in the "C"
// locale, with Python's own %f (microseconds) and %z / %Z (empty for a naive local time).
#include <string>

#include "tokenizer/jinja/runtime.h"

namespace glassbox::jinja {

std::string python_strftime(const std::string& format, const Moment& moment);

// The local clock now.
Moment local_now();

}  // namespace glassbox::jinja
