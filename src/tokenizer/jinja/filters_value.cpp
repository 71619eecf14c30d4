// Filters on single values: default, int, float, abs, round, tojson, attr.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "tokenizer/jinja/access.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/filter_functions.h"
#include "tokenizer/jinja/json.h"
#include "tokenizer/jinja/operators.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/python_str.h"

namespace glassbox::jinja::filters {
namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = char(c | 0x20);
  return c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
}

// Digits of `base` with single underscores between them (Python's int() and float() syntax).
bool valid_digits(std::string_view s, int base) {
  if (s.empty() || s.front() == '_' || s.back() == '_') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (s[i + 1] == '_') return false;
    } else if (digit_value(s[i]) >= base) {
      return false;
    }
  }
  return true;
}

// Python's int(text, base); nullopt where Python raises ValueError.
std::optional<int64_t> parse_int(const std::string& text, int64_t base) {
  std::string s = py::strip(text, nullptr, true, true);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.erase(0, 1);
  }
  if (s.size() > 1 && s[0] == '0') {
    const char p = char(s[1] | 0x20);
    const int prefix_base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
    if (prefix_base && (base == prefix_base || base == 0)) {
      s.erase(0, 2);
      if (!s.empty() && s[0] == '_') s.erase(0, 1);
      base = prefix_base;
    }
  }
  if (base == 0) base = 10;
  if (base < 2 || base > 36 || !valid_digits(s, int(base))) return std::nullopt;
  const uint64_t limit = negative ? uint64_t(INT64_MAX) + 1 : uint64_t(INT64_MAX);
  uint64_t v = 0;
  for (char c : s) {
    if (c == '_') continue;
    if (__builtin_mul_overflow(v, uint64_t(base), &v) || __builtin_add_overflow(v, uint64_t(digit_value(c)), &v) || v > limit)
      failure("int(): '" + text + "' does not fit in 64 bits");
  }
  return negative ? int64_t(0 - v) : int64_t(v);
}

// Python's float(text); nullopt where Python raises ValueError.
std::optional<double> parse_float(const std::string& text) {
  std::string s = py::strip(text, nullptr, true, true);
  std::string body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.erase(0, 1);
  const std::string word = py::lower(body);
  const bool negative = !s.empty() && s[0] == '-';
  if (word == "inf" || word == "infinity") return negative ? -INFINITY : INFINITY;
  if (word == "nan") return NAN;
  const size_t e = word.find('e');
  const std::string mantissa = word.substr(0, e);
  const size_t dot = mantissa.find('.');
  const std::string whole = mantissa.substr(0, dot), fraction = dot == std::string::npos ? "" : mantissa.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return std::nullopt;
  if ((!whole.empty() && !valid_digits(whole, 10)) || (!fraction.empty() && !valid_digits(fraction, 10))) return std::nullopt;
  if (e != std::string::npos) {
    std::string exponent = word.substr(e + 1);
    if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.erase(0, 1);
    if (!valid_digits(exponent, 10)) return std::nullopt;
  }
  std::string plain;
  for (char c : s)
    if (c != '_') plain += c;
  return std::strtod(plain.c_str(), nullptr);
}

int64_t float_to_int(double d) {
  if (std::isnan(d)) failure("cannot convert float NaN to integer");
  if (!(d > -9.2233720368547758e18 && d < 9.2233720368547758e18)) failure("cannot convert float " + float_repr(d) + " to integer (64 bits)");
  return int64_t(d);
}

// Python's round(x, n) for a float: correctly rounded to n decimals, ties to even.
double round_float(double x, int64_t n) {
  if (!std::isfinite(x) || n > 300) return x;
  if (n < -308) return std::copysign(0.0, x);
  if (n >= 0) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.*f", int(n), x);  // glibc rounds the exact binary value, ties to even
    return std::strtod(buf, nullptr);
  }
  const double scale = std::pow(10.0, double(-n));
  const double y = x / scale, r = std::nearbyint(y);  // default rounding mode: ties to even
  return r * scale;
}

}  // namespace

Value default_value(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'default'", args);
  const Value fallback = r.get("default_value", 0, Value::string(""));
  const bool boolean = r.get("boolean", 1, Value::boolean(false)).truthy();
  r.done();
  return input.is_undefined() || (boolean && !input.truthy()) ? fallback : input;
}

Value to_int(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'int'", args);
  const Value fallback = r.get("default", 0, Value::integer(0));
  const int64_t base = int_argument(r, r.get("base", 1, Value::integer(10)), "base");
  r.done();
  if (input.is_undefined()) undefined_error(input);
  if (input.is_integral()) return Value::integer(input.as_int());
  if (input.kind() == Kind::Float) return Value::integer(float_to_int(input.as_float()));
  if (input.is_string()) {
    if (const std::optional<int64_t> i = parse_int(input.str(), base)) return Value::integer(*i);
    if (const std::optional<double> d = parse_float(input.str())) return Value::integer(float_to_int(*d));
  }
  return fallback;
}

Value to_float(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'float'", args);
  const Value fallback = r.get("default", 0, Value::floating(0.0));
  r.done();
  if (input.is_undefined()) undefined_error(input);
  if (input.is_number()) return Value::floating(input.as_float());
  if (input.is_string())
    if (const std::optional<double> d = parse_float(input.str())) return Value::floating(*d);
  return fallback;
}

Value abs(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader("filter 'abs'", args).done();
  if (input.is_undefined()) undefined_error(input);
  if (input.kind() == Kind::Float) return Value::floating(std::fabs(input.as_float()));
  if (input.is_integral()) return input.as_int() < 0 ? negate(input) : Value::integer(input.as_int());
  failure("bad operand type for abs(): '" + type_name(input) + "'");
}

Value round(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'round'", args);
  const int64_t precision = int_argument(r, r.get("precision", 0, Value::integer(0)), "precision");
  const Value method = r.get("method", 1, Value::string("common"));
  r.done();
  if (!method.is_string() || (method.str() != "common" && method.str() != "ceil" && method.str() != "floor"))
    r.fail("method must be common, ceil or floor");
  if (input.is_undefined()) undefined_error(input);
  if (!input.is_number()) failure("type " + type_name(input) + " doesn't define __round__ method");
  if (method.str() == "common") {
    if (input.kind() == Kind::Float) return Value::floating(round_float(input.as_float(), precision));
    if (precision >= 0) return Value::integer(input.as_int());
    return Value::integer(int64_t(round_float(double(input.as_int()), precision)));
  }
  const double scale = std::pow(10.0, double(precision));
  const double scaled = input.as_float() * scale;
  return Value::floating((method.str() == "ceil" ? std::ceil(scaled) : std::floor(scaled)) / scale);
}

// transformers' tojson: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False).
Value tojson(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'tojson'", args);
  DumpOptions o;
  o.ensure_ascii = r.get("ensure_ascii", 0, Value::boolean(false)).truthy();
  const Value indent = r.get("indent", 1, Value::none());
  const Value separators = r.get("separators", 2, Value::none());
  o.sort_keys = r.get("sort_keys", 3, Value::boolean(false)).truthy();
  r.done();
  if (indent.is_string()) o.indent = indent.str();
  else if (indent.is_integral()) o.indent = std::string(size_t(std::clamp<int64_t>(indent.as_int(), 0, 1000)), ' ');
  else if (!indent.is_none()) r.fail("indent must be an integer, a string or None");
  if (!separators.is_none()) {
    if (!separators.is_sequence() || separators.items().size() != 2 || !separators.items()[0].is_string() ||
        !separators.items()[1].is_string())
      r.fail("separators must be a pair of strings");
    o.item_separator = separators.items()[0].str();
    o.key_separator = separators.items()[1].str();
  }
  return Value::string(dumps(input, o));
}

Value attr(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'attr'", args);
  const std::string name = to_str(r.required("name", 0));
  r.done();
  return get_python_attribute(input, name);
}

}  // namespace glassbox::jinja::filters
