#pragma once
// The parsed template: expressions and statements, each with its line for error messages. Names are
// numbered at parse time (symbols), so lookups at render time compare integers.
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tokenizer/jinja/filters.h"
#include "tokenizer/jinja/operators.h"
#include "tokenizer/jinja/tests.h"
#include "tokenizer/jinja/value.h"

namespace glassbox::jinja {

// ---- expressions

enum class ExprKind : uint8_t {
  Const, Name, GetAttr, GetItem, Slice, Call, Filter, Test, Not, Neg, Pos, Binary, And, Or, Concat, Compare,
  Cond, List, Tuple, Dict
};

struct Expr {
  Expr(ExprKind k, int l) : kind(k), line(l) {}
  virtual ~Expr() = default;
  ExprKind kind;
  int line;
};
using ExprPtr = std::unique_ptr<Expr>;

struct ConstExpr : Expr {
  ConstExpr(int line, Value v) : Expr(ExprKind::Const, line), value(std::move(v)) {}
  Value value;
};

struct NameExpr : Expr {
  NameExpr(int line, int s) : Expr(ExprKind::Name, line), symbol(s) {}
  int symbol;
};

struct GetAttrExpr : Expr {
  GetAttrExpr(int line, ExprPtr o, std::string a) : Expr(ExprKind::GetAttr, line), object(std::move(o)), attribute(std::move(a)) {}
  ExprPtr object;
  std::string attribute;
};

struct GetItemExpr : Expr {
  GetItemExpr(int line, ExprPtr o, ExprPtr i) : Expr(ExprKind::GetItem, line), object(std::move(o)), index(std::move(i)) {}
  ExprPtr object, index;
};

struct SliceExpr : Expr {  // only as a GetItem index: x[start:stop:step], each part optional
  explicit SliceExpr(int line) : Expr(ExprKind::Slice, line) {}
  ExprPtr start, stop, step;
};

struct CallArgs {
  std::vector<ExprPtr> positional;
  std::vector<std::pair<std::string, ExprPtr>> keywords;
  ExprPtr star, star_star;  // *args, **kwargs
};

struct CallExpr : Expr {
  CallExpr(int line, ExprPtr c) : Expr(ExprKind::Call, line), callee(std::move(c)) {}
  ExprPtr callee;
  CallArgs args;
};

struct FilterExpr : Expr {
  FilterExpr(int line, ExprPtr o, std::string n, const FilterInfo* f)
      : Expr(ExprKind::Filter, line), operand(std::move(o)), name(std::move(n)), filter(f) {}
  ExprPtr operand;  // null for the first filter of a {% filter %} block or {% set x | f %}: the body's text
  std::string name;
  const FilterInfo* filter;
  CallArgs args;
};

struct TestExpr : Expr {
  TestExpr(int line, ExprPtr o, std::string n, const TestFn* t)
      : Expr(ExprKind::Test, line), operand(std::move(o)), name(std::move(n)), test(t) {}
  ExprPtr operand;
  std::string name;
  const TestFn* test;
  CallArgs args;
};

struct UnaryExpr : Expr {  // Not, Neg, Pos
  UnaryExpr(ExprKind k, int line, ExprPtr o) : Expr(k, line), operand(std::move(o)) {}
  ExprPtr operand;
};

struct BinaryExpr : Expr {  // Binary (op), And, Or
  BinaryExpr(ExprKind k, int line, BinaryOp o, ExprPtr l, ExprPtr r)
      : Expr(k, line), op(o), left(std::move(l)), right(std::move(r)) {}
  BinaryOp op;
  ExprPtr left, right;
};

struct ConcatExpr : Expr {  // a ~ b ~ c
  explicit ConcatExpr(int line) : Expr(ExprKind::Concat, line) {}
  std::vector<ExprPtr> parts;
};

enum class CompareOp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge, In, NotIn };

struct CompareExpr : Expr {  // a < b <= c, chained as in Python
  CompareExpr(int line, ExprPtr f) : Expr(ExprKind::Compare, line), first(std::move(f)) {}
  ExprPtr first;
  std::vector<std::pair<CompareOp, ExprPtr>> rest;
};

struct CondExpr : Expr {  // then if test else otherwise
  explicit CondExpr(int line) : Expr(ExprKind::Cond, line) {}
  ExprPtr test, then, otherwise;  // otherwise may be null: undefined
};

struct ListExpr : Expr {  // List or Tuple literal
  ListExpr(ExprKind k, int line) : Expr(k, line) {}
  std::vector<ExprPtr> items;
};

struct DictExpr : Expr {
  explicit DictExpr(int line) : Expr(ExprKind::Dict, line) {}
  std::vector<std::pair<ExprPtr, ExprPtr>> items;
};

// ---- statements

enum class StmtKind : uint8_t { Text, Print, If, For, Set, SetBlock, Macro, CallBlock, FilterBlock, With, Scope, Break, Continue };

struct Stmt {
  Stmt(StmtKind k, int l) : kind(k), line(l) {}
  virtual ~Stmt() = default;
  StmtKind kind;
  int line;
};
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

// Where an assignment or a loop puts values: a name, a namespace attribute (ns.x), or a tuple of targets.
struct Target {
  int symbol = -1;         // a name, or the namespace's name when `attribute` is set
  std::string attribute;   // {% set ns.attribute = ... %}
  std::vector<Target> items;  // unpacking: a, b
  bool is_tuple = false;
};

struct TextStmt : Stmt {
  TextStmt(int line, std::string t) : Stmt(StmtKind::Text, line), text(std::move(t)) {}
  std::string text;
};

struct PrintStmt : Stmt {
  PrintStmt(int line, ExprPtr e) : Stmt(StmtKind::Print, line), expr(std::move(e)) {}
  ExprPtr expr;
};

struct IfStmt : Stmt {
  explicit IfStmt(int line) : Stmt(StmtKind::If, line) {}
  std::vector<std::pair<ExprPtr, Body>> branches;  // if, elif, ...
  Body otherwise;
};

struct ForStmt : Stmt {
  explicit ForStmt(int line) : Stmt(StmtKind::For, line) {}
  Target target;
  ExprPtr iterable, filter;  // filter: `for x in xs if cond`, may be null
  bool recursive = false;
  Body body, otherwise;
};

struct SetStmt : Stmt {
  explicit SetStmt(int line) : Stmt(StmtKind::Set, line) {}
  Target target;
  ExprPtr value;
};

struct SetBlockStmt : Stmt {  // {% set x | filters %}body{% endset %}
  explicit SetBlockStmt(int line) : Stmt(StmtKind::SetBlock, line) {}
  Target target;
  ExprPtr filter;  // may be null
  Body body;
};

struct Param {
  int symbol;
  std::string name;
  ExprPtr fallback;  // the default value, may be null
};

// A macro, or the body of a {% call %} block (what caller() renders).
struct MacroStmt : Stmt {
  explicit MacroStmt(int line) : Stmt(StmtKind::Macro, line) {}
  std::string name;
  int symbol = -1;
  std::vector<Param> params;
  Body body;
  bool uses_varargs = false, uses_kwargs = false, uses_caller = false;
};

struct CallBlockStmt : Stmt {
  explicit CallBlockStmt(int line) : Stmt(StmtKind::CallBlock, line) {}
  std::unique_ptr<MacroStmt> caller;
  std::unique_ptr<CallExpr> call;
};

struct FilterBlockStmt : Stmt {
  explicit FilterBlockStmt(int line) : Stmt(StmtKind::FilterBlock, line) {}
  ExprPtr filter;
  Body body;
};

struct WithStmt : Stmt {
  explicit WithStmt(int line) : Stmt(StmtKind::With, line) {}
  std::vector<std::pair<Target, ExprPtr>> assignments;
  Body body;
};

struct ScopeStmt : Stmt {  // {% generation %}: its body in a scope of its own
  explicit ScopeStmt(int line) : Stmt(StmtKind::Scope, line) {}
  Body body;
};

struct LoopControlStmt : Stmt {  // Break or Continue
  LoopControlStmt(StmtKind k, int line) : Stmt(k, line) {}
};

// A whole template: its statements and the names it uses.
struct Program {
  std::string name;  // for messages: the file the template came from
  Body body;
  std::vector<std::string> symbols;  // by symbol number
  std::unordered_map<std::string, int> symbol_index;
  int loop_symbol = -1, varargs_symbol = -1, kwargs_symbol = -1, caller_symbol = -1;
};

}  // namespace glassbox::jinja
