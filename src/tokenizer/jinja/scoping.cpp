#include "tokenizer/jinja/scoping.h"

#include <functional>
#include <map>
#include <set>

namespace glassbox::jinja {
namespace {

// How a scope starts a name (jinja2's VAR_LOAD_*).
enum class Load { Resolve, Undefined, Alias, Parameter };

struct Symbols {
  const Symbols* parent = nullptr;
  std::map<int, Load> refs;
  std::set<int> stores;

  bool find_ref(int s) const {
    for (const Symbols* p = this; p; p = p->parent)
      if (p->refs.count(s)) return true;
    return false;
  }
  void load(int s) {
    if (!find_ref(s)) refs[s] = Load::Resolve;
  }
  void store(int s) {
    stores.insert(s);
    if (!refs.count(s)) refs[s] = parent && parent->find_ref(s) ? Load::Alias : Load::Undefined;
  }
  void parameter(int s) {
    stores.insert(s);
    refs[s] = Load::Parameter;
  }
  // After an {% if %}: names its branches assign merge in; one assigned in only some branches starts
  // from the outer scope instead.
  void branch_update(const std::vector<Symbols>& branches) {
    std::map<int, size_t> stored;
    for (const Symbols& b : branches)
      for (int s : b.stores)
        if (!stores.count(s)) ++stored[s];
    for (const Symbols& b : branches) {
      for (const auto& [s, load] : b.refs) refs[s] = load;
      stores.insert(b.stores.begin(), b.stores.end());
    }
    for (const auto& [s, count] : stored)
      if (count != branches.size()) refs[s] = parent && parent->find_ref(s) ? Load::Alias : Load::Resolve;
  }
  UndefinedAtEntry undefined() const {
    UndefinedAtEntry out;
    for (const auto& [s, load] : refs)
      if (load == Load::Undefined) out.push_back(s);
    return out;
  }
};

// A scope inside the one being analyzed, analyzed once that one is complete (as jinja2 does).
using Child = std::function<void(const Symbols& parent)>;

void visit(const Expr& e, Symbols& sym);

void visit_args(const CallArgs& a, Symbols& sym) {
  for (const ExprPtr& p : a.positional) visit(*p, sym);
  for (const auto& [k, v] : a.keywords) visit(*v, sym);
  if (a.star) visit(*a.star, sym);
  if (a.star_star) visit(*a.star_star, sym);
}

// Every name an expression reads.
void visit(const Expr& e, Symbols& sym) {
  switch (e.kind) {
    case ExprKind::Const: return;
    case ExprKind::Name: sym.load(static_cast<const NameExpr&>(e).symbol); return;
    case ExprKind::GetAttr: visit(*static_cast<const GetAttrExpr&>(e).object, sym); return;
    case ExprKind::GetItem: {
      const auto& n = static_cast<const GetItemExpr&>(e);
      visit(*n.object, sym);
      visit(*n.index, sym);
      return;
    }
    case ExprKind::Slice: {
      const auto& n = static_cast<const SliceExpr&>(e);
      for (const Expr* p : {n.start.get(), n.stop.get(), n.step.get()})
        if (p) visit(*p, sym);
      return;
    }
    case ExprKind::Call: {
      const auto& n = static_cast<const CallExpr&>(e);
      visit(*n.callee, sym);
      visit_args(n.args, sym);
      return;
    }
    case ExprKind::Filter: {
      const auto& n = static_cast<const FilterExpr&>(e);
      if (n.operand) visit(*n.operand, sym);
      visit_args(n.args, sym);
      return;
    }
    case ExprKind::Test: {
      const auto& n = static_cast<const TestExpr&>(e);
      visit(*n.operand, sym);
      visit_args(n.args, sym);
      return;
    }
    case ExprKind::Not:
    case ExprKind::Neg:
    case ExprKind::Pos: visit(*static_cast<const UnaryExpr&>(e).operand, sym); return;
    case ExprKind::Binary:
    case ExprKind::And:
    case ExprKind::Or: {
      const auto& n = static_cast<const BinaryExpr&>(e);
      visit(*n.left, sym);
      visit(*n.right, sym);
      return;
    }
    case ExprKind::Concat:
      for (const ExprPtr& p : static_cast<const ConcatExpr&>(e).parts) visit(*p, sym);
      return;
    case ExprKind::Compare: {
      const auto& n = static_cast<const CompareExpr&>(e);
      visit(*n.first, sym);
      for (const auto& [op, x] : n.rest) visit(*x, sym);
      return;
    }
    case ExprKind::Cond: {
      const auto& n = static_cast<const CondExpr&>(e);
      visit(*n.test, sym);
      visit(*n.then, sym);
      if (n.otherwise) visit(*n.otherwise, sym);
      return;
    }
    case ExprKind::List:
    case ExprKind::Tuple:
      for (const ExprPtr& p : static_cast<const ListExpr&>(e).items) visit(*p, sym);
      return;
    case ExprKind::Dict:
      for (const auto& [k, v] : static_cast<const DictExpr&>(e).items) {
        visit(*k, sym);
        visit(*v, sym);
      }
      return;
  }
}

void store_target(const Target& t, Symbols& sym, bool as_parameter) {
  if (!t.attribute.empty()) {
    sym.load(t.symbol);  // {% set ns.x = ... %} reads ns
    return;
  }
  if (!t.is_tuple) {
    if (as_parameter) sym.parameter(t.symbol);
    else sym.store(t.symbol);
  }
  for (const Target& item : t.items) store_target(item, sym, as_parameter);
}

void analyze_frame(const std::function<void(Symbols&, std::vector<Child>&)>& fill, const Symbols* parent,
                   UndefinedAtEntry& out);

void visit_statement(Stmt& s, Symbols& sym, std::vector<Child>& children);

void visit_body(Body& body, Symbols& sym, std::vector<Child>& children) {
  for (StmtPtr& s : body) visit_statement(*s, sym, children);
}

// jinja2's visit_If: each branch on a copy of the symbols, elif branches nested in one of them.
void visit_if(IfStmt& n, size_t branch, Symbols& sym, std::vector<Child>& children) {
  visit(*n.branches[branch].first, sym);
  const auto branch_copy = [&](const std::function<void(Symbols&)>& fill) {
    Symbols copy = sym;
    fill(copy);
    return copy;
  };
  std::vector<Symbols> branches;
  branches.push_back(branch_copy([&](Symbols& c) { visit_body(n.branches[branch].second, c, children); }));
  if (branch == 0) {
    branches.push_back(branch_copy([&](Symbols& c) {
      for (size_t k = 1; k < n.branches.size(); ++k) {
        // An elif is an {% if %} of its own with no else, inside the first one's elif branch.
        visit(*n.branches[k].first, c);
        std::vector<Symbols> inner(3, c);
        visit_body(n.branches[k].second, inner[0], children);
        c.branch_update(inner);
      }
    }));
    branches.push_back(branch_copy([&](Symbols& c) { visit_body(n.otherwise, c, children); }));
  }
  sym.branch_update(branches);
}

void visit_statement(Stmt& s, Symbols& sym, std::vector<Child>& children) {
  switch (s.kind) {
    case StmtKind::Text:
    case StmtKind::Break:
    case StmtKind::Continue: return;
    case StmtKind::Print: visit(*static_cast<PrintStmt&>(s).expr, sym); return;
    case StmtKind::If: visit_if(static_cast<IfStmt&>(s), 0, sym, children); return;
    case StmtKind::Set: {
      auto& n = static_cast<SetStmt&>(s);
      visit(*n.value, sym);
      store_target(n.target, sym, false);
      return;
    }
    case StmtKind::SetBlock: {
      auto& n = static_cast<SetBlockStmt&>(s);
      store_target(n.target, sym, false);
      children.push_back([&n](const Symbols& parent) {
        analyze_frame([&n](Symbols& f, std::vector<Child>& c) { visit_body(n.body, f, c); }, &parent, n.undefined);
      });
      return;
    }
    case StmtKind::For: {
      auto& n = static_cast<ForStmt&>(s);
      visit(*n.iterable, sym);
      children.push_back([&n](const Symbols& parent) {
        analyze_frame([&n](Symbols& f, std::vector<Child>& c) {
          store_target(n.target, f, true);
          visit_body(n.body, f, c);
        }, &parent, n.body_undefined);
        analyze_frame([&n](Symbols& f, std::vector<Child>& c) { visit_body(n.otherwise, f, c); }, &parent, n.otherwise_undefined);
        if (n.filter)
          analyze_frame([&n](Symbols& f, std::vector<Child>&) {
            store_target(n.target, f, true);
            visit(*n.filter, f);
          }, &parent, n.filter_undefined);
      });
      return;
    }
    case StmtKind::Macro: {
      auto& n = static_cast<MacroStmt&>(s);
      sym.store(n.symbol);
      children.push_back([&n](const Symbols& parent) {
        analyze_frame([&n](Symbols& f, std::vector<Child>& c) {
          for (const Param& p : n.params) f.parameter(p.symbol);
          for (const Param& p : n.params)
            if (p.fallback) visit(*p.fallback, f);
          visit_body(n.body, f, c);
        }, &parent, n.undefined);
      });
      return;
    }
    case StmtKind::CallBlock: {
      auto& n = static_cast<CallBlockStmt&>(s);
      visit(*n.call, sym);
      MacroStmt& caller = *n.caller;
      children.push_back([&caller](const Symbols& parent) {
        analyze_frame([&caller](Symbols& f, std::vector<Child>& c) {
          for (const Param& p : caller.params) f.parameter(p.symbol);
          for (const Param& p : caller.params)
            if (p.fallback) visit(*p.fallback, f);
          visit_body(caller.body, f, c);
        }, &parent, caller.undefined);
      });
      return;
    }
    case StmtKind::FilterBlock: {
      auto& n = static_cast<FilterBlockStmt&>(s);
      visit(*n.filter, sym);
      children.push_back([&n](const Symbols& parent) {
        analyze_frame([&n](Symbols& f, std::vector<Child>& c) { visit_body(n.body, f, c); }, &parent, n.undefined);
      });
      return;
    }
    case StmtKind::With: {
      auto& n = static_cast<WithStmt&>(s);
      for (auto& [target, value] : n.assignments) visit(*value, sym);
      children.push_back([&n](const Symbols& parent) {
        analyze_frame([&n](Symbols& f, std::vector<Child>& c) {
          for (auto& [target, value] : n.assignments) store_target(target, f, true);
          visit_body(n.body, f, c);
        }, &parent, n.undefined);
      });
      return;
    }
    case StmtKind::Scope: {
      auto& n = static_cast<ScopeStmt&>(s);
      children.push_back([&n](const Symbols& parent) {
        analyze_frame([&n](Symbols& f, std::vector<Child>& c) { visit_body(n.body, f, c); }, &parent, n.undefined);
      });
      return;
    }
  }
}

// Analyzes one scope completely, then the scopes inside it with it as their parent.
void analyze_frame(const std::function<void(Symbols&, std::vector<Child>&)>& fill, const Symbols* parent,
                   UndefinedAtEntry& out) {
  Symbols sym;
  sym.parent = parent;
  std::vector<Child> children;
  fill(sym, children);
  out = sym.undefined();
  for (const Child& child : children) child(sym);
}

}  // namespace

void analyze_scopes(Program& program) {
  analyze_frame([&program](Symbols& f, std::vector<Child>& c) { visit_body(program.body, f, c); }, nullptr, program.undefined);
}

}  // namespace glassbox::jinja
