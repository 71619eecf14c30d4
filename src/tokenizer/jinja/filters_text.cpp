// Filters on text: trim, lower, upper, capitalize, title, replace, indent, center, truncate, wordcount,
// format, string, safe. Like jinja2 they print their input with str() first, so None|trim is "None".
#include <utf8proc.h>

#include "base/utf8.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/filter_functions.h"
#include "tokenizer/jinja/limits.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/python_str.h"
#include "tokenizer/jinja/string_format.h"

namespace glassbox::jinja::filters {
namespace {

template <std::string (*Fn)(std::string_view)>
Value mapped(const char* name, const Value& input, Arguments& args) {
  ArgumentReader(std::string("filter '") + name + "'", args).done();
  return Value::string(Fn(to_str(input)));
}

// jinja2's title: words start after "-", whitespace or an opening bracket; each is upper + lower.
bool title_break(char32_t c) { return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || py::is_space(c); }

}  // namespace

Value trim(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'trim'", args);
  const Value chars = r.get("chars", 0, Value::none());
  r.done();
  if (!chars.is_none() && !chars.is_string()) r.fail("chars must be a string");
  return Value::string(py::strip(to_str(input), chars.is_none() ? nullptr : &chars.str(), true, true));
}

Value lower(Runtime&, const Value& input, Arguments& args) { return mapped<py::lower>("lower", input, args); }
Value upper(Runtime&, const Value& input, Arguments& args) { return mapped<py::upper>("upper", input, args); }
Value capitalize(Runtime&, const Value& input, Arguments& args) { return mapped<py::capitalize>("capitalize", input, args); }

Value title(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader("filter 'title'", args).done();
  const std::string s = to_str(input);
  std::string out;
  size_t i = 0;
  while (i < s.size()) {  // alternate runs of separators and words, each run as one item
    const size_t begin = i;
    size_t j = i;
    const bool separators = title_break(utf8::next(s, j));
    while (i < s.size()) {
      size_t k = i;
      if (title_break(utf8::next(s, k)) != separators) break;
      i = k;
    }
    const std::string_view item = std::string_view(s).substr(begin, i - begin);
    out += py::upper(item.substr(0, j - begin));
    out += py::lower(item.substr(j - begin));
  }
  return Value::string(std::move(out));
}

Value replace(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'replace'", args);
  const Value old = r.required("old", 0), with = r.required("new", 1), count = r.get("count", 2, Value::none());
  r.done();
  return Value::string(py::replace(to_str(input), to_str(old), to_str(with), count.is_none() ? -1 : int_argument(r, count, "count")));
}

Value indent(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'indent'", args);
  const Value width = r.get("width", 0, Value::integer(4));
  const bool first = r.get("first", 1, Value::boolean(false)).truthy();
  const bool blank = r.get("blank", 2, Value::boolean(false)).truthy();
  r.done();
  std::string indention;
  if (width.is_string()) {
    indention = width.str();
  } else {
    const int64_t n = int_argument(r, width, "width");
    if (n > 1'000'000) r.fail("width too large");
    indention.assign(size_t(std::max<int64_t>(n, 0)), ' ');
  }
  // jinja2 adds a newline so that splitlines() keeps a trailing empty line, then joins the lines again.
  const std::vector<std::string> lines = py::splitlines(to_str(input) + "\n", false);
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      out += '\n';
      if (blank || !lines[i].empty()) out += indention;
    }
    out += lines[i];
    if (out.size() > limits::kStringBytes) failure("a string longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
  }
  if (first) out = indention + out;
  return Value::string(std::move(out));
}

Value center(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'center'", args);
  const int64_t width = int_argument(r, r.get("width", 0, Value::integer(80)), "width");
  r.done();
  const std::string s = to_str(input);
  const int64_t n = int64_t(py::length(s));
  if (width <= n) return Value::string(s);
  if (width - n > int64_t(limits::kStringBytes)) r.fail("width too large");
  const int64_t total = width - n, left = total / 2 + (total & width & 1);
  return Value::string(std::string(size_t(left), ' ') + s + std::string(size_t(total - left), ' '));
}

Value truncate(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'truncate'", args);
  const int64_t length = int_argument(r, r.get("length", 0, Value::integer(255)), "length");
  const bool killwords = r.get("killwords", 1, Value::boolean(false)).truthy();
  const std::string end = string_argument(r, r.get("end", 2, Value::string("...")), "end");
  const Value leeway_arg = r.get("leeway", 3, Value::none());
  r.done();
  const int64_t leeway = leeway_arg.is_none() ? 5 : int_argument(r, leeway_arg, "leeway");  // jinja2's policy default
  const int64_t end_length = int64_t(py::length(end));
  if (length < end_length) r.fail("expected length >= " + std::to_string(end_length) + ", got " + std::to_string(length));
  if (leeway < 0) r.fail("expected leeway >= 0, got " + std::to_string(leeway));
  const std::string s = to_str(input);
  if (int64_t(py::length(s)) <= length + leeway) return Value::string(s);
  std::string head = s.substr(0, py::byte_offset(s, length - end_length));
  if (!killwords) {
    const size_t space = head.rfind(' ');
    if (space != std::string::npos) head.resize(space);
  }
  return Value::string(head + end);
}

Value wordcount(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader("filter 'wordcount'", args).done();
  const std::string s = to_str(input);
  int64_t words = 0;
  bool in_word = false;
  for (size_t i = 0; i < s.size();) {
    const char32_t c = utf8::next(s, i);
    const auto k = utf8proc_category(utf8proc_int32_t(c));
    const bool word_char = c == '_' || (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
                           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
    words += word_char && !in_word;
    in_word = word_char;
  }
  return Value::integer(words);
}

Value format(Runtime&, const Value& input, Arguments& args) {
  if (!args.positional.empty() && !args.keywords.empty())
    failure("filter 'format': can't handle positional and keyword arguments at the same time");
  if (!args.keywords.empty()) {
    Dict d;
    for (const auto& [k, v] : args.keywords) d.set(Value::string(k), v);
    return percent_format(to_str(input), Value::dict(std::move(d)));
  }
  return percent_format(to_str(input), Value::tuple(args.positional));
}

Value string(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader("filter 'string'", args).done();
  return input.is_string() ? input : Value::string(to_str(input));
}

// Marks text as safe from HTML escaping; with autoescape off (transformers) it prints the same. What is
// not modelled: jinja2 would escape a plain string later concatenated to it with +.
Value safe(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader("filter 'safe'", args).done();
  return input.is_string() ? input : Value::string(to_str(input));
}

}  // namespace glassbox::jinja::filters
