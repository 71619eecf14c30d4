#include "tokenizer/jinja/globals.h"

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/limits.h"
#include "tokenizer/jinja/objects.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/strftime.h"

namespace glassbox::jinja {
namespace {

// range() as jinja2's sandbox allows it: at most 100000 items.
Value range(Runtime& rt, Arguments& args) {
  if (!args.keywords.empty()) failure("range() takes no keyword arguments");
  const size_t n = args.positional.size();
  if (n < 1 || n > 3) failure("range expected 1 to 3 arguments, got " + std::to_string(n));
  for (const Value& v : args.positional)
    if (!v.is_integral()) failure("'" + type_name(v) + "' object cannot be interpreted as an integer");
  const int64_t start = n == 1 ? 0 : args.positional[0].as_int();
  const int64_t stop = n == 1 ? args.positional[0].as_int() : args.positional[1].as_int();
  const int64_t step = n == 3 ? args.positional[2].as_int() : 1;
  if (step == 0) failure("range() arg 3 must not be zero");
  // Unsigned arithmetic: the distance between two int64 values always fits, and wraps back exactly.
  const bool up = step > 0;
  const uint64_t span = up ? (stop > start ? uint64_t(stop) - uint64_t(start) : 0) : (start > stop ? uint64_t(start) - uint64_t(stop) : 0);
  const uint64_t stride = up ? uint64_t(step) : uint64_t(0) - uint64_t(step);
  const uint64_t count = span == 0 ? 0 : (span - 1) / stride + 1;
  if (count > uint64_t(limits::kRange))
    failure("Range too big. The sandbox blocks ranges larger than MAX_RANGE (" + std::to_string(limits::kRange) + ").");
  rt.charge(count);
  std::vector<Value> items;
  items.reserve(size_t(count));
  for (uint64_t i = 0; i < count; ++i) items.push_back(Value::integer(int64_t(uint64_t(start) + i * uint64_t(step))));
  return Value::list(std::move(items));
}

void add_pairs(Dict& d, const Value& source) {
  if (source.kind() == Kind::Dict) {
    for (const auto& [k, v] : source.dict().items()) d.set(k, v);
    return;
  }
  for (const Value& pair : iterate(source)) {
    const std::vector<Value> kv = iterate(pair);
    if (kv.size() != 2) failure("dictionary update sequence element has length " + std::to_string(kv.size()) + "; 2 is required");
    d.set(kv[0], kv[1]);
  }
}

// dict(mapping or pairs, **kwargs)
Value make_dict(Runtime&, Arguments& args) {
  if (args.positional.size() > 1) failure("dict expected at most 1 argument, got " + std::to_string(args.positional.size()));
  Dict d;
  if (!args.positional.empty()) add_pairs(d, args.positional[0]);
  for (const auto& [k, v] : args.keywords) d.set(Value::string(k), v);
  return Value::dict(std::move(d));
}

Value make_namespace(Runtime& rt, Arguments& args) {
  Dict initial;
  if (args.positional.size() > 1) failure("namespace() takes at most one positional argument");
  if (!args.positional.empty()) add_pairs(initial, args.positional[0]);
  auto ns = std::make_shared<Namespace>();
  for (const auto& [k, v] : initial.items()) {
    if (!k.is_string()) failure("namespace() attribute names must be strings");
    ns->set(k.str(), v);
  }
  for (const auto& [k, v] : args.keywords) ns->set(k, v);
  rt.own(ns);
  return Value::object(ns);
}

class Joiner : public Callable {
 public:
  explicit Joiner(std::string sep) : sep_(std::move(sep)) {}
  const char* type_name() const override { return "Joiner"; }
  Value call(Arguments& args, Runtime&) override {
    ArgumentReader("joiner()", args).done();
    if (used_) return Value::string(sep_);
    used_ = true;
    return Value::string("");
  }

 private:
  std::string sep_;
  bool used_ = false;
};

Value make_joiner(Runtime&, Arguments& args) {
  ArgumentReader r("joiner()", args);
  const Value sep = r.get("sep", 0, Value::string(", "));
  r.done();
  return Value::object(std::make_shared<Joiner>(to_str(sep)));
}

class Cycler : public Object, public std::enable_shared_from_this<Cycler> {
 public:
  explicit Cycler(std::vector<Value> items) : items_(std::move(items)) {}
  const char* type_name() const override { return "Cycler"; }
  Value attribute(const std::string& name) override;
  Value next() {
    Value v = items_[position_];
    position_ = (position_ + 1) % items_.size();
    return v;
  }
  void reset() { position_ = 0; }

 private:
  std::vector<Value> items_;
  size_t position_ = 0;
};

class CyclerMethod : public Callable {
 public:
  CyclerMethod(std::shared_ptr<Cycler> c, bool next) : cycler_(std::move(c)), next_(next) {}
  const char* type_name() const override { return "method"; }
  Value call(Arguments& args, Runtime&) override {
    ArgumentReader(next_ ? "cycler.next()" : "cycler.reset()", args).done();
    if (next_) return cycler_->next();
    cycler_->reset();
    return Value::none();
  }

 private:
  std::shared_ptr<Cycler> cycler_;  // a method holds its cycler; the cycler never holds its methods
  bool next_;
};

Value Cycler::attribute(const std::string& name) {
  if (name == "current") return items_[position_];
  if (name == "next" || name == "reset") return Value::object(std::make_shared<CyclerMethod>(shared_from_this(), name == "next"));
  return Object::attribute(name);
}

Value make_cycler(Runtime&, Arguments& args) {
  if (!args.keywords.empty()) failure("cycler() takes no keyword arguments");
  if (args.positional.empty()) failure("at least one item has to be provided");
  return Value::object(std::make_shared<Cycler>(args.positional));
}

Value raise_exception(Runtime&, Arguments& args) {
  ArgumentReader r("raise_exception()", args);
  const Value message = r.required("message", 0);
  r.done();
  throw Failure(to_str(message), /*raised=*/true);
}

Value strftime_now(Runtime& rt, Arguments& args) {
  ArgumentReader r("strftime_now()", args);
  const Value format = r.required("format", 0);
  r.done();
  if (!format.is_string()) r.fail("the format must be a string");
  return Value::string(python_strftime(format.str(), rt.now()));
}

struct Entry {
  const char* name;
  FunctionFn fn;
};

constexpr Entry kGlobals[] = {
    {"range", range}, {"dict", make_dict}, {"namespace", make_namespace}, {"joiner", make_joiner},
    {"cycler", make_cycler}, {"raise_exception", raise_exception}, {"strftime_now", strftime_now},
};

}  // namespace

Value find_global(std::string_view name) {
  for (const Entry& e : kGlobals)
    if (name == e.name) return Value::object(std::make_shared<Function>(e.name, e.fn));
  return Value::undefined("'" + std::string(name) + "' is undefined");
}

}  // namespace glassbox::jinja
