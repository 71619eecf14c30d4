#pragma once
// The values a template computes with, as Python has them: None, bool, int, float, str, list, tuple and
// dict; jinja2's Undefined; iterators (what map, select and reverse return: always true, used up once
// read); and the runtime's objects (namespace, loop, macro, functions). Strings, lists and dicts are
// immutable and shared, so copying a Value is cheap.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace glassbox::jinja {

class Value;
class Object;

enum class Kind : uint8_t { Undefined, None, Bool, Int, Float, String, List, Tuple, Dict, Iterator, Object };

// A dict in insertion order. Keys are hashable values (None, bool, numbers, str, tuple, objects);
// 1, 1.0 and True are one key, as in Python.
class Dict {
 public:
  using Item = std::pair<Value, Value>;
  void set(Value key, Value value);  // a repeated key keeps its position and takes the new value
  const Value* find(const Value& key) const;
  const Value* find(std::string_view key) const;
  const std::vector<Item>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  int depth() const { return depth_; }

 private:
  std::vector<Item> items_;
  std::unordered_map<std::string_view, size_t> by_string_;  // built once the dict is large
  int depth_ = 1;
};

struct Sequence {
  std::vector<Value> items;
  int depth = 1;
};

// A generator or iterator: its items were computed eagerly, but reading it consumes them, as in Python.
struct IteratorState {
  std::vector<Value> items;
  size_t next = 0;
  const char* type_name = "generator";
};

class Value {
 public:
  Value() = default;  // undefined
  static Value undefined(std::string message);  // message: what using it says ("'x' is undefined")
  static Value unsafe(std::string message);     // sandbox refusal: prints empty, calling it fails with message
  static Value none();
  static Value boolean(bool b);
  static Value integer(int64_t i);
  static Value floating(double d);
  static Value string(std::string s);
  static Value list(std::vector<Value> items);
  static Value tuple(std::vector<Value> items);
  static Value dict(Dict d);
  static Value iterator(std::vector<Value> items, const char* type_name = "generator");
  static Value object(std::shared_ptr<Object> o);

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == Kind::Undefined; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_number() const { return kind_ == Kind::Bool || kind_ == Kind::Int || kind_ == Kind::Float; }
  bool is_integral() const { return kind_ == Kind::Bool || kind_ == Kind::Int; }  // Python: bool is an int
  bool is_sequence() const { return kind_ == Kind::List || kind_ == Kind::Tuple; }

  bool as_bool() const { return b_; }
  int64_t as_int() const { return kind_ == Kind::Bool ? int64_t(b_) : i_; }  // Bool or Int
  double as_float() const { return kind_ == Kind::Float ? f_ : double(as_int()); }  // any number
  const std::string& str() const { return *static_cast<const std::string*>(p_.get()); }
  const std::vector<Value>& items() const { return static_cast<const Sequence*>(p_.get())->items; }
  const Dict& dict() const { return *static_cast<const Dict*>(p_.get()); }
  IteratorState& iterator_state() const { return *static_cast<IteratorState*>(const_cast<void*>(p_.get())); }
  Object& object() const { return *static_cast<Object*>(const_cast<void*>(p_.get())); }
  std::shared_ptr<Object> object_ptr() const;
  const std::string& undefined_message() const;  // "" for a plain undefined name
  bool is_unsafe() const;

  bool truthy() const;
  int depth() const;  // nesting of lists, dicts and namespaces: 0 for scalars
  const void* identity() const { return p_.get(); }

 private:
  static Value with_pointer(Kind kind, std::shared_ptr<const void> p);

  Kind kind_ = Kind::Undefined;
  union {
    bool b_;
    int64_t i_ = 0;
    double f_;
  };
  std::shared_ptr<const void> p_;
};

// Python's type(x).__name__, for messages: "str", "NoneType", "dict", ...
std::string type_name(const Value& v);

// Python ==, with jinja2's rule that two undefined values are equal.
bool equal(const Value& a, const Value& b);

// Python <: numbers, strings, lists and tuples. Anything else throws Failure("'<' not supported ...").
bool less(const Value& a, const Value& b);

// Python's iter(): list and tuple items, dict keys, the characters of a string, what an iterator has
// left (consuming it); undefined is empty. Anything else throws Failure ("'int' object is not iterable").
std::vector<Value> iterate(const Value& v);

// An object of the runtime: namespace(), loop, macros, global functions, bound methods.
class Object {
 public:
  virtual ~Object() = default;
  virtual const char* type_name() const = 0;
  virtual std::string repr() const;                   // Python's repr()
  virtual Value attribute(const std::string& name);   // undefined when it has none
  virtual int depth() const { return 1; }
  // Drops the values it holds. Called on every object a render made once it ends, because objects can
  // hold each other in cycles (a namespace holding itself, a macro in the scope it closes over).
  virtual void release() {}
};

}  // namespace glassbox::jinja
