#pragma once
// How a template fails. Values, filters and methods throw Failure (what went wrong); the renderer and the
// parser turn it into Error, which adds the template's name and line: "chat_template.jinja:12: ...".
#include <stdexcept>
#include <string>

#include "base/error.h"

namespace glassbox::jinja {

// What failed, without where. `raised` marks the template's own raise_exception(message).
struct Failure : std::runtime_error {
  explicit Failure(const std::string& message, bool raised = false) : std::runtime_error(message), raised(raised) {}
  bool raised;
};

[[noreturn]] inline void failure(const std::string& message) { throw Failure(message); }

class Error : public glassbox::Error {
 public:
  Error(const std::string& template_name, int line, const std::string& message, bool raised = false)
      : glassbox::Error(template_name + ":" + std::to_string(line) + ": " + message),
        message_(message),
        line_(line),
        raised_(raised) {}

  const std::string& message() const { return message_; }  // without the name and line
  int line() const { return line_; }
  bool raised() const { return raised_; }  // the template called raise_exception

 private:
  std::string message_;
  int line_;
  bool raised_;
};

}  // namespace glassbox::jinja
