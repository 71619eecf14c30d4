// Filters on sequences: length, join, list, first, last, unique, sort, dictsort, reverse, items, map,
// select/reject(attr), max, min, sum. As in jinja2, map, select, reject, selectattr, rejectattr, unique
// and items return generators (always true, read once) and reverse an iterator.
#include <algorithm>

#include "tokenizer/jinja/access.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/filter_functions.h"
#include "tokenizer/jinja/limits.h"
#include "tokenizer/jinja/operators.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/python_str.h"
#include "tokenizer/jinja/tests.h"

namespace glassbox::jinja::filters {
namespace {

// jinja2's make_attrgetter: "a.b.0" looks up a, then b, then item 0, each as x[key] does.
class AttributePath {
 public:
  AttributePath() = default;
  explicit AttributePath(const Value& attribute) {
    if (attribute.is_integral()) {
      parts_.push_back(attribute);
      return;
    }
    if (!attribute.is_string()) failure("attribute must be a string or an integer, not " + type_name(attribute));
    for (const std::string& part : py::split(attribute.str(), &kDot, -1)) {
      const bool digits = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos && part.size() < 18;
      parts_.push_back(digits ? Value::integer(std::stoll(part)) : Value::string(part));
    }
  }
  bool empty() const { return parts_.empty(); }

  Value operator()(Value item, const Value& fallback = Value()) const {
    for (const Value& part : parts_) {
      item = get_item(item, part);
      if (!fallback.is_undefined() && !fallback.is_none() && item.is_undefined()) item = fallback;
    }
    return item;
  }

 private:
  static inline const std::string kDot = ".";
  std::vector<Value> parts_;
};

// Sort keys ignore case unless asked not to (jinja2's ignore_case: strings are lowercased).
Value sort_key(Value v, bool case_sensitive) {
  if (!case_sensitive && v.is_string()) return Value::string(py::lower(v.str()));
  return v;
}

void stable_sort_by_keys(Runtime& rt, std::vector<Value>& items, const std::vector<Value>& keys, bool reverse) {
  rt.charge(items.size() * 8);
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return reverse ? less(keys[b], keys[a]) : less(keys[a], keys[b]);
  });
  std::vector<Value> sorted;
  sorted.reserve(items.size());
  for (size_t i : order) sorted.push_back(items[i]);
  items = std::move(sorted);
}

std::vector<Value> charged_items(Runtime& rt, const Value& v) {
  std::vector<Value> items = iterate(v);
  rt.charge(items.size());
  return items;
}

// select, reject, selectattr, rejectattr: keep the items whose test (or truth) is `keep`.
Value select_items(Runtime& rt, const Value& input, Arguments& args, bool keep, bool by_attribute, const char* name) {
  if (!input.truthy()) return Value::iterator({});
  std::vector<Value> rest = args.positional;
  AttributePath path;
  if (by_attribute) {
    if (rest.empty()) failure(std::string("filter '") + name + "': missing parameter for attribute name");
    path = AttributePath(rest.front());
    rest.erase(rest.begin());
  }
  std::string test;
  if (!rest.empty()) {
    if (!rest.front().is_string()) failure(std::string("filter '") + name + "': the test name must be a string");
    test = rest.front().str();
    rest.erase(rest.begin());
  }
  std::vector<Value> out;
  for (const Value& item : charged_items(rt, input)) {
    const Value subject = by_attribute ? path(item) : item;
    bool passed;
    if (test.empty()) {
      passed = subject.truthy();
    } else {
      Arguments test_args{rest, args.keywords};
      passed = apply_test(rt, test, subject, test_args);
    }
    if (passed == keep) out.push_back(item);
  }
  return Value::iterator(std::move(out));
}

Value extreme(Runtime& rt, const Value& input, Arguments& args, bool want_max, const char* name) {
  ArgumentReader r(std::string("filter '") + name + "'", args);
  const bool case_sensitive = r.get("case_sensitive", 0, Value::boolean(false)).truthy();
  const Value attribute = r.get("attribute", 1, Value::none());
  r.done();
  const AttributePath path = attribute.is_none() ? AttributePath() : AttributePath(attribute);
  const std::vector<Value> items = charged_items(rt, input);
  if (items.empty()) return Value::undefined("No aggregated item, sequence was empty.");
  size_t best = 0;
  Value best_key = sort_key(path.empty() ? items[0] : path(items[0]), case_sensitive);
  for (size_t i = 1; i < items.size(); ++i) {
    Value key = sort_key(path.empty() ? items[i] : path(items[i]), case_sensitive);
    if (want_max ? less(best_key, key) : less(key, best_key)) {
      best = i;
      best_key = std::move(key);
    }
  }
  return items[best];
}

}  // namespace

Value length(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader("filter 'length'", args).done();
  switch (input.kind()) {
    case Kind::Undefined: return Value::integer(0);
    case Kind::String: return Value::integer(int64_t(py::length(input.str())));
    case Kind::List:
    case Kind::Tuple: return Value::integer(int64_t(input.items().size()));
    case Kind::Dict: return Value::integer(int64_t(input.dict().size()));
    default: failure("object of type '" + type_name(input) + "' has no len()");
  }
}

Value join(Runtime& rt, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'join'", args);
  const Value separator = r.get("d", 0, Value::string(""));
  const Value attribute = r.get("attribute", 1, Value::none());
  r.done();
  const AttributePath path = attribute.is_none() ? AttributePath() : AttributePath(attribute);
  const std::string sep = to_str(separator);
  std::string out;
  bool first = true;
  for (const Value& item : charged_items(rt, input)) {
    if (!first) out += sep;
    first = false;
    out += to_str(path.empty() ? item : path(item));
    if (out.size() > limits::kStringBytes) failure("a string longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
  }
  return Value::string(std::move(out));
}

Value list(Runtime& rt, const Value& input, Arguments& args) {
  ArgumentReader("filter 'list'", args).done();
  return Value::list(charged_items(rt, input));
}

Value first(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader("filter 'first'", args).done();
  if (input.kind() == Kind::Iterator) {
    IteratorState& it = input.iterator_state();
    if (it.next < it.items.size()) return it.items[it.next++];
  } else if (input.is_sequence()) {
    if (!input.items().empty()) return input.items().front();
  } else if (input.kind() == Kind::Dict) {
    if (input.dict().size()) return input.dict().items().front().first;
  } else if (input.is_string()) {
    if (!input.str().empty()) return get_item(input, Value::integer(0));
  } else if (!input.is_undefined()) {
    failure("'" + type_name(input) + "' object is not iterable");
  }
  return Value::undefined("No first item, sequence was empty.");
}

Value last(Runtime&, const Value& input, Arguments& args) {
  ArgumentReader("filter 'last'", args).done();
  if (input.is_sequence()) {
    if (!input.items().empty()) return input.items().back();
  } else if (input.kind() == Kind::Dict) {
    if (input.dict().size()) return input.dict().items().back().first;
  } else if (input.is_string()) {
    if (!input.str().empty()) return get_item(input, Value::integer(-1));
  } else if (!input.is_undefined()) {
    failure("'" + type_name(input) + "' object is not reversible");
  }
  return Value::undefined("No last item, sequence was empty.");
}

Value unique(Runtime& rt, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'unique'", args);
  const bool case_sensitive = r.get("case_sensitive", 0, Value::boolean(false)).truthy();
  const Value attribute = r.get("attribute", 1, Value::none());
  r.done();
  const AttributePath path = attribute.is_none() ? AttributePath() : AttributePath(attribute);
  std::vector<Value> out;
  Dict seen;
  for (const Value& item : charged_items(rt, input)) {
    Value key = sort_key(path.empty() ? item : path(item), case_sensitive);
    if (seen.find(key)) continue;
    seen.set(std::move(key), Value::none());
    out.push_back(item);
  }
  rt.charge(out.size() * out.size() / 64);  // small dicts compare keys one by one
  return Value::iterator(std::move(out));
}

Value sort(Runtime& rt, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'sort'", args);
  const bool reverse = r.get("reverse", 0, Value::boolean(false)).truthy();
  const bool case_sensitive = r.get("case_sensitive", 1, Value::boolean(false)).truthy();
  const Value attribute = r.get("attribute", 2, Value::none());
  r.done();
  std::vector<Value> items = charged_items(rt, input);
  std::vector<AttributePath> paths;  // "a,b": sort by a, then b
  if (attribute.is_string()) {
    static const std::string comma = ",";
    for (const std::string& part : py::split(attribute.str(), &comma, -1)) paths.emplace_back(Value::string(part));
  } else if (!attribute.is_none()) {
    paths.emplace_back(attribute);
  }
  std::vector<Value> keys;
  keys.reserve(items.size());
  for (const Value& item : items) {
    if (paths.empty()) {
      keys.push_back(sort_key(item, case_sensitive));
    } else if (paths.size() == 1) {
      keys.push_back(sort_key(paths[0](item), case_sensitive));
    } else {
      std::vector<Value> parts;
      for (const AttributePath& p : paths) parts.push_back(sort_key(p(item), case_sensitive));
      keys.push_back(Value::list(std::move(parts)));
    }
  }
  stable_sort_by_keys(rt, items, keys, reverse);
  return Value::list(std::move(items));
}

Value dictsort(Runtime& rt, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'dictsort'", args);
  const bool case_sensitive = r.get("case_sensitive", 0, Value::boolean(false)).truthy();
  const Value by = r.get("by", 1, Value::string("key"));
  const bool reverse = r.get("reverse", 2, Value::boolean(false)).truthy();
  r.done();
  if (!by.is_string() || (by.str() != "key" && by.str() != "value")) r.fail("you can only sort by either \"key\" or \"value\"");
  if (input.is_undefined()) undefined_error(input);
  if (input.kind() != Kind::Dict) failure("filter 'dictsort': '" + type_name(input) + "' object has no attribute 'items'");
  std::vector<Value> items, keys;
  for (const auto& [k, v] : input.dict().items()) {
    items.push_back(Value::tuple({k, v}));
    keys.push_back(sort_key(by.str() == "key" ? k : v, case_sensitive));
  }
  stable_sort_by_keys(rt, items, keys, reverse);
  return Value::list(std::move(items));
}

Value reverse(Runtime& rt, const Value& input, Arguments& args) {
  ArgumentReader("filter 'reverse'", args).done();
  if (input.is_string()) return get_slice(input, std::nullopt, std::nullopt, -1);
  const bool reversible = input.is_sequence() || input.kind() == Kind::Dict || input.is_undefined();
  std::vector<Value> items = charged_items(rt, input);
  std::reverse(items.begin(), items.end());
  if (!reversible) return Value::list(std::move(items));  // jinja2 falls back to a reversed list
  return Value::iterator(std::move(items), input.kind() == Kind::Dict ? "dict_reversekeyiterator" : "list_reverseiterator");
}

Value items(Runtime& rt, const Value& input, Arguments& args) {
  ArgumentReader("filter 'items'", args).done();
  if (input.is_undefined()) return Value::iterator({});
  if (input.kind() != Kind::Dict) failure("filter 'items': can only get item pairs from a mapping");
  rt.charge(input.dict().size());
  std::vector<Value> out;
  for (const auto& [k, v] : input.dict().items()) out.push_back(Value::tuple({k, v}));
  return Value::iterator(std::move(out));
}

Value map(Runtime& rt, const Value& input, Arguments& args) {
  if (!input.truthy()) return Value::iterator({});
  const std::vector<Value> items = charged_items(rt, input);
  std::vector<Value> out;
  out.reserve(items.size());
  if (args.positional.empty()) {  // map(attribute="x", default=...)
    ArgumentReader r("filter 'map'", args);
    const std::optional<Value> attribute = r.get("attribute", 99);
    const Value fallback = r.get("default", 99, Value::none());
    r.done();
    if (!attribute) r.fail("map requires a filter argument");
    const AttributePath path(*attribute);
    for (const Value& item : items) out.push_back(path(item, fallback));
  } else {  // map("filter", args...)
    if (!args.positional.front().is_string()) failure("filter 'map': the filter name must be a string");
    const std::string name = args.positional.front().str();
    for (const Value& item : items) {
      Arguments filter_args{{args.positional.begin() + 1, args.positional.end()}, args.keywords};
      out.push_back(apply_filter(rt, name, item, filter_args));
    }
  }
  return Value::iterator(std::move(out));
}

Value select(Runtime& rt, const Value& input, Arguments& args) { return select_items(rt, input, args, true, false, "select"); }
Value reject(Runtime& rt, const Value& input, Arguments& args) { return select_items(rt, input, args, false, false, "reject"); }
Value selectattr(Runtime& rt, const Value& input, Arguments& args) { return select_items(rt, input, args, true, true, "selectattr"); }
Value rejectattr(Runtime& rt, const Value& input, Arguments& args) { return select_items(rt, input, args, false, true, "rejectattr"); }
Value max(Runtime& rt, const Value& input, Arguments& args) { return extreme(rt, input, args, true, "max"); }
Value min(Runtime& rt, const Value& input, Arguments& args) { return extreme(rt, input, args, false, "min"); }

Value sum(Runtime& rt, const Value& input, Arguments& args) {
  ArgumentReader r("filter 'sum'", args);
  const Value attribute = r.get("attribute", 0, Value::none());
  Value total = r.get("start", 1, Value::integer(0));
  r.done();
  const AttributePath path = attribute.is_none() ? AttributePath() : AttributePath(attribute);
  for (const Value& item : charged_items(rt, input)) total = binary(BinaryOp::Add, total, path.empty() ? item : path(item));
  return total;
}

}  // namespace glassbox::jinja::filters
