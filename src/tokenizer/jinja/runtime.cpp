#include "tokenizer/jinja/runtime.h"

#include "tokenizer/jinja/error.h"

namespace glassbox::jinja {

std::optional<Value> ArgumentReader::get(const char* name, size_t position) {
  keyword_used_.resize(args_.keywords.size(), false);
  std::optional<Value> found;
  if (position < args_.positional.size()) {
    found = args_.positional[position];
    positional_used_ = std::max(positional_used_, position + 1);
  }
  for (size_t i = 0; i < args_.keywords.size(); ++i) {
    if (args_.keywords[i].first != name) continue;
    if (found) fail(std::string("got multiple values for argument '") + name + "'");
    found = args_.keywords[i].second;
    keyword_used_[i] = true;
  }
  return found;
}

Value ArgumentReader::required(const char* name, size_t position) {
  std::optional<Value> v = get(name, position);
  if (!v) fail(std::string("missing required argument '") + name + "'");
  return *v;
}

std::vector<Value> ArgumentReader::rest(size_t position) {
  rest_taken_ = true;
  if (position >= args_.positional.size()) return {};
  return {args_.positional.begin() + long(position), args_.positional.end()};
}

void ArgumentReader::done() {
  keyword_used_.resize(args_.keywords.size(), false);
  if (!rest_taken_ && positional_used_ < args_.positional.size())
    fail("takes at most " + std::to_string(positional_used_) + " positional argument(s), got " +
         std::to_string(args_.positional.size()));
  for (size_t i = 0; i < args_.keywords.size(); ++i)
    if (!keyword_used_[i]) fail("got an unexpected keyword argument '" + args_.keywords[i].first + "'");
}

void ArgumentReader::fail(const std::string& what) const { failure(function_ + ": " + what); }

int64_t int_argument(const ArgumentReader& reader, const Value& v, const char* name) {
  if (!v.is_integral()) reader.fail(std::string(name) + " must be an integer, not " + type_name(v));
  return v.as_int();
}

std::string string_argument(const ArgumentReader& reader, const Value& v, const char* name) {
  if (!v.is_string()) reader.fail(std::string(name) + " must be a string, not " + type_name(v));
  return v.str();
}

}  // namespace glassbox::jinja
