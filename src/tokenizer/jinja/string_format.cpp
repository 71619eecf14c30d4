#include "tokenizer/jinja/string_format.h"

#include <cmath>
#include <cstdio>

#include "base/utf8.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/limits.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/python_str.h"

namespace glassbox::jinja {
namespace {

struct Spec {
  bool left = false, zero = false, plus = false, space = false, alternate = false;
  int64_t width = -1, precision = -1;
  char type = 's';
};

class Formatter {
 public:
  Formatter(const std::string& format, const Value& args) : f_(format), args_(args) {
    if (args.kind() == Kind::Tuple) positional_ = args.items();
    else positional_ = {args};
  }

  std::string run() {
    std::string out;
    size_t i = 0;
    while (i < f_.size()) {
      const size_t pct = f_.find('%', i);
      out.append(f_, i, pct == std::string::npos ? std::string::npos : pct - i);
      if (pct == std::string::npos) break;
      i = pct + 1;
      if (i >= f_.size()) failure("incomplete format");
      const Value* keyed = nullptr;
      if (f_[i] == '(') {
        const size_t close = f_.find(')', i);
        if (close == std::string::npos) failure("incomplete format key");
        if (args_.kind() != Kind::Dict) failure("format requires a mapping");
        keyed = args_.dict().find(std::string_view(f_).substr(i + 1, close - i - 1));
        if (!keyed) failure("format key '" + f_.substr(i + 1, close - i - 1) + "' is missing");
        mapping_used_ = true;
        i = close + 1;
      }
      Spec s;
      for (; i < f_.size(); ++i) {
        const char c = f_[i];
        if (c == '-') s.left = true;
        else if (c == '0') s.zero = true;
        else if (c == '+') s.plus = true;
        else if (c == ' ') s.space = true;
        else if (c == '#') s.alternate = true;
        else break;
      }
      s.width = number(i);
      if (i < f_.size() && f_[i] == '.') {
        ++i;
        s.precision = number(i);
        if (s.precision < 0) s.precision = 0;
      }
      while (i < f_.size() && (f_[i] == 'h' || f_[i] == 'l' || f_[i] == 'L')) ++i;
      if (i >= f_.size()) failure("incomplete format");
      s.type = f_[i++];
      if (s.type == '%') {
        out += '%';
        continue;
      }
      const Value v = keyed ? *keyed : next_arg();
      out += pad(convert(s, v), s);
      if (out.size() > limits::kStringBytes) failure("a string longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
    }
    if (!mapping_used_ && args_.kind() != Kind::Dict && used_ < positional_.size())
      failure("not all arguments converted during string formatting");
    return out;
  }

 private:
  int64_t number(size_t& i) {
    if (i < f_.size() && f_[i] == '*') {
      ++i;
      const Value w = next_arg();
      if (!w.is_integral()) failure("* wants int");
      return w.as_int();
    }
    int64_t n = -1;
    while (i < f_.size() && f_[i] >= '0' && f_[i] <= '9') {
      n = (n < 0 ? 0 : n) * 10 + (f_[i++] - '0');
      if (n > 1'000'000) failure("format width or precision too big");
    }
    return n;
  }

  Value next_arg() {
    if (used_ >= positional_.size()) failure("not enough arguments for format string");
    return positional_[used_++];
  }

  static std::string integer_text(const Spec& s, const Value& v) {
    int64_t n;
    if (v.is_integral()) n = v.as_int();
    else if (v.kind() == Kind::Float && std::isfinite(v.as_float()) && std::fabs(v.as_float()) < 9.2e18) n = int64_t(v.as_float());
    else failure(std::string("%") + s.type + " format: a real number is required, not " + type_name(v));
    const bool negative = n < 0;
    const uint64_t mag = negative ? uint64_t(0) - uint64_t(n) : uint64_t(n);
    char buf[80];
    const char* fmt = s.type == 'x' ? "%llx" : s.type == 'X' ? "%llX" : s.type == 'o' ? "%llo" : "%llu";
    std::snprintf(buf, sizeof buf, fmt, (unsigned long long)mag);
    std::string digits = buf;
    if (s.precision > 0 && int64_t(digits.size()) < s.precision) digits.insert(0, size_t(s.precision) - digits.size(), '0');
    std::string prefix = negative ? "-" : s.plus ? "+" : s.space ? " " : "";
    if (s.alternate && (s.type == 'x' || s.type == 'X' || s.type == 'o')) prefix += s.type == 'o' ? "0o" : s.type == 'x' ? "0x" : "0X";
    return zero_pad(s, prefix, digits);
  }

  static std::string zero_pad(const Spec& s, const std::string& prefix, std::string digits) {
    if (s.zero && !s.left && s.width > int64_t(prefix.size() + digits.size()))
      digits.insert(0, size_t(s.width) - prefix.size() - digits.size(), '0');
    return prefix + digits;
  }

  static std::string float_text(const Spec& s, const Value& v) {
    if (!v.is_number()) failure(std::string("must be real number, not ") + type_name(v));
    const double d = v.as_float();
    const int precision = int(s.precision < 0 ? 6 : std::min<int64_t>(s.precision, 200));
    if (!std::isfinite(d)) {
      std::string t = std::isnan(d) ? "nan" : "inf";
      if (s.type == 'E' || s.type == 'F' || s.type == 'G') t = py::upper(t);
      return (d < 0 ? "-" : s.plus ? "+" : s.space ? " " : "") + t;
    }
    char fmt[16];
    std::snprintf(fmt, sizeof fmt, "%%%s.%d%c", s.alternate ? "#" : "", precision, s.type);
    char buf[512];
    std::snprintf(buf, sizeof buf, fmt, std::fabs(d));
    const bool negative = std::signbit(d);
    return zero_pad(s, negative ? "-" : s.plus ? "+" : s.space ? " " : "", buf);
  }

  static std::string convert(const Spec& s, const Value& v) {
    switch (s.type) {
      case 's': return truncate(to_str(v), s.precision);
      case 'r':
      case 'a': return truncate(repr(v), s.precision);
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o': return integer_text(s, v);
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': return float_text(s, v);
      case 'c': {
        if (v.is_string() && py::length(v.str()) == 1) return v.str();
        if (!v.is_integral() || v.as_int() < 0 || v.as_int() > 0x10FFFF) failure("%c requires an int or a character");
        std::string out;
        utf8::append(out, char32_t(v.as_int()));
        return out;
      }
      default: failure(std::string("unsupported format character '") + s.type + "'");
    }
  }

  static std::string truncate(std::string text, int64_t precision) {
    if (precision >= 0 && int64_t(py::length(text)) > precision) text.resize(py::byte_offset(text, precision));
    return text;
  }

  static std::string pad(std::string text, const Spec& s) {
    const int64_t n = int64_t(py::length(text));
    if (s.width <= n) return text;
    const std::string fill(size_t(s.width - n), ' ');
    return s.left ? text + fill : fill + text;
  }

  const std::string& f_;
  const Value& args_;
  std::vector<Value> positional_;
  size_t used_ = 0;
  bool mapping_used_ = false;
};

}  // namespace

Value percent_format(const std::string& format, const Value& args) {
  return Value::string(Formatter(format, args).run());
}

}  // namespace glassbox::jinja
