#pragma once
// Every user-facing failure is a glassbox::Error whose message is one line naming the file, field or flag
// at fault; the command prints it after "error: " and exits non-zero.
#include <stdexcept>
#include <string>
#include <string_view>

namespace glassbox {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void fail(const std::string& message) { throw Error(message); }

// `text` made safe to print as (part of) one line: newlines, other control characters and bytes that are not
// UTF-8 become escapes (\n, \x1B), so a file name or a field from a hostile file cannot break the line or
// drive the terminal.
std::string one_line(std::string_view text);

}  // namespace glassbox
