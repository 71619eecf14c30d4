#include "tokenizer/jinja/operators.h"

#include <cmath>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/limits.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/string_format.h"

namespace glassbox::jinja {
namespace {

const char* symbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::FloorDiv: return "//";
    case BinaryOp::Mod: return "%";
    case BinaryOp::Pow: return "** or pow()";
  }
  return "?";
}

[[noreturn]] void unsupported(BinaryOp op, const Value& a, const Value& b) {
  if (op == BinaryOp::Add && (a.is_string() || a.is_sequence()))
    failure("can only concatenate " + type_name(a) + " (not \"" + type_name(b) + "\") to " + type_name(a));
  failure(std::string("unsupported operand type(s) for ") + symbol(op) + ": '" + type_name(a) + "' and '" + type_name(b) + "'");
}

[[noreturn]] void overflow() { failure("integer overflow (template integers are 64-bit)"); }

int64_t add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) overflow();
  return r;
}
int64_t sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) overflow();
  return r;
}
int64_t mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) overflow();
  return r;
}

int64_t int_pow(int64_t base, int64_t exp) {
  int64_t result = 1;
  while (exp > 0) {
    if (exp & 1) result = mul(result, base);
    exp >>= 1;
    if (exp) base = mul(base, base);
  }
  return result;
}

double float_mod(double x, double y) {  // CPython's float_rem: the result takes the divisor's sign
  double mod = std::fmod(x, y);
  if (mod != 0) {
    if ((y < 0) != (mod < 0)) mod += y;
  } else {
    mod = std::copysign(0.0, y);
  }
  return mod;
}

double float_floordiv(double x, double y) {  // CPython's float_floor_div
  double mod = std::fmod(x, y);
  double div = (x - mod) / y;
  if (mod != 0 && (y < 0) != (mod < 0)) div -= 1.0;
  if (div == 0) return std::copysign(0.0, x / y);
  double floordiv = std::floor(div);
  if (div - floordiv > 0.5) floordiv += 1.0;
  return floordiv;
}

Value numbers(BinaryOp op, const Value& a, const Value& b) {
  const bool ints = a.is_integral() && b.is_integral();
  if (ints) {
    const int64_t x = a.as_int(), y = b.as_int();
    switch (op) {
      case BinaryOp::Add: return Value::integer(add(x, y));
      case BinaryOp::Sub: return Value::integer(sub(x, y));
      case BinaryOp::Mul: return Value::integer(mul(x, y));
      case BinaryOp::Div:
        if (y == 0) failure("division by zero");
        return Value::floating(double(x) / double(y));
      case BinaryOp::FloorDiv:
      case BinaryOp::Mod: {
        if (y == 0) failure(op == BinaryOp::Mod ? "integer modulo by zero" : "integer division or modulo by zero");
        if (x == INT64_MIN && y == -1) {
          if (op == BinaryOp::Mod) return Value::integer(0);
          overflow();
        }
        int64_t q = x / y, m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) {
          q -= 1;
          m += y;
        }
        return Value::integer(op == BinaryOp::Mod ? m : q);
      }
      case BinaryOp::Pow:
        if (y >= 0) return Value::integer(int_pow(x, y));
        if (x == 0) failure("0.0 cannot be raised to a negative power");
        return Value::floating(std::pow(double(x), double(y)));
    }
  }
  const double x = a.as_float(), y = b.as_float();
  switch (op) {
    case BinaryOp::Add: return Value::floating(x + y);
    case BinaryOp::Sub: return Value::floating(x - y);
    case BinaryOp::Mul: return Value::floating(x * y);
    case BinaryOp::Div:
      if (y == 0) failure("float division by zero");
      return Value::floating(x / y);
    case BinaryOp::FloorDiv:
      if (y == 0) failure("float floor division by zero");
      return Value::floating(float_floordiv(x, y));
    case BinaryOp::Mod:
      if (y == 0) failure("float modulo");
      return Value::floating(float_mod(x, y));
    case BinaryOp::Pow:
      if (x == 0 && y < 0) failure("0.0 cannot be raised to a negative power");
      if (x < 0 && y != std::floor(y)) failure("a negative number to a fractional power (a complex number)");
      return Value::floating(std::pow(x, y));
  }
  return {};
}

Value repeat(const Value& v, int64_t n) {
  if (n < 0) n = 0;
  if (v.is_string()) {
    if (n > 0 && v.str().size() > limits::kStringBytes / size_t(n))
      failure("a string longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
    std::string out;
    out.reserve(v.str().size() * size_t(n));
    for (int64_t i = 0; i < n; ++i) out += v.str();
    return Value::string(std::move(out));
  }
  if (n > 0 && v.items().size() > limits::kSequenceItems / size_t(n))
    failure("a list with more than " + std::to_string(limits::kSequenceItems) + " items");
  std::vector<Value> out;
  out.reserve(v.items().size() * size_t(n));
  for (int64_t i = 0; i < n; ++i) out.insert(out.end(), v.items().begin(), v.items().end());
  return v.kind() == Kind::List ? Value::list(std::move(out)) : Value::tuple(std::move(out));
}

}  // namespace

void undefined_error(const Value& v) {
  failure(v.undefined_message().empty() ? "an undefined value was used" : v.undefined_message());
}

Value binary(BinaryOp op, const Value& a, const Value& b) {
  if (a.is_undefined()) undefined_error(a);
  if (b.is_undefined()) undefined_error(b);
  if (a.is_number() && b.is_number()) return numbers(op, a, b);
  if (op == BinaryOp::Add) {
    if (a.is_string() && b.is_string()) {
      if (a.str().size() + b.str().size() > limits::kStringBytes)
        failure("a string longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
      std::string s;
      s.reserve(a.str().size() + b.str().size());
      s += a.str();
      s += b.str();
      return Value::string(std::move(s));
    }
    if (a.is_sequence() && a.kind() == b.kind()) {
      std::vector<Value> items = a.items();
      items.insert(items.end(), b.items().begin(), b.items().end());
      return a.kind() == Kind::List ? Value::list(std::move(items)) : Value::tuple(std::move(items));
    }
  }
  if (op == BinaryOp::Mul) {
    if ((a.is_string() || a.is_sequence()) && b.is_integral()) return repeat(a, b.as_int());
    if ((b.is_string() || b.is_sequence()) && a.is_integral()) return repeat(b, a.as_int());
  }
  if (op == BinaryOp::Mod && a.is_string()) return percent_format(a.str(), b);
  unsupported(op, a, b);
}

Value negate(const Value& v) {
  if (v.is_undefined()) undefined_error(v);
  if (v.kind() == Kind::Float) return Value::floating(-v.as_float());
  if (v.is_integral()) {
    if (v.as_int() == INT64_MIN) overflow();
    return Value::integer(-v.as_int());
  }
  failure("bad operand type for unary -: '" + type_name(v) + "'");
}

Value positive(const Value& v) {
  if (v.is_undefined()) undefined_error(v);
  if (v.kind() == Kind::Float) return v;
  if (v.is_integral()) return Value::integer(v.as_int());
  failure("bad operand type for unary +: '" + type_name(v) + "'");
}

bool contains(const Value& container, const Value& item) {
  switch (container.kind()) {
    case Kind::Undefined: return false;  // jinja2's Undefined iterates as empty
    case Kind::String:
      if (!item.is_string()) failure("'in <string>' requires string as left operand, not " + type_name(item));
      return container.str().find(item.str()) != std::string::npos;
    case Kind::List:
    case Kind::Tuple:
      for (const Value& v : container.items())
        if (equal(v, item)) return true;
      return false;
    case Kind::Dict:
      if (item.kind() == Kind::List || item.kind() == Kind::Dict) failure("unhashable type: '" + type_name(item) + "'");
      return container.dict().find(item) != nullptr;
    case Kind::Iterator: {
      IteratorState& it = container.iterator_state();
      while (it.next < it.items.size())
        if (equal(it.items[it.next++], item)) return true;
      return false;
    }
    default: failure("argument of type '" + type_name(container) + "' is not iterable");
  }
}

}  // namespace glassbox::jinja
