#include "tokenizer/jinja/renderer.h"

#include <functional>

#include "tokenizer/jinja/access.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/globals.h"
#include "tokenizer/jinja/limits.h"
#include "tokenizer/jinja/methods.h"
#include "tokenizer/jinja/objects.h"
#include "tokenizer/jinja/printing.h"
#include "tokenizer/jinja/strftime.h"

namespace glassbox::jinja {
namespace {

struct Scope {
  explicit Scope(std::shared_ptr<Scope> p) : parent(std::move(p)) {}
  std::shared_ptr<Scope> parent;
  std::vector<std::pair<int, Value>> vars;

  Value* find(int symbol) {
    for (auto& [s, v] : vars)
      if (s == symbol) return &v;
    return nullptr;
  }
  void set(int symbol, Value value) {
    if (Value* v = find(symbol)) *v = std::move(value);
    else vars.emplace_back(symbol, std::move(value));
  }
};
using ScopePtr = std::shared_ptr<Scope>;

enum class Flow { Normal, Break, Continue };

class Renderer;

class Macro : public Callable {
 public:
  Macro(const MacroStmt& stmt, ScopePtr closure, Renderer& renderer) : stmt_(stmt), closure_(std::move(closure)), renderer_(renderer) {}
  const char* type_name() const override { return "Macro"; }
  std::string repr() const override { return "<Macro '" + stmt_.name + "'>"; }
  Value call(Arguments& args, Runtime& runtime) override;
  void release() override { closure_.reset(); }
  const MacroStmt& stmt() const { return stmt_; }
  const ScopePtr& closure() const { return closure_; }

 private:
  const MacroStmt& stmt_;
  ScopePtr closure_;
  Renderer& renderer_;
};

// The `loop` of a for loop. Items that pass the loop's `if` are found as they are needed, as jinja2 does,
// so a filter that reads a namespace the body changes sees the change.
class LoopContext : public Callable, public std::enable_shared_from_this<LoopContext> {
 public:
  LoopContext(const ForStmt& stmt, std::vector<Value> source, std::function<bool(const Value&)> accepts, ScopePtr parent,
              int depth0, Renderer& renderer)
      : stmt_(stmt), source_(std::move(source)), accepts_(std::move(accepts)), parent_(std::move(parent)),
        depth0_(depth0), renderer_(renderer) {}

  const char* type_name() const override { return "LoopContext"; }
  std::string repr() const override { return "<LoopContext " + std::to_string(index0 + 1) + "/" + std::to_string(length()) + ">"; }
  Value attribute(const std::string& name) override;
  Value call(Arguments& args, Runtime& runtime) override;  // loop(children) in a recursive loop
  void release() override {
    accepts_ = nullptr;
    parent_.reset();
    last_changed_.reset();
  }

  bool has(size_t k) const {  // whether item k exists
    while (accepted_.size() <= k && next_source_ < source_.size()) {
      const Value& v = source_[next_source_++];
      if (!accepts_ || accepts_(v)) accepted_.push_back(v);
    }
    return accepted_.size() > k;
  }
  const Value& item(size_t k) const { return accepted_[k]; }
  size_t length() const {
    has(SIZE_MAX - 1);
    return accepted_.size();
  }

  size_t index0 = 0;

 private:
  const ForStmt& stmt_;
  std::vector<Value> source_;
  std::function<bool(const Value&)> accepts_;
  ScopePtr parent_;
  int depth0_;
  Renderer& renderer_;
  mutable std::vector<Value> accepted_;
  mutable size_t next_source_ = 0;
  std::optional<std::vector<Value>> last_changed_;
  friend class LoopMethod;
  friend class Renderer;
};

// loop.cycle(...) and loop.changed(...).
class LoopMethod : public Callable {
 public:
  LoopMethod(std::shared_ptr<LoopContext> loop, bool cycle) : loop_(std::move(loop)), cycle_(cycle) {}
  const char* type_name() const override { return "method"; }
  Value call(Arguments& args, Runtime&) override {
    if (!args.keywords.empty()) failure(std::string("loop.") + (cycle_ ? "cycle" : "changed") + "() takes no keyword arguments");
    if (cycle_) {
      if (args.positional.empty()) failure("no items for cycling given");
      return args.positional[loop_->index0 % args.positional.size()];
    }
    const auto& last = loop_->last_changed_;
    const bool changed = !last || last->size() != args.positional.size() ||
                         !std::equal(last->begin(), last->end(), args.positional.begin(), equal);
    if (changed) loop_->last_changed_ = args.positional;
    return Value::boolean(changed);
  }

 private:
  std::shared_ptr<LoopContext> loop_;
  bool cycle_;
};

Value LoopContext::attribute(const std::string& name) {
  const int64_t i = int64_t(index0);
  if (name == "index") return Value::integer(i + 1);
  if (name == "index0") return Value::integer(i);
  if (name == "first") return Value::boolean(index0 == 0);
  if (name == "last") return Value::boolean(!has(index0 + 1));
  if (name == "length") return Value::integer(int64_t(length()));
  if (name == "revindex") return Value::integer(int64_t(length()) - i);
  if (name == "revindex0") return Value::integer(int64_t(length()) - i - 1);
  if (name == "depth") return Value::integer(depth0_ + 1);
  if (name == "depth0") return Value::integer(depth0_);
  if (name == "previtem") return index0 > 0 ? item(index0 - 1) : Value::undefined("there is no previous item");
  if (name == "nextitem") return has(index0 + 1) ? item(index0 + 1) : Value::undefined("there is no next item");
  if (name == "cycle" || name == "changed") return Value::object(std::make_shared<LoopMethod>(shared_from_this(), name == "cycle"));
  return Object::attribute(name);
}

class Renderer : public Runtime {
 public:
  Renderer(const Program& p, const std::optional<Moment>& now) : p_(p), now_(now), globals_(p.symbols.size()) {}
  ~Renderer() override {
    for (const auto& o : owned_) o->release();
  }

  std::string run(const std::vector<std::pair<std::string, Value>>& variables) {
    scope_ = std::make_shared<Scope>(nullptr);
    root_ = scope_;
    for (const auto& [name, value] : variables)
      if (const auto it = p_.symbol_index.find(name); it != p_.symbol_index.end()) scope_->set(it->second, value);
    stack_top_ = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    std::string out;
    out_ = &out;
    try {
      exec(p_.body);
    } catch (const Failure& f) {
      throw Error(p_.name, line_, f.what(), f.raised);
    }
    return out;
  }

  // ---- Runtime

  void charge(uint64_t steps) override {
    steps_ += steps;
    if (steps_ > limits::kSteps)
      failure("the template did more than " + std::to_string(limits::kSteps) + " steps of work (a runaway loop?)");
  }

  Moment now() const override { return now_ ? *now_ : local_now(); }

  Value call(const Value& callee, Arguments args) override {
    if (callee.is_undefined()) undefined_error(callee);
    if (callee.kind() == Kind::Object)
      if (auto* f = dynamic_cast<Callable*>(&callee.object())) {
        const Value keep = callee;  // the object stays alive while it runs, even if the call drops it
        return f->call(args, *this);
      }
    failure("'" + type_name(callee) + "' object is not callable");
  }

  void own(std::shared_ptr<Object> object) override { owned_.push_back(std::move(object)); }

  // ---- macros and loops, called back by their objects

  Value call_macro(const Macro& m, Arguments& args) {
    const MacroStmt& s = m.stmt();
    const std::string name = "macro '" + s.name + "'";
    Deeper deeper(*this);
    auto scope = std::make_shared<Scope>(m.closure() ? m.closure() : root_);
    std::vector<bool> bound(s.params.size(), false);
    for (size_t i = 0; i < s.params.size() && i < args.positional.size(); ++i) {
      scope->set(s.params[i].symbol, args.positional[i]);
      bound[i] = true;
    }
    if (args.positional.size() > s.params.size()) {
      if (!s.uses_varargs)
        failure(name + " takes not more than " + std::to_string(s.params.size()) + " argument(s)");
    }
    Dict extra;
    Value caller = Value::undefined("No caller defined");
    for (auto& [key, value] : args.keywords) {
      size_t i = 0;
      while (i < s.params.size() && s.params[i].name != key) ++i;
      if (i < s.params.size()) {
        if (bound[i]) failure(name + " got multiple values for argument '" + key + "'");
        scope->set(s.params[i].symbol, value);
        bound[i] = true;
      } else if (key == "caller" && s.uses_caller) {
        caller = value;
      } else if (s.uses_kwargs) {
        extra.set(Value::string(key), value);
      } else {
        failure(name + " takes no keyword argument '" + key + "'");
      }
    }
    const ScopePtr saved = scope_;
    scope_ = scope;
    for (size_t i = 0; i < s.params.size(); ++i) {  // defaults may use the parameters before them
      if (bound[i]) continue;
      scope->set(s.params[i].symbol, s.params[i].fallback ? eval(*s.params[i].fallback)
                                                          : Value::undefined("parameter '" + s.params[i].name + "' was not provided"));
    }
    if (s.uses_varargs) {
      std::vector<Value> rest;
      for (size_t i = s.params.size(); i < args.positional.size(); ++i) rest.push_back(args.positional[i]);
      scope->set(p_.varargs_symbol, Value::tuple(std::move(rest)));
    }
    if (s.uses_kwargs) scope->set(p_.kwargs_symbol, Value::dict(std::move(extra)));
    if (s.uses_caller) scope->set(p_.caller_symbol, caller);
    std::string text = capture([&] { exec(s.body); });
    scope_ = saved;
    return Value::string(std::move(text));
  }

  Value recurse(LoopContext& loop, const Value& iterable) {
    Deeper deeper(*this);
    const ScopePtr saved = scope_;
    std::string text = capture([&] { run_loop(loop.stmt_, iterable, loop.parent_, loop.depth0_ + 1); });
    scope_ = saved;
    return Value::string(std::move(text));
  }

 private:
  // One more macro call or recursive loop inside the others. Each can hold a template's worth of nested
  // statements, so the stack they use is bounded too.
  struct Deeper {
    explicit Deeper(Renderer& r) : r_(r) {
      if (++r_.call_depth_ > limits::kCallDepth)
        failure("macro calls or recursive loops nested more than " + std::to_string(limits::kCallDepth) + " deep");
      if (r_.stack_top_ - reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) > limits::kStackBytes)
        failure("macro calls or recursive loops nested too deeply for the stack");
    }
    ~Deeper() { --r_.call_depth_; }
    Renderer& r_;
  };

  template <typename Body>
  std::string capture(Body body) {
    std::string text;
    std::string* saved = out_;
    out_ = &text;
    body();
    out_ = saved;
    return text;
  }

  void emit(std::string_view text) {
    if (out_->size() + text.size() > limits::kStringBytes)
      failure("the rendered text is longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
    out_->append(text);
    charge_bytes(text.size());
  }

  void charge_bytes(size_t n) {
    bytes_ += n;
    if (bytes_ > limits::kBytesBuilt)
      failure("the template built more than " + std::to_string(limits::kBytesBuilt >> 20) + " MiB of text");
  }

  // Charges what an expression built: bytes of a string, items of a list.
  Value built(Value v) {
    if (v.is_string()) charge_bytes(v.str().size());
    else if (v.is_sequence()) charge(v.items().size());
    return v;
  }

  // ---- names

  Value lookup(int symbol) {
    for (Scope* s = scope_.get(); s; s = s->parent.get())
      if (Value* v = s->find(symbol)) return *v;
    std::optional<Value>& g = globals_[size_t(symbol)];
    if (!g) g = find_global(p_.symbols[size_t(symbol)]);
    return *g;
  }

  void assign(const Target& t, const Value& value) {
    if (!t.attribute.empty()) {
      const Value ns = lookup(t.symbol);
      auto* n = ns.kind() == Kind::Object ? dynamic_cast<Namespace*>(&ns.object()) : nullptr;
      if (!n) failure("cannot assign attribute '" + t.attribute + "' on '" + p_.symbols[size_t(t.symbol)] + "', which is not a namespace()");
      n->set(t.attribute, value);
      return;
    }
    if (!t.is_tuple) {
      scope_->set(t.symbol, value);
      return;
    }
    const std::vector<Value> items = iterate(value);
    if (items.size() < t.items.size())
      failure("not enough values to unpack (expected " + std::to_string(t.items.size()) + ", got " + std::to_string(items.size()) + ")");
    if (items.size() > t.items.size()) failure("too many values to unpack (expected " + std::to_string(t.items.size()) + ")");
    for (size_t i = 0; i < items.size(); ++i) assign(t.items[i], items[i]);
  }

  // ---- statements

  Flow exec(const Body& body) {
    for (const StmtPtr& s : body) {
      const Flow f = exec(*s);
      if (f != Flow::Normal) return f;
    }
    return Flow::Normal;
  }

  Flow exec_in_new_scope(const Body& body) {
    const ScopePtr saved = scope_;
    scope_ = std::make_shared<Scope>(saved);
    const Flow f = exec(body);
    scope_ = saved;
    return f;
  }

  Flow exec(const Stmt& s) {
    charge(1);
    line_ = s.line;
    switch (s.kind) {
      case StmtKind::Text: emit(static_cast<const TextStmt&>(s).text); return Flow::Normal;
      case StmtKind::Print: {
        const Value v = eval(*static_cast<const PrintStmt&>(s).expr);
        if (v.is_string()) emit(v.str());
        else emit(to_str(v));
        return Flow::Normal;
      }
      case StmtKind::If: {
        const auto& n = static_cast<const IfStmt&>(s);
        for (const auto& [test, body] : n.branches)
          if (eval(*test).truthy()) return exec(body);
        return exec(n.otherwise);
      }
      case StmtKind::For: {
        const auto& n = static_cast<const ForStmt&>(s);
        const Value iterable = eval(*n.iterable);
        run_loop(n, iterable, scope_, 0);
        return Flow::Normal;
      }
      case StmtKind::Set: {
        const auto& n = static_cast<const SetStmt&>(s);
        assign(n.target, eval(*n.value));
        return Flow::Normal;
      }
      case StmtKind::SetBlock: {
        const auto& n = static_cast<const SetBlockStmt&>(s);
        Value text = Value::string(capture([&] { exec_in_new_scope(n.body); }));
        assign(n.target, n.filter ? eval_filter_chain(*n.filter, text) : text);
        return Flow::Normal;
      }
      case StmtKind::Macro: {
        const auto& n = static_cast<const MacroStmt&>(s);
        auto macro = std::make_shared<Macro>(n, scope_, *this);
        own(macro);
        scope_->set(n.symbol, Value::object(macro));
        return Flow::Normal;
      }
      case StmtKind::CallBlock: {
        const auto& n = static_cast<const CallBlockStmt&>(s);
        auto caller = std::make_shared<Macro>(*n.caller, scope_, *this);
        own(caller);
        const Value callee = eval(*n.call->callee);
        Arguments args = eval_args(n.call->args);
        args.keywords.emplace_back("caller", Value::object(caller));
        line_ = n.line;
        const Value result = call(callee, std::move(args));
        emit(result.is_string() ? result.str() : to_str(result));
        return Flow::Normal;
      }
      case StmtKind::FilterBlock: {
        const auto& n = static_cast<const FilterBlockStmt&>(s);
        const Value text = Value::string(capture([&] { exec_in_new_scope(n.body); }));
        emit(to_str(eval_filter_chain(*n.filter, text)));
        return Flow::Normal;
      }
      case StmtKind::With: {
        const auto& n = static_cast<const WithStmt&>(s);
        std::vector<Value> values;
        for (const auto& a : n.assignments) values.push_back(eval(*a.second));
        const ScopePtr saved = scope_;
        scope_ = std::make_shared<Scope>(saved);
        for (size_t i = 0; i < values.size(); ++i) assign(n.assignments[i].first, values[i]);
        const Flow f = exec(n.body);
        scope_ = saved;
        return f;
      }
      case StmtKind::Scope: return exec_in_new_scope(static_cast<const ScopeStmt&>(s).body);
      case StmtKind::Break: return Flow::Break;
      case StmtKind::Continue: return Flow::Continue;
    }
    return Flow::Normal;
  }

  void run_loop(const ForStmt& n, const Value& iterable, ScopePtr parent, int depth0) {  // parent by value: scope_ changes
    std::vector<Value> items = iterate(iterable);
    charge(items.size());
    std::function<bool(const Value&)> accepts;
    if (n.filter) {
      accepts = [this, &n, parent](const Value& item) {
        const ScopePtr saved = scope_;
        scope_ = std::make_shared<Scope>(parent);
        assign(n.target, item);
        const bool ok = eval(*n.filter).truthy();
        scope_ = saved;
        return ok;
      };
    }
    auto loop = std::make_shared<LoopContext>(n, std::move(items), std::move(accepts), parent, depth0, *this);
    own(loop);
    const Value loop_value = Value::object(loop);
    const ScopePtr saved = scope_;
    size_t i = 0;
    for (; loop->has(i); ++i) {
      loop->index0 = i;
      scope_ = std::make_shared<Scope>(parent);
      assign(n.target, loop->item(i));
      scope_->set(p_.loop_symbol, loop_value);
      if (exec(n.body) == Flow::Break) {
        ++i;
        break;
      }
    }
    scope_ = saved;
    if (i == 0 && !n.otherwise.empty()) exec_in_new_scope(n.otherwise);
  }

  // ---- expressions

  Value eval(const Expr& e) {
    charge(1);
    line_ = e.line;
    switch (e.kind) {
      case ExprKind::Const: return static_cast<const ConstExpr&>(e).value;
      case ExprKind::Name: return lookup(static_cast<const NameExpr&>(e).symbol);
      case ExprKind::GetAttr: {
        const auto& n = static_cast<const GetAttrExpr&>(e);
        const Value object = eval(*n.object);
        line_ = e.line;
        return get_attribute(object, n.attribute);
      }
      case ExprKind::GetItem: return eval_getitem(static_cast<const GetItemExpr&>(e));
      case ExprKind::Slice: failure("a slice outside [ ]");
      case ExprKind::Call: return built(eval_call(static_cast<const CallExpr&>(e)));
      case ExprKind::Filter: {
        const auto& n = static_cast<const FilterExpr&>(e);
        return built(apply(n, eval(*n.operand)));
      }
      case ExprKind::Test: {
        const auto& n = static_cast<const TestExpr&>(e);
        const Value operand = eval(*n.operand);
        Arguments args = eval_args(n.args);
        line_ = e.line;
        return Value::boolean((*n.test)(*this, operand, args));
      }
      case ExprKind::Not: return Value::boolean(!eval(*static_cast<const UnaryExpr&>(e).operand).truthy());
      case ExprKind::Neg: return negate(eval(*static_cast<const UnaryExpr&>(e).operand));
      case ExprKind::Pos: return positive(eval(*static_cast<const UnaryExpr&>(e).operand));
      case ExprKind::Binary: {
        const auto& n = static_cast<const BinaryExpr&>(e);
        const Value a = eval(*n.left);
        const Value b = eval(*n.right);
        line_ = e.line;
        return built(binary(n.op, a, b));
      }
      case ExprKind::And: {
        const auto& n = static_cast<const BinaryExpr&>(e);
        Value a = eval(*n.left);
        return a.truthy() ? eval(*n.right) : a;
      }
      case ExprKind::Or: {
        const auto& n = static_cast<const BinaryExpr&>(e);
        Value a = eval(*n.left);
        return a.truthy() ? a : eval(*n.right);
      }
      case ExprKind::Concat: {
        std::string s;
        for (const ExprPtr& part : static_cast<const ConcatExpr&>(e).parts) {
          const Value v = eval(*part);
          s += v.is_string() ? v.str() : to_str(v);
          if (s.size() > limits::kStringBytes) failure("a string longer than " + std::to_string(limits::kStringBytes >> 20) + " MiB");
        }
        return built(Value::string(std::move(s)));
      }
      case ExprKind::Compare: return Value::boolean(eval_compare(static_cast<const CompareExpr&>(e)));
      case ExprKind::Cond: {
        const auto& n = static_cast<const CondExpr&>(e);
        if (eval(*n.test).truthy()) return eval(*n.then);
        if (n.otherwise) return eval(*n.otherwise);
        return Value::undefined("the inline if-expression on line " + std::to_string(e.line) +
                                " evaluated to false and no else section was defined.");
      }
      case ExprKind::List:
      case ExprKind::Tuple: {
        std::vector<Value> items;
        for (const ExprPtr& item : static_cast<const ListExpr&>(e).items) items.push_back(eval(*item));
        return e.kind == ExprKind::List ? Value::list(std::move(items)) : Value::tuple(std::move(items));
      }
      case ExprKind::Dict: {
        Dict d;
        for (const auto& [k, v] : static_cast<const DictExpr&>(e).items) {
          Value key = eval(*k);
          d.set(std::move(key), eval(*v));
        }
        return Value::dict(std::move(d));
      }
    }
    return {};
  }

  Value eval_getitem(const GetItemExpr& n) {
    const Value object = eval(*n.object);
    if (n.index->kind != ExprKind::Slice) {
      const Value key = eval(*n.index);
      line_ = n.line;
      return get_item(object, key);
    }
    const auto& s = static_cast<const SliceExpr&>(*n.index);
    std::optional<int64_t> parts[3];
    const Expr* exprs[3] = {s.start.get(), s.stop.get(), s.step.get()};
    for (int i = 0; i < 3; ++i) {
      if (!exprs[i]) continue;
      const Value v = eval(*exprs[i]);
      if (v.is_integral()) parts[i] = v.as_int();
      else if (!v.is_none()) return Value::undefined("slice indices must be integers or None");
    }
    line_ = n.line;
    return built(get_slice(object, parts[0], parts[1], parts[2]));
  }

  bool eval_compare(const CompareExpr& n) {
    Value left = eval(*n.first);
    for (const auto& [op, expr] : n.rest) {
      Value right = eval(*expr);
      line_ = n.line;
      bool ok;
      switch (op) {
        case CompareOp::Eq: ok = equal(left, right); break;
        case CompareOp::Ne: ok = !equal(left, right); break;
        case CompareOp::Lt: ok = less(left, right); break;
        case CompareOp::Le: ok = less(left, right) || equal(left, right); break;
        case CompareOp::Gt: ok = less(right, left); break;
        case CompareOp::Ge: ok = less(right, left) || equal(left, right); break;
        case CompareOp::In: ok = contains(right, left); break;
        case CompareOp::NotIn: ok = !contains(right, left); break;
      }
      if (!ok) return false;
      left = std::move(right);
    }
    return true;
  }

  Arguments eval_args(const CallArgs& a) {
    Arguments args;
    args.positional.reserve(a.positional.size());
    for (const ExprPtr& e : a.positional) args.positional.push_back(eval(*e));
    if (a.star)
      for (Value& v : iterate(eval(*a.star))) args.positional.push_back(std::move(v));
    for (const auto& [k, e] : a.keywords) args.keywords.emplace_back(k, eval(*e));
    if (a.star_star) {
      const Value d = eval(*a.star_star);
      if (d.kind() != Kind::Dict) failure("argument after ** must be a mapping, not " + type_name(d));
      for (const auto& [k, v] : d.dict().items()) {
        if (!k.is_string()) failure("keywords must be strings");
        args.keywords.emplace_back(k.str(), v);
      }
    }
    return args;
  }

  Value eval_call(const CallExpr& n) {
    Value callee;
    if (n.callee->kind == ExprKind::GetAttr) {
      // self.method(...) on a string, list or dict runs the method without making a bound method first.
      const auto& g = static_cast<const GetAttrExpr&>(*n.callee);
      const Value self = eval(*g.object);
      line_ = n.line;
      const MethodLookup m = find_method(self, g.attribute);
      if (m.result == MethodLookup::Found) {
        Arguments args = eval_args(n.args);
        line_ = n.line;
        return m.fn(*this, self, args);
      }
      callee = get_attribute(self, g.attribute);
    } else {
      callee = eval(*n.callee);
    }
    Arguments args = eval_args(n.args);
    line_ = n.line;
    return call(callee, std::move(args));
  }

  Value apply(const FilterExpr& n, const Value& input) {
    Arguments args = eval_args(n.args);
    line_ = n.line;
    if (!n.filter->fn) failure("the filter '" + n.name + "' is not supported by glassbox's template engine");
    return n.filter->fn(*this, input, args);
  }

  // A filter chain whose innermost operand is the text of a block ({% filter %}, {% set x | f %}).
  Value eval_filter_chain(const Expr& e, const Value& text) {
    const auto& n = static_cast<const FilterExpr&>(e);
    const Value input = n.operand ? eval_filter_chain(*n.operand, text) : text;
    return built(apply(n, input));
  }

  const Program& p_;
  std::optional<Moment> now_;
  ScopePtr scope_, root_;
  std::string* out_ = nullptr;
  std::vector<std::optional<Value>> globals_;  // by symbol, looked up once
  std::vector<std::shared_ptr<Object>> owned_;
  uint64_t steps_ = 0, bytes_ = 0;
  int call_depth_ = 0;
  uintptr_t stack_top_ = 0;  // where the render started on the stack (it grows down)
  int line_ = 1;
};

Value Macro::call(Arguments& args, Runtime&) { return renderer_.call_macro(*this, args); }

Value LoopContext::call(Arguments& args, Runtime&) {
  if (!stmt_.recursive) failure("the loop must be declared 'recursive' to be called");
  if (args.positional.size() != 1 || !args.keywords.empty()) failure("loop() takes exactly one argument");
  return renderer_.recurse(*this, args.positional[0]);
}

}  // namespace

std::string render(const Program& program, const std::vector<std::pair<std::string, Value>>& variables,
                   const std::optional<Moment>& now) {
  return Renderer(program, now).run(variables);
}

}  // namespace glassbox::jinja
