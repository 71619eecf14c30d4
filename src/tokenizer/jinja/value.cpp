#include "tokenizer/jinja/value.h"

#include <cmath>

#include "base/utf8.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/limits.h"

namespace glassbox::jinja {
namespace {

struct UndefinedInfo {
  std::string message;
  bool unsafe;
};

// Python hashes 1, 1.0 and True alike; only strings get the fast index, everything else is compared.
constexpr size_t kIndexFrom = 8;

void check_depth(int depth) {
  if (depth > limits::kValueDepth)
    failure("values nested deeper than " + std::to_string(limits::kValueDepth) + " levels");
}

void check_hashable(const Value& key) {
  switch (key.kind()) {
    case Kind::List:
    case Kind::Dict:
      failure("unhashable type: '" + type_name(key) + "'");
    case Kind::Tuple:
      for (const Value& v : key.items()) check_hashable(v);
      return;
    default:
      return;
  }
}

bool sequence_equal(const std::vector<Value>& a, const std::vector<Value>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!equal(a[i], b[i])) return false;
  return true;
}

// An int and a float are equal when the float is exactly that integer (Python compares exactly).
bool number_equal(const Value& a, const Value& b) {
  if (a.kind() != Kind::Float && b.kind() != Kind::Float) return a.as_int() == b.as_int();
  if (a.kind() == Kind::Float && b.kind() == Kind::Float) return a.as_float() == b.as_float();
  const double f = a.kind() == Kind::Float ? a.as_float() : b.as_float();
  const int64_t i = a.kind() == Kind::Float ? b.as_int() : a.as_int();
  return f == std::trunc(f) && f >= -9.2233720368547758e18 && f < 9.2233720368547758e18 && int64_t(f) == i;
}

bool number_less(const Value& a, const Value& b) {
  if (a.kind() != Kind::Float && b.kind() != Kind::Float) return a.as_int() < b.as_int();
  const long double x = a.kind() == Kind::Float ? (long double)a.as_float() : (long double)a.as_int();
  const long double y = b.kind() == Kind::Float ? (long double)b.as_float() : (long double)b.as_int();
  return x < y;
}

}  // namespace

void Dict::set(Value key, Value value) {
  if (Value* existing = const_cast<Value*>(find(key))) {
    *existing = std::move(value);
    return;
  }
  check_hashable(key);
  if (items_.size() >= limits::kSequenceItems) failure("a dict with more than " + std::to_string(limits::kSequenceItems) + " items");
  depth_ = std::max(depth_, 1 + std::max(key.depth(), value.depth()));
  check_depth(depth_);
  items_.emplace_back(std::move(key), std::move(value));
  if (items_.size() == kIndexFrom) {
    for (size_t i = 0; i < items_.size(); ++i)
      if (items_[i].first.is_string()) by_string_.emplace(items_[i].first.str(), i);
  } else if (items_.size() > kIndexFrom && items_.back().first.is_string()) {
    by_string_.emplace(items_.back().first.str(), items_.size() - 1);
  }
}

const Value* Dict::find(std::string_view key) const {
  if (items_.size() >= kIndexFrom) {
    const auto it = by_string_.find(key);
    return it == by_string_.end() ? nullptr : &items_[it->second].second;
  }
  for (const Item& item : items_)
    if (item.first.is_string() && item.first.str() == key) return &item.second;
  return nullptr;
}

const Value* Dict::find(const Value& key) const {
  if (key.is_string()) return find(std::string_view(key.str()));
  for (const Item& item : items_)
    if (equal(item.first, key)) return &item.second;
  return nullptr;
}

Value Value::undefined(std::string message) {
  Value v;
  v.p_ = std::make_shared<const UndefinedInfo>(UndefinedInfo{std::move(message), false});
  return v;
}

Value Value::unsafe(std::string message) {
  Value v;
  v.p_ = std::make_shared<const UndefinedInfo>(UndefinedInfo{std::move(message), true});
  return v;
}

Value Value::none() {
  Value v;
  v.kind_ = Kind::None;
  return v;
}

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.b_ = b;
  return v;
}

Value Value::integer(int64_t i) {
  Value v;
  v.kind_ = Kind::Int;
  v.i_ = i;
  return v;
}

Value Value::floating(double d) {
  Value v;
  v.kind_ = Kind::Float;
  v.f_ = d;
  return v;
}

Value Value::string(std::string s) {
  if (s.size() > limits::kStringBytes)
    failure("a string longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
  Value v;
  v.kind_ = Kind::String;
  v.p_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::with_pointer(Kind kind, std::shared_ptr<const void> p) {
  Value v;
  v.kind_ = kind;
  v.p_ = std::move(p);
  return v;
}

namespace {
std::shared_ptr<const void> sequence(std::vector<Value> items) {
  if (items.size() > limits::kSequenceItems)
    failure("a list with more than " + std::to_string(limits::kSequenceItems) + " items");
  auto s = std::make_shared<Sequence>();
  for (const Value& item : items) s->depth = std::max(s->depth, 1 + item.depth());
  check_depth(s->depth);
  s->items = std::move(items);
  return s;
}
}  // namespace

Value Value::list(std::vector<Value> items) { return with_pointer(Kind::List, sequence(std::move(items))); }

Value Value::tuple(std::vector<Value> items) { return with_pointer(Kind::Tuple, sequence(std::move(items))); }

Value Value::dict(Dict d) { return with_pointer(Kind::Dict, std::make_shared<const Dict>(std::move(d))); }

Value Value::iterator(std::vector<Value> items, const char* type_name) {
  auto state = std::make_shared<IteratorState>();
  state->items = std::move(items);
  state->type_name = type_name;
  return with_pointer(Kind::Iterator, std::move(state));
}

Value Value::object(std::shared_ptr<Object> o) { return with_pointer(Kind::Object, std::move(o)); }

std::shared_ptr<Object> Value::object_ptr() const {
  return std::const_pointer_cast<Object>(std::static_pointer_cast<const Object>(p_));
}

const std::string& Value::undefined_message() const {
  static const std::string empty;
  return p_ ? static_cast<const UndefinedInfo*>(p_.get())->message : empty;
}

bool Value::is_unsafe() const { return kind_ == Kind::Undefined && p_ && static_cast<const UndefinedInfo*>(p_.get())->unsafe; }

bool Value::truthy() const {
  switch (kind_) {
    case Kind::Undefined:
    case Kind::None: return false;
    case Kind::Bool: return b_;
    case Kind::Int: return i_ != 0;
    case Kind::Float: return f_ != 0;
    case Kind::String: return !str().empty();
    case Kind::List:
    case Kind::Tuple: return !items().empty();
    case Kind::Dict: return dict().size() > 0;
    case Kind::Iterator:
    case Kind::Object: return true;
  }
  return true;
}

int Value::depth() const {
  switch (kind_) {
    case Kind::List:
    case Kind::Tuple: return static_cast<const Sequence*>(p_.get())->depth;
    case Kind::Dict: return dict().depth();
    case Kind::Object: return object().depth();
    default: return 0;
  }
}

std::string type_name(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined: return "Undefined";
    case Kind::None: return "NoneType";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "str";
    case Kind::List: return "list";
    case Kind::Tuple: return "tuple";
    case Kind::Dict: return "dict";
    case Kind::Iterator: return v.iterator_state().type_name;
    case Kind::Object: return v.object().type_name();
  }
  return "object";
}

bool equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return number_equal(a, b);
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::Undefined:
    case Kind::None: return true;
    case Kind::String: return a.str() == b.str();
    case Kind::List:
    case Kind::Tuple: return sequence_equal(a.items(), b.items());
    case Kind::Dict: {
      if (a.dict().size() != b.dict().size()) return false;
      for (const auto& [key, value] : a.dict().items()) {
        const Value* other = b.dict().find(key);
        if (!other || !equal(value, *other)) return false;
      }
      return true;
    }
    default: return a.identity() == b.identity();
  }
}

bool less(const Value& a, const Value& b) {
  for (const Value* v : {&a, &b})
    if (v->is_undefined()) failure(v->undefined_message().empty() ? "an undefined value was compared" : v->undefined_message());
  if (a.is_number() && b.is_number()) return number_less(a, b);
  if (a.is_string() && b.is_string()) return a.str() < b.str();  // UTF-8 byte order is code point order
  if (a.is_sequence() && a.kind() == b.kind()) {
    const auto &x = a.items(), &y = b.items();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i)
      if (!equal(x[i], y[i])) return less(x[i], y[i]);
    return x.size() < y.size();
  }
  failure("'<' not supported between instances of '" + type_name(a) + "' and '" + type_name(b) + "'");
}

std::vector<Value> iterate(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined: return {};
    case Kind::List:
    case Kind::Tuple: return v.items();
    case Kind::Dict: {
      std::vector<Value> keys;
      keys.reserve(v.dict().size());
      for (const auto& item : v.dict().items()) keys.push_back(item.first);
      return keys;
    }
    case Kind::String: {
      std::vector<Value> chars;
      const std::string& s = v.str();
      for (size_t i = 0; i < s.size();) {
        const size_t n = utf8::char_length(static_cast<unsigned char>(s[i]));
        chars.push_back(Value::string(s.substr(i, n)));
        i += n;
      }
      return chars;
    }
    case Kind::Iterator: {
      IteratorState& it = v.iterator_state();
      std::vector<Value> rest(it.items.begin() + long(it.next), it.items.end());
      it.next = it.items.size();
      return rest;
    }
    default: failure("'" + type_name(v) + "' object is not iterable");
  }
}

std::string Object::repr() const { return std::string("<") + type_name() + " object>"; }

Value Object::attribute(const std::string& name) {
  return Value::undefined("'" + std::string(type_name()) + " object' has no attribute '" + name + "'");
}

}  // namespace glassbox::jinja
