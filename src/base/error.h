#pragma once
// Every user-facing failure is a glassbox::Error whose message is one line naming the file, field or flag
// at fault; the command prints it after "error: " and exits non-zero.
#include <stdexcept>
#include <string>

namespace glassbox {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void fail(const std::string& message) { throw Error(message); }

}  // namespace glassbox
