#include "tokenizer/jinja/printing.h"

#include <charconv>
#include <cmath>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/limits.h"
#include "tokenizer/jinja/python_str.h"

namespace glassbox::jinja {
namespace {

// Namespaces may hold themselves, so printing counts its depth instead of trusting the values' own.
void repr_into(std::string& out, const Value& v, int depth);

void items_into(std::string& out, const std::vector<Value>& items, int depth) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    repr_into(out, items[i], depth);
  }
}

void repr_into(std::string& out, const Value& v, int depth) {
  if (depth > limits::kValueDepth) failure("values nested deeper than " + std::to_string(limits::kValueDepth) + " levels");
  if (out.size() > limits::kStringBytes) failure("a printed value longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
  switch (v.kind()) {
    case Kind::String: out += py::repr(v.str()); return;
    case Kind::List:
      out += '[';
      items_into(out, v.items(), depth + 1);
      out += ']';
      return;
    case Kind::Tuple:
      out += '(';
      items_into(out, v.items(), depth + 1);
      out += v.items().size() == 1 ? ",)" : ")";
      return;
    case Kind::Dict: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : v.dict().items()) {
        if (!first) out += ", ";
        first = false;
        repr_into(out, key, depth + 1);
        out += ": ";
        repr_into(out, value, depth + 1);
      }
      out += '}';
      return;
    }
    case Kind::Undefined: out += "Undefined"; return;
    case Kind::Object: out += v.object().repr(); return;
    default: out += to_str(v); return;
  }
}

}  // namespace

std::string float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[40];
  const auto end = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific).ptr;
  const std::string sci(buf, end);  // shortest round-trip digits: "-1.2345e+02"
  const size_t e = sci.find('e');
  const int exponent = std::stoi(sci.substr(e + 1));
  const bool negative = sci[0] == '-';
  std::string digits;
  for (size_t i = negative; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += exponent < 0 ? "e-" : "e+";
    const std::string ex = std::to_string(std::abs(exponent));
    out += (ex.size() < 2 ? "0" : "") + ex;
  } else if (exponent < 0) {
    out += "0." + std::string(size_t(-exponent - 1), '0') + digits;
  } else if (size_t(exponent) + 1 >= digits.size()) {
    out += digits + std::string(size_t(exponent) + 1 - digits.size(), '0') + ".0";
  } else {
    out += digits.substr(0, size_t(exponent) + 1) + "." + digits.substr(size_t(exponent) + 1);
  }
  return out;
}

std::string to_str(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined: return "";
    case Kind::None: return "None";
    case Kind::Bool: return v.as_bool() ? "True" : "False";
    case Kind::Int: return std::to_string(v.as_int());
    case Kind::Float: return float_repr(v.as_float());
    case Kind::String: return v.str();
    case Kind::Iterator: return std::string("<") + v.iterator_state().type_name + " object>";
    default: return repr(v);
  }
}

std::string repr(const Value& v) {
  std::string out;
  repr_into(out, v, 0);
  return out;
}

}  // namespace glassbox::jinja
