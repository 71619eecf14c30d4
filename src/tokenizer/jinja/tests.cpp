#include "tokenizer/jinja/tests.h"

#include <cmath>
#include <cstring>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/filters.h"
#include "tokenizer/jinja/operators.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/python_str.h"

namespace glassbox::jinja {
namespace {

// A test of the value alone: `x is defined`.
template <bool (*Fn)(const Value&)>
bool unary(Runtime&, const Value& v, Arguments& args) {
  ArgumentReader("test", args).done();
  return Fn(v);
}

// A test against one argument: `x is equalto 1`.
template <bool (*Fn)(const Value&, const Value&)>
bool with_other(Runtime&, const Value& v, Arguments& args) {
  ArgumentReader r("test", args);
  const Value other = r.required("other", 0);
  r.done();
  return Fn(v, other);
}

bool is_defined(const Value& v) { return !v.is_undefined(); }
bool is_undefined(const Value& v) { return v.is_undefined(); }
bool is_none(const Value& v) { return v.is_none(); }
bool is_boolean(const Value& v) { return v.kind() == Kind::Bool; }
bool is_true(const Value& v) { return v.kind() == Kind::Bool && v.as_bool(); }
bool is_false(const Value& v) { return v.kind() == Kind::Bool && !v.as_bool(); }
bool is_integer(const Value& v) { return v.kind() == Kind::Int; }
bool is_float(const Value& v) { return v.kind() == Kind::Float; }
bool is_number(const Value& v) { return v.is_number(); }
bool is_string(const Value& v) { return v.is_string(); }
bool is_mapping(const Value& v) { return v.kind() == Kind::Dict; }
bool is_escaped(const Value&) { return false; }  // no value has __html__: autoescaping is off
bool is_lower(const Value& v) { return py::is_lower(to_str(v)); }
bool is_upper(const Value& v) { return py::is_upper(to_str(v)); }

// Python: len() and __getitem__ (jinja2's Undefined has both).
bool is_sequence(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined:
    case Kind::String:
    case Kind::List:
    case Kind::Tuple:
    case Kind::Dict: return true;
    default: return false;
  }
}

bool is_iterable(const Value& v) {
  if (v.kind() == Kind::Object) return std::strcmp(v.object().type_name(), "LoopContext") == 0;
  return is_sequence(v) || v.kind() == Kind::Iterator;
}

bool is_callable(const Value& v) {
  if (v.is_undefined()) return true;  // jinja2's Undefined defines __call__ (which fails)
  return v.kind() == Kind::Object && dynamic_cast<const Callable*>(&v.object()) != nullptr;
}

int64_t remainder(const Value& v, int64_t divisor) {
  const Value r = binary(BinaryOp::Mod, v, Value::integer(divisor));
  return r.kind() == Kind::Float ? (r.as_float() == 0 ? 0 : 1) : r.as_int();
}
bool is_odd(const Value& v) { return remainder(v, 2) == 1; }
bool is_even(const Value& v) { return remainder(v, 2) == 0; }

bool is_divisible_by(const Value& v, const Value& n) {
  const Value r = binary(BinaryOp::Mod, v, n);
  return r.is_number() && r.as_float() == 0;
}

bool is_same(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::Undefined: return a.identity() == b.identity();
    case Kind::None: return true;
    case Kind::Bool:
    case Kind::Int:
    case Kind::Float: return equal(a, b);
    default: return a.identity() == b.identity();
  }
}

bool is_in(const Value& v, const Value& seq) { return contains(seq, v); }
bool is_eq(const Value& a, const Value& b) { return equal(a, b); }
bool is_ne(const Value& a, const Value& b) { return !equal(a, b); }
bool is_lt(const Value& a, const Value& b) { return less(a, b); }
bool is_le(const Value& a, const Value& b) { return less(a, b) || equal(a, b); }
bool is_gt(const Value& a, const Value& b) { return less(b, a); }
bool is_ge(const Value& a, const Value& b) { return less(b, a) || equal(a, b); }

bool is_filter(const Value& v) { return v.is_string() && find_filter(v.str()) != nullptr; }
bool is_test(const Value& v) { return v.is_string() && find_test(v.str()) != nullptr; }

struct Entry {
  const char* name;
  TestFn fn;
};

constexpr Entry kTests[] = {
    {"defined", unary<is_defined>}, {"undefined", unary<is_undefined>}, {"none", unary<is_none>},
    {"boolean", unary<is_boolean>}, {"true", unary<is_true>}, {"false", unary<is_false>},
    {"integer", unary<is_integer>}, {"float", unary<is_float>}, {"number", unary<is_number>},
    {"string", unary<is_string>}, {"mapping", unary<is_mapping>}, {"sequence", unary<is_sequence>},
    {"iterable", unary<is_iterable>}, {"callable", unary<is_callable>}, {"escaped", unary<is_escaped>},
    {"lower", unary<is_lower>}, {"upper", unary<is_upper>}, {"odd", unary<is_odd>}, {"even", unary<is_even>},
    {"filter", unary<is_filter>}, {"test", unary<is_test>}, {"divisibleby", with_other<is_divisible_by>},
    {"sameas", with_other<is_same>}, {"in", with_other<is_in>}, {"eq", with_other<is_eq>},
    {"equalto", with_other<is_eq>}, {"==", with_other<is_eq>}, {"ne", with_other<is_ne>},
    {"!=", with_other<is_ne>}, {"lt", with_other<is_lt>}, {"lessthan", with_other<is_lt>},
    {"<", with_other<is_lt>}, {"le", with_other<is_le>}, {"<=", with_other<is_le>}, {"gt", with_other<is_gt>},
    {"greaterthan", with_other<is_gt>}, {">", with_other<is_gt>}, {"ge", with_other<is_ge>},
    {">=", with_other<is_ge>},
};

}  // namespace

const TestFn* find_test(std::string_view name) {
  for (const Entry& e : kTests)
    if (name == e.name) return &e.fn;
  return nullptr;
}

bool apply_test(Runtime& runtime, std::string_view name, const Value& input, Arguments& args) {
  const TestFn* t = find_test(name);
  if (!t) failure("no test named '" + std::string(name) + "'");
  return (*t)(runtime, input, args);
}

}  // namespace glassbox::jinja
