#include "tokenizer/jinja/access.h"

#include "tokenizer/jinja/methods.h"
#include "tokenizer/jinja/operators.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/python_str.h"

namespace glassbox::jinja {
namespace {

// jinja2's object_type_repr: "None", "dict object", ...
std::string object_description(const Value& v) {
  if (v.is_none()) return "None";
  return type_name(v) + " object";
}

Value missing_attribute(const Value& object, const std::string& name) {
  return Value::undefined("'" + object_description(object) + "' has no attribute '" + name + "'");
}

Value missing_item(const Value& object, const Value& key) {
  if (key.is_string()) return missing_attribute(object, key.str());
  return Value::undefined(object_description(object) + " has no element " + repr(key));
}

bool is_dunder(const std::string& name) { return name.size() > 4 && name.rfind("__", 0) == 0 && name.compare(name.size() - 2, 2, "__") == 0; }

// A method or Python internal of the value's type, when `name` names one.
std::optional<Value> type_attribute(const Value& object, const std::string& name) {
  if (is_dunder(name))
    return Value::unsafe("access to attribute '" + name + "' of '" + type_name(object) + "' object is unsafe.");
  const MethodLookup m = find_method(object, name);
  if (m.result == MethodLookup::None) return std::nullopt;
  return method_value(object, name, m);
}

}  // namespace

Value get_attribute(const Value& object, const std::string& name) {
  switch (object.kind()) {
    case Kind::Undefined: undefined_error(object);
    case Kind::Object: return object.object().attribute(name);
    case Kind::Dict: {
      if (std::optional<Value> a = type_attribute(object, name)) return *a;
      const Value* v = object.dict().find(std::string_view(name));
      return v ? *v : missing_attribute(object, name);
    }
    case Kind::String:
    case Kind::List:
    case Kind::Tuple:
      if (std::optional<Value> a = type_attribute(object, name)) return *a;
      return missing_attribute(object, name);
    default:
      if (is_dunder(name)) return *type_attribute(object, name);
      return missing_attribute(object, name);
  }
}

Value get_python_attribute(const Value& object, const std::string& name) {
  if (object.is_undefined()) undefined_error(object);
  if (object.kind() == Kind::Object) return object.object().attribute(name);
  if (std::optional<Value> a = type_attribute(object, name)) return *a;
  return missing_attribute(object, name);
}

Value get_item(const Value& object, const Value& key) {
  switch (object.kind()) {
    case Kind::Undefined: undefined_error(object);
    case Kind::Dict:
      if (key.kind() != Kind::List && key.kind() != Kind::Dict)
        if (const Value* v = object.dict().find(key)) return *v;
      break;
    case Kind::List:
    case Kind::Tuple:
    case Kind::String:
      if (key.is_integral()) {
        const int64_t n = int64_t(object.is_string() ? py::length(object.str()) : object.items().size());
        int64_t i = key.as_int();
        if (i < 0) i += n;
        if (i < 0 || i >= n) return missing_item(object, key);
        if (!object.is_string()) return object.items()[size_t(i)];
        const size_t b = py::byte_offset(object.str(), i), e = py::byte_offset(object.str(), i + 1);
        return Value::string(object.str().substr(b, e - b));
      }
      break;
    case Kind::Object:
      if (key.is_string()) return object.object().attribute(key.str());
      break;
    default: break;
  }
  if (key.is_string())
    if (std::optional<Value> a = type_attribute(object, key.str())) return *a;
  return missing_item(object, key);
}

Value get_slice(const Value& object, std::optional<int64_t> start, std::optional<int64_t> stop, std::optional<int64_t> step) {
  if (object.is_undefined()) undefined_error(object);
  if (object.is_string()) {
    const std::string& s = object.str();
    if (py::is_ascii(s)) {
      std::string out;
      for (size_t i : py::slice_indices(int64_t(s.size()), start, stop, step)) out += s[i];
      return Value::string(std::move(out));
    }
    const std::vector<char32_t> cps = py::code_points(s);
    std::vector<char32_t> picked;
    for (size_t i : py::slice_indices(int64_t(cps.size()), start, stop, step)) picked.push_back(cps[i]);
    return Value::string(py::encode(picked.data(), picked.data() + picked.size()));
  }
  if (object.is_sequence()) {
    std::vector<Value> out;
    for (size_t i : py::slice_indices(int64_t(object.items().size()), start, stop, step)) out.push_back(object.items()[i]);
    return object.kind() == Kind::List ? Value::list(std::move(out)) : Value::tuple(std::move(out));
  }
  return Value::undefined(object_description(object) + " has no element slice");
}

}  // namespace glassbox::jinja
