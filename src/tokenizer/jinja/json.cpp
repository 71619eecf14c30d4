#include "tokenizer/jinja/json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "base/utf8.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/limits.h"
#include "tokenizer/jinja/printing.h"

namespace glassbox::jinja {
namespace {

Value from_json_at(const nlohmann::ordered_json& j, int depth) {
  if (depth > limits::kValueDepth) failure("JSON nested deeper than " + std::to_string(limits::kValueDepth) + " levels");
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return Value::none();
    case nlohmann::ordered_json::value_t::boolean: return Value::boolean(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return Value::integer(j.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: {
      const uint64_t u = j.get<uint64_t>();
      if (u > uint64_t(INT64_MAX)) failure("the JSON integer " + std::to_string(u) + " does not fit in 64 bits");
      return Value::integer(int64_t(u));
    }
    case nlohmann::ordered_json::value_t::number_float: return Value::floating(j.get<double>());
    case nlohmann::ordered_json::value_t::string: return Value::string(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
      std::vector<Value> items;
      items.reserve(j.size());
      for (const auto& x : j) items.push_back(from_json_at(x, depth + 1));
      return Value::list(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
      Dict d;
      for (auto it = j.begin(); it != j.end(); ++it) d.set(Value::string(it.key()), from_json_at(it.value(), depth + 1));
      return Value::dict(std::move(d));
    }
    default: failure("JSON value of an unsupported type (binary)");
  }
}

void quote_into(std::string& out, const std::string& s, bool ensure_ascii) {
  static const char* hex = "0123456789abcdef";
  const auto escape_u = [&](unsigned v) {
    out += "\\u";
    for (int k = 3; k >= 0; --k) out += hex[(v >> (4 * k)) & 0xF];
  };
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const size_t at = i;
    const char32_t c = utf8::next(s, i);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (c < 0x20 || (ensure_ascii && c >= 0x7F)) {
      if (c >= 0x10000) {
        escape_u(0xD800 + ((c - 0x10000) >> 10));
        escape_u(0xDC00 + ((c - 0x10000) & 0x3FF));
      } else {
        escape_u(unsigned(c));
      }
    } else {
      out.append(s, at, i - at);
    }
  }
  out += '"';
}

std::string float_json(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return float_repr(d);
}

[[noreturn]] void not_serializable(const Value& v) {
  failure("Object of type " + type_name(v) + " is not JSON serializable");
}

class Dumper {
 public:
  explicit Dumper(const DumpOptions& o)
      : o_(o),
        item_sep_(o.item_separator.value_or(o.indent ? "," : ", ")),
        key_sep_(o.key_separator.value_or(": ")) {}

  void dump(const Value& v, int level) {
    if (level > limits::kValueDepth) failure("values nested deeper than " + std::to_string(limits::kValueDepth) + " levels");
    if (out.size() > limits::kStringBytes) failure("tojson output longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
    switch (v.kind()) {
      case Kind::None: out += "null"; return;
      case Kind::Bool: out += v.as_bool() ? "true" : "false"; return;
      case Kind::Int: out += std::to_string(v.as_int()); return;
      case Kind::Float: out += float_json(v.as_float()); return;
      case Kind::String: quote_into(out, v.str(), o_.ensure_ascii); return;
      case Kind::List:
      case Kind::Tuple: {
        const auto& items = v.items();
        if (items.empty()) {
          out += "[]";
          return;
        }
        out += '[';
        for (size_t i = 0; i < items.size(); ++i) {
          if (i) out += item_sep_;
          newline(level + 1);
          dump(items[i], level + 1);
        }
        newline(level);
        out += ']';
        return;
      }
      case Kind::Dict: dump_dict(v.dict(), level); return;
      default: not_serializable(v);
    }
  }

  std::string out;

 private:
  void newline(int level) {
    if (!o_.indent) return;
    out += '\n';
    for (int i = 0; i < level; ++i) out += *o_.indent;
  }

  static std::string key_text(const Value& k) {
    switch (k.kind()) {
      case Kind::String: return k.str();
      case Kind::None: return "null";
      case Kind::Bool: return k.as_bool() ? "true" : "false";
      case Kind::Int: return std::to_string(k.as_int());
      case Kind::Float: return float_json(k.as_float());
      default: failure("keys must be str, int, float, bool or None, not " + type_name(k));
    }
  }

  void dump_dict(const Dict& d, int level) {
    if (d.size() == 0) {
      out += "{}";
      return;
    }
    std::vector<const Dict::Item*> items;
    for (const Dict::Item& item : d.items()) items.push_back(&item);
    if (o_.sort_keys)
      std::stable_sort(items.begin(), items.end(), [](const Dict::Item* a, const Dict::Item* b) { return less(a->first, b->first); });
    out += '{';
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += item_sep_;
      newline(level + 1);
      quote_into(out, key_text(items[i]->first), o_.ensure_ascii);
      out += key_sep_;
      dump(items[i]->second, level + 1);
    }
    newline(level);
    out += '}';
  }

  const DumpOptions& o_;
  std::string item_sep_, key_sep_;
};

}  // namespace

Value from_json(const nlohmann::ordered_json& j) { return from_json_at(j, 0); }

std::string dumps(const Value& v, const DumpOptions& options) {
  Dumper d(options);
  d.dump(v, 0);
  return std::move(d.out);
}

}  // namespace glassbox::jinja
