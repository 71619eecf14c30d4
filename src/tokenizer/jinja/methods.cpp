#include "tokenizer/jinja/methods.h"

#include <algorithm>
#include <cstring>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/python_str.h"

namespace glassbox::jinja {
namespace {

std::string method_name(const Value& self, const char* name) { return type_name(self) + "." + name + "()"; }

// Optional integer bounds (start, end) of str.find and friends; None means absent.
std::optional<int64_t> optional_int(ArgumentReader& r, const char* name, size_t position) {
  const std::optional<Value> v = r.get(name, position);
  if (!v || v->is_none()) return std::nullopt;
  return int_argument(r, *v, name);
}

const std::string* optional_chars(ArgumentReader& r, const Value& v) {
  if (v.is_none()) return nullptr;
  if (!v.is_string()) r.fail("argument must be str or None, not " + type_name(v));
  return &v.str();
}

Value string_list(std::vector<std::string> parts) {
  std::vector<Value> items;
  items.reserve(parts.size());
  for (std::string& p : parts) items.push_back(Value::string(std::move(p)));
  return Value::list(std::move(items));
}

// ---- str

template <bool Left, bool Right>
Value str_strip(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, Left && Right ? "strip" : Left ? "lstrip" : "rstrip"), args);
  const Value chars = r.get("chars", 0, Value::none());
  r.done();
  return Value::string(py::strip(self.str(), optional_chars(r, chars), Left, Right));
}

template <bool FromRight>
Value str_split(Runtime& rt, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, FromRight ? "rsplit" : "split"), args);
  const Value sep = r.get("sep", 0, Value::none());
  const int64_t maxsplit = int_argument(r, r.get("maxsplit", 1, Value::integer(-1)), "maxsplit");
  r.done();
  const std::string* s = optional_chars(r, sep);
  std::vector<std::string> parts = FromRight ? py::rsplit(self.str(), s, maxsplit) : py::split(self.str(), s, maxsplit);
  rt.charge(parts.size());
  return string_list(std::move(parts));
}

Value str_splitlines(Runtime& rt, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "splitlines"), args);
  const bool keepends = r.get("keepends", 0, Value::boolean(false)).truthy();
  r.done();
  std::vector<std::string> parts = py::splitlines(self.str(), keepends);
  rt.charge(parts.size());
  return string_list(std::move(parts));
}

template <bool Ends>
Value str_affix(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, Ends ? "endswith" : "startswith"), args);
  const Value affix = r.required(Ends ? "suffix" : "prefix", 0);
  const std::optional<int64_t> start = optional_int(r, "start", 1), end = optional_int(r, "end", 2);
  r.done();
  const std::string& s = self.str();
  const size_t b = py::byte_offset(s, start.value_or(0)), e = end ? py::byte_offset(s, *end) : s.size();
  if (b > e) return Value::boolean(false);
  const std::string_view range = std::string_view(s).substr(b, e - b);
  const auto matches = [&](const Value& a) {
    if (!a.is_string()) r.fail("argument must be str or a tuple of str, not " + type_name(a));
    const std::string& x = a.str();
    return range.size() >= x.size() && (Ends ? range.substr(range.size() - x.size()) : range.substr(0, x.size())) == x;
  };
  if (affix.kind() == Kind::Tuple) return Value::boolean(std::any_of(affix.items().begin(), affix.items().end(), matches));
  return Value::boolean(matches(affix));
}

template <bool Reverse, bool Raises>
Value str_find(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, Reverse ? (Raises ? "rindex" : "rfind") : (Raises ? "index" : "find")), args);
  const std::string sub = string_argument(r, r.required("sub", 0), "sub");
  const std::optional<int64_t> start = optional_int(r, "start", 1), end = optional_int(r, "end", 2);
  r.done();
  const int64_t at = py::find(self.str(), sub, start, end, Reverse);
  if (Raises && at < 0) failure("substring not found");
  return Value::integer(at);
}

Value str_count(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "count"), args);
  const std::string sub = string_argument(r, r.required("sub", 0), "sub");
  const std::optional<int64_t> start = optional_int(r, "start", 1), end = optional_int(r, "end", 2);
  r.done();
  return Value::integer(py::count(self.str(), sub, start, end));
}

Value str_replace(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "replace"), args);
  const std::string old = string_argument(r, r.required("old", 0), "old");
  const std::string with = string_argument(r, r.required("new", 1), "new");
  const int64_t count = int_argument(r, r.get("count", 2, Value::integer(-1)), "count");
  r.done();
  return Value::string(py::replace(self.str(), old, with, count));
}

template <std::string (*Fn)(std::string_view)>
Value str_case(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "case mapping"), args);
  r.done();
  return Value::string(Fn(self.str()));
}

template <bool (*Fn)(std::string_view)>
Value str_is(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "is..."), args);
  r.done();
  return Value::boolean(Fn(self.str()));
}

bool ascii_only(std::string_view s) { return py::is_ascii(s); }

Value str_join(Runtime& rt, const Value& self, Arguments& args);

template <int Align>  // -1 ljust, 0 center, 1 rjust
Value str_justify(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, Align < 0 ? "ljust" : Align == 0 ? "center" : "rjust"), args);
  const int64_t width = int_argument(r, r.required("width", 0), "width");
  const std::string fill = string_argument(r, r.get("fillchar", 1, Value::string(" ")), "fillchar");
  r.done();
  if (py::length(fill) != 1) r.fail("the fill character must be exactly one character long");
  const int64_t n = int64_t(py::length(self.str()));
  if (width <= n) return self;
  if (width - n > int64_t(32) << 20) failure("width too large");
  const int64_t total = width - n;
  // CPython's center puts the extra character on the left when the string's length is odd... and width is.
  const int64_t left = Align < 0 ? 0 : Align > 0 ? total : total / 2 + (total & width & 1);
  std::string out;
  for (int64_t i = 0; i < left; ++i) out += fill;
  out += self.str();
  for (int64_t i = 0; i < total - left; ++i) out += fill;
  return Value::string(std::move(out));
}

Value str_zfill(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "zfill"), args);
  const int64_t width = int_argument(r, r.required("width", 0), "width");
  r.done();
  const std::string& s = self.str();
  const int64_t n = int64_t(py::length(s));
  if (width <= n) return self;
  if (width - n > int64_t(32) << 20) failure("width too large");
  const size_t sign = !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
  return Value::string(s.substr(0, sign) + std::string(size_t(width - n), '0') + s.substr(sign));
}

template <bool Prefix>
Value str_remove_affix(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, Prefix ? "removeprefix" : "removesuffix"), args);
  const std::string a = string_argument(r, r.required(Prefix ? "prefix" : "suffix", 0), Prefix ? "prefix" : "suffix");
  r.done();
  const std::string& s = self.str();
  if (a.empty() || s.size() < a.size()) return self;
  if (Prefix) return s.compare(0, a.size(), a) == 0 ? Value::string(s.substr(a.size())) : self;
  return s.compare(s.size() - a.size(), a.size(), a) == 0 ? Value::string(s.substr(0, s.size() - a.size())) : self;
}

template <bool Reverse>
Value str_partition(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, Reverse ? "rpartition" : "partition"), args);
  const std::string sep = string_argument(r, r.required("sep", 0), "sep");
  r.done();
  if (sep.empty()) failure("empty separator");
  const std::string& s = self.str();
  const size_t at = Reverse ? s.rfind(sep) : s.find(sep);
  if (at == std::string::npos)
    return Reverse ? Value::tuple({Value::string(""), Value::string(""), self}) : Value::tuple({self, Value::string(""), Value::string("")});
  return Value::tuple({Value::string(s.substr(0, at)), Value::string(sep), Value::string(s.substr(at + sep.size()))});
}

// str.format with {} / {0} / {name} fields and !s / !r conversions; format specs are left out.
Value str_format(Runtime&, const Value& self, Arguments& args) {
  const std::string& f = self.str();
  std::string out;
  size_t auto_index = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    const char c = f[i];
    if (c == '}') {
      if (i + 1 < f.size() && f[i + 1] == '}') ++i;
      else failure("Single '}' encountered in format string");
      out += '}';
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < f.size() && f[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    const size_t close = f.find('}', i);
    if (close == std::string::npos) failure("Single '{' encountered in format string");
    std::string field = f.substr(i + 1, close - i - 1);
    i = close;
    char conversion = 's';
    if (const size_t bang = field.find('!'); bang != std::string::npos) {
      if (bang + 2 != field.size() || (field[bang + 1] != 's' && field[bang + 1] != 'r'))
        failure("str.format(): unsupported conversion in '{" + field + "}'");
      conversion = field[bang + 1];
      field.resize(bang);
    }
    if (field.find_first_of(":.[") != std::string::npos)
      failure("str.format(): format specs and field access ('{" + field + "}') are not supported");
    const Value* v = nullptr;
    if (field.empty() || std::all_of(field.begin(), field.end(), [](char d) { return d >= '0' && d <= '9'; })) {
      const size_t index = field.empty() ? auto_index++ : size_t(std::stoul(field.substr(0, 9)));
      if (index >= args.positional.size()) failure("Replacement index " + std::to_string(index) + " out of range for positional args tuple");
      v = &args.positional[index];
    } else {
      for (const auto& [k, x] : args.keywords)
        if (k == field) v = &x;
      if (!v) failure("str.format(): no argument named '" + field + "'");
    }
    out += conversion == 'r' ? repr(*v) : to_str(*v);
  }
  return Value::string(std::move(out));
}

// ---- list, tuple

Value seq_count(Runtime& rt, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "count"), args);
  const Value x = r.required("value", 0);
  r.done();
  rt.charge(self.items().size());
  return Value::integer(std::count_if(self.items().begin(), self.items().end(), [&](const Value& v) { return equal(v, x); }));
}

Value seq_index(Runtime& rt, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "index"), args);
  const Value x = r.required("value", 0);
  r.done();
  rt.charge(self.items().size());
  for (size_t i = 0; i < self.items().size(); ++i)
    if (equal(self.items()[i], x)) return Value::integer(int64_t(i));
  failure(repr(x) + " is not in " + type_name(self));
}

Value same(Runtime&, const Value& self, Arguments& args) {  // copy() of an immutable value
  ArgumentReader r(method_name(self, "copy"), args);
  r.done();
  return self;
}

// ---- dict

Value dict_get(Runtime&, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "get"), args);
  const Value key = r.required("key", 0);
  const Value fallback = r.get("default", 1, Value::none());
  r.done();
  if (key.kind() == Kind::List || key.kind() == Kind::Dict) failure("unhashable type: '" + type_name(key) + "'");
  const Value* v = self.dict().find(key);
  return v ? *v : fallback;
}

template <int Part>  // 0 keys, 1 values, 2 items
Value dict_view(Runtime& rt, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, Part == 0 ? "keys" : Part == 1 ? "values" : "items"), args);
  r.done();
  rt.charge(self.dict().size());
  std::vector<Value> out;
  out.reserve(self.dict().size());
  for (const auto& [k, v] : self.dict().items()) {
    if (Part == 0) out.push_back(k);
    else if (Part == 1) out.push_back(v);
    else out.push_back(Value::tuple({k, v}));
  }
  return Value::list(std::move(out));
}

struct Entry {
  const char* name;
  MethodFn fn;  // null: Python has it and glassbox leaves it out
};

constexpr Entry kStrMethods[] = {
    {"strip", str_strip<true, true>}, {"lstrip", str_strip<true, false>}, {"rstrip", str_strip<false, true>},
    {"split", str_split<false>}, {"rsplit", str_split<true>}, {"splitlines", str_splitlines},
    {"startswith", str_affix<false>}, {"endswith", str_affix<true>}, {"find", str_find<false, false>},
    {"rfind", str_find<true, false>}, {"index", str_find<false, true>}, {"rindex", str_find<true, true>},
    {"count", str_count}, {"replace", str_replace}, {"upper", str_case<py::upper>}, {"lower", str_case<py::lower>},
    {"casefold", str_case<py::lower>}, {"title", str_case<py::title>}, {"capitalize", str_case<py::capitalize>},
    {"swapcase", str_case<py::swapcase>}, {"isalnum", str_is<py::is_alnum>}, {"isalpha", str_is<py::is_alpha>},
    {"isascii", str_is<ascii_only>}, {"isdecimal", str_is<py::is_decimal>}, {"isdigit", str_is<py::is_digit>},
    {"islower", str_is<py::is_lower>}, {"isnumeric", str_is<py::is_numeric>}, {"isspace", str_is<py::is_all_space>},
    {"istitle", str_is<py::is_title>}, {"isupper", str_is<py::is_upper>}, {"join", str_join},
    {"ljust", str_justify<-1>}, {"center", str_justify<0>}, {"rjust", str_justify<1>}, {"zfill", str_zfill},
    {"removeprefix", str_remove_affix<true>}, {"removesuffix", str_remove_affix<false>},
    {"partition", str_partition<false>}, {"rpartition", str_partition<true>}, {"format", str_format},
    {"encode", nullptr}, {"expandtabs", nullptr}, {"format_map", nullptr}, {"isidentifier", nullptr},
    {"isprintable", nullptr}, {"maketrans", nullptr}, {"translate", nullptr},
};
constexpr Entry kListMethods[] = {{"count", seq_count}, {"index", seq_index}, {"copy", same}};
constexpr Entry kTupleMethods[] = {{"count", seq_count}, {"index", seq_index}};
constexpr Entry kDictMethods[] = {{"get", dict_get}, {"keys", dict_view<0>}, {"values", dict_view<1>},
                                  {"items", dict_view<2>}, {"copy", same}, {"fromkeys", nullptr}};
// ImmutableSandboxedEnvironment refuses what would modify a list or dict in place.
constexpr const char* kListMutators[] = {"append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"};
constexpr const char* kDictMutators[] = {"clear", "pop", "popitem", "setdefault", "update"};

template <size_t N>
const Entry* lookup(const Entry (&table)[N], const std::string& name) {
  for (const Entry& e : table)
    if (name == e.name) return &e;
  return nullptr;
}

template <size_t N>
bool listed(const char* const (&names)[N], const std::string& name) {
  for (const char* n : names)
    if (name == n) return true;
  return false;
}

class BoundMethod : public Callable {
 public:
  BoundMethod(Value self, std::string name, MethodFn fn) : self_(std::move(self)), name_(std::move(name)), fn_(fn) {}
  const char* type_name() const override { return "builtin_function_or_method"; }
  std::string repr() const override { return "<built-in method " + name_ + " of " + jinja::type_name(self_) + " object>"; }
  Value call(Arguments& args, Runtime& runtime) override {
    if (!fn_) failure(jinja::type_name(self_) + "." + name_ + "() is not supported by glassbox's template engine");
    return fn_(runtime, self_, args);
  }

 private:
  Value self_;
  std::string name_;
  MethodFn fn_;
};

Value str_join(Runtime& rt, const Value& self, Arguments& args) {
  ArgumentReader r(method_name(self, "join"), args);
  const Value iterable = r.required("iterable", 0);
  r.done();
  const std::vector<Value> items = iterate(iterable);
  rt.charge(items.size());
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string())
      failure("sequence item " + std::to_string(i) + ": expected str instance, " + type_name(items[i]) + " found");
    if (i) out += self.str();
    out += items[i].str();
    if (out.size() > (size_t(32) << 20)) failure("a string longer than 32 MiB");
  }
  return Value::string(std::move(out));
}

}  // namespace

MethodLookup find_method(const Value& self, const std::string& name) {
  const Entry* e = nullptr;
  switch (self.kind()) {
    case Kind::String: e = lookup(kStrMethods, name); break;
    case Kind::List:
      if (listed(kListMutators, name)) return {MethodLookup::Unsafe, nullptr};
      e = lookup(kListMethods, name);
      break;
    case Kind::Tuple: e = lookup(kTupleMethods, name); break;
    case Kind::Dict:
      if (listed(kDictMutators, name)) return {MethodLookup::Unsafe, nullptr};
      e = lookup(kDictMethods, name);
      break;
    default: return {};
  }
  if (!e) return {};
  return {e->fn ? MethodLookup::Found : MethodLookup::Unsupported, e->fn};
}

Value method_value(const Value& self, const std::string& name, const MethodLookup& lookup) {
  if (lookup.result == MethodLookup::Unsafe)
    return Value::unsafe("access to attribute '" + name + "' of '" + type_name(self) + "' object is unsafe.");
  return Value::object(std::make_shared<BoundMethod>(self, name, lookup.fn));
}

}  // namespace glassbox::jinja
