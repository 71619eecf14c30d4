#pragma once
// What filters, tests, methods and global functions get from the renderer: call arguments, the work
// budget, and the clock of strftime_now.
#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/jinja/value.h"

namespace glassbox::jinja {

// A point in local time, as Python's datetime.now() gives it.
struct Moment {
  std::tm time{};
  int microseconds = 0;
};

struct Arguments {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  // Counts work against the render's budget; throws Failure once it is spent.
  virtual void charge(uint64_t steps) = 0;
  // The time strftime_now() formats: the pinned one, else the local clock.
  virtual Moment now() const = 0;
  // Calls any callable value (macros, functions), as the template would.
  virtual Value call(const Value& callee, Arguments args) = 0;
  // Keeps an object the render made until the render ends, then releases it (see Object::release).
  virtual void own(std::shared_ptr<Object> object) = 0;
};

// A value that can be called: macros, global functions, bound methods, loop(...).
class Callable : public Object {
 public:
  virtual Value call(Arguments& args, Runtime& runtime) = 0;
};

// Binds arguments to a Python-style signature, for the built-in functions: positional or by keyword, each
// at most once, with nothing left over. Errors name the function: "filter 'indent': ...".
class ArgumentReader {
 public:
  ArgumentReader(std::string function, Arguments& args) : function_(std::move(function)), args_(args) {}

  // The argument at `position` (0-based, after the filtered value) or named `name`; nullopt when absent.
  std::optional<Value> get(const char* name, size_t position);
  Value get(const char* name, size_t position, Value fallback) { return get(name, position).value_or(std::move(fallback)); }
  Value required(const char* name, size_t position);
  // The positional arguments from `position` on (*args).
  std::vector<Value> rest(size_t position);
  // Throws when an argument was given that the signature does not take.
  void done();

  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::string function_;
  Arguments& args_;
  size_t positional_used_ = 0;
  std::vector<bool> keyword_used_;
  bool rest_taken_ = false;
};

// Expects an int (or bool) argument: "filter 'indent': width must be an integer".
int64_t int_argument(const ArgumentReader& reader, const Value& v, const char* name);
std::string string_argument(const ArgumentReader& reader, const Value& v, const char* name);

}  // namespace glassbox::jinja
