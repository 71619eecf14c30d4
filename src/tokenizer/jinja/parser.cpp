#include "tokenizer/jinja/parser.h"

#include <algorithm>
#include <initializer_list>
#include <unordered_map>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/lexer.h"
#include "tokenizer/jinja/limits.h"

namespace glassbox::jinja {
namespace {

using Words = std::initializer_list<const char*>;

bool in(const std::string& word, Words words) {
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return word == w; });
}

// Statements jinja2 has that a chat template cannot use: they load other templates, and transformers
// renders a chat template alone, without a loader.
constexpr const char* kNeedsLoader[] = {"extends", "include", "import", "from", "block"};

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::unique_ptr<Program> program)
      : tokens_(std::move(tokens)), program_(std::move(program)) {
    program_->loop_symbol = symbol("loop");
    program_->varargs_symbol = symbol("varargs");
    program_->kwargs_symbol = symbol("kwargs");
    program_->caller_symbol = symbol("caller");
  }

  std::unique_ptr<Program> run() {
    program_->body = parse_body({}, nullptr, 0);
    program_->symbol_index = std::move(symbols_);
    return std::move(program_);
  }

 private:
  // ---- token access

  const Token& cur() const { return tokens_[pos_]; }
  const Token& peek(size_t ahead = 1) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  const Token& advance() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool is_op(Op op) const { return cur().type == TokenType::Operator && cur().op == op; }
  bool is_name(const char* word) const { return cur().type == TokenType::Name && cur().text == word; }
  bool skip_op(Op op) {
    if (!is_op(op)) return false;
    advance();
    return true;
  }
  bool skip_name(const char* word) {
    if (!is_name(word)) return false;
    advance();
    return true;
  }

  [[noreturn]] void fail(const std::string& message, int line) const { throw Error(program_->name, line, message); }
  [[noreturn]] void fail(const std::string& message) const { fail(message, cur().line); }

  static std::string shown(const Token& t) {
    if (t.type == TokenType::Name || t.type == TokenType::Operator) return "'" + t.text + "'";
    return describe(t);
  }

  void expect_op(Op op, const char* text) {
    if (!skip_op(op)) fail(std::string("expected '") + text + "', got " + shown(cur()));
  }
  void expect(TokenType type, const char* what) {
    if (cur().type != type) fail(std::string("expected ") + what + ", got " + shown(cur()));
    advance();
  }
  std::string expect_name() {
    if (cur().type != TokenType::Name) fail("expected a name, got " + shown(cur()));
    return advance().text;
  }
  void expect_word(const char* word) {
    if (!skip_name(word)) fail(std::string("expected '") + word + "', got " + shown(cur()));
  }

  int symbol(const std::string& name) {
    const auto [it, added] = symbols_.emplace(name, int(program_->symbols.size()));
    if (added) program_->symbols.push_back(name);
    return it->second;
  }

  // Brackets, blocks and operators inside each other: deep enough nesting would exhaust the stack.
  struct Nest {
    explicit Nest(Parser& p) : p_(p) {
      if (++p_.depth_ > limits::kNesting) p_.fail("nested more than " + std::to_string(limits::kNesting) + " levels deep");
    }
    ~Nest() { --p_.depth_; }
    Parser& p_;
  };

  // ---- statements

  // Statements up to a {% word %} of `end` (left as the current token), or to the end of the template.
  Body parse_body(Words end, const char* opened_by, int opened_line) {
    Nest nest(*this);
    Body body;
    while (true) {
      const Token& t = cur();
      if (t.type == TokenType::Data) {
        body.push_back(std::make_unique<TextStmt>(t.line, t.text));
        advance();
      } else if (t.type == TokenType::VariableBegin) {
        advance();
        const int line = cur().line;
        body.push_back(std::make_unique<PrintStmt>(line, parse_tuple(false, true, {}, false)));
        expect(TokenType::VariableEnd, "'}}'");
      } else if (t.type == TokenType::BlockBegin) {
        advance();
        if (cur().type == TokenType::Name && in(cur().text, end)) return body;
        parse_statement(body, opened_by);
        expect(TokenType::BlockEnd, "'%}'");
      } else if (t.type == TokenType::End) {
        if (opened_by)
          fail(std::string("unexpected end of template: the {% ") + opened_by + " %} on line " +
               std::to_string(opened_line) + " is never closed (expected {% end" + opened_by + " %})");
        return body;
      } else {
        fail("unexpected " + shown(t));
      }
    }
  }

  // After `{% name ... %}`, the body up to {% word %} for a word of `end`; leaves that word current.
  Body block_body(Words end, const char* opened_by, int line) {
    expect(TokenType::BlockEnd, "'%}'");
    return parse_body(end, opened_by, line);
  }

  void parse_statement(Body& body, const char* enclosing) {
    if (cur().type != TokenType::Name) fail("expected a statement name, got " + shown(cur()));
    const std::string word = cur().text;
    const int line = cur().line;
    if (word == "print") {  // {% print a, b %} prints a, then b
      advance();
      for (bool first = true; cur().type != TokenType::BlockEnd; first = false) {
        if (!first) expect_op(Op::Comma, ",");
        body.push_back(std::make_unique<PrintStmt>(line, parse_expression(true)));
      }
      return;
    }
    body.push_back(parse_block_statement(word, line, enclosing));
  }

  StmtPtr parse_block_statement(const std::string& word, int line, const char* enclosing) {
    if (word == "for") return parse_for();
    if (word == "if") return parse_if();
    if (word == "set") return parse_set();
    if (word == "macro") return parse_macro();
    if (word == "call") return parse_call_block();
    if (word == "filter") return parse_filter_block();
    if (word == "with") return parse_with();
    if (word == "generation") return parse_generation();
    if (word == "break" || word == "continue") {
      advance();
      if (loop_depth_ == 0) fail("'" + word + "' outside a for loop");
      return std::make_unique<LoopControlStmt>(word == "break" ? StmtKind::Break : StmtKind::Continue, line);
    }
    for (const char* w : kNeedsLoader)
      if (word == w)
        fail("'" + word + "' is not supported: a chat template is rendered alone, without other template files");
    if (enclosing)
      fail("unknown tag '" + word + "' (the {% " + enclosing + " %} around it is closed by {% end" + enclosing + " %})");
    fail("unknown tag '" + word + "'");
  }

  StmtPtr parse_for() {
    auto node = std::make_unique<ForStmt>(advance().line);
    node->target = parse_assign_target(true, false, false, {"in"});
    expect_word("in");
    node->iterable = parse_tuple(false, false, {"recursive"}, false);
    if (skip_name("if")) node->filter = parse_expression(true);
    node->recursive = skip_name("recursive");
    ++loop_depth_;
    node->body = block_body({"endfor", "else"}, "for", node->line);
    --loop_depth_;
    if (advance().text == "else") {
      node->otherwise = block_body({"endfor"}, "for", node->line);
      advance();
    }
    return node;
  }

  StmtPtr parse_if() {
    auto node = std::make_unique<IfStmt>(advance().line);
    while (true) {
      ExprPtr test = parse_tuple(false, false, {}, false);
      Body body = block_body({"elif", "else", "endif"}, "if", node->line);
      node->branches.emplace_back(std::move(test), std::move(body));
      const std::string word = advance().text;
      if (word == "elif") continue;
      if (word == "else") {
        node->otherwise = block_body({"endif"}, "if", node->line);
        advance();
      }
      return node;
    }
  }

  StmtPtr parse_set() {
    const int line = advance().line;
    Target target = parse_assign_target(true, false, true, {});
    if (skip_op(Op::Assign)) {
      auto node = std::make_unique<SetStmt>(line);
      node->target = std::move(target);
      node->value = parse_tuple(false, true, {}, false);
      return node;
    }
    auto node = std::make_unique<SetBlockStmt>(line);
    node->target = std::move(target);
    node->filter = parse_filter(nullptr, false);
    node->body = block_body({"endset"}, "set", line);
    advance();
    return node;
  }

  void parse_signature(MacroStmt& macro) {
    expect_op(Op::LParen, "(");
    while (!is_op(Op::RParen)) {
      if (!macro.params.empty()) expect_op(Op::Comma, ",");
      Param p;
      p.name = expect_name();
      p.symbol = symbol(p.name);
      if (skip_op(Op::Assign)) p.fallback = parse_expression(true);
      else if (!macro.params.empty() && macro.params.back().fallback) fail("non-default argument follows default argument");
      macro.params.push_back(std::move(p));
    }
    advance();
  }

  // A macro body: its own `loop` context, and the names varargs, kwargs and caller it may use.
  Body macro_body(MacroStmt& macro, const char* end, const char* opened_by) {
    const int saved_loops = loop_depth_;
    loop_depth_ = 0;
    macros_.push_back(&macro);
    Body body = block_body({end}, opened_by, macro.line);
    macros_.pop_back();
    loop_depth_ = saved_loops;
    advance();
    return body;
  }

  StmtPtr parse_macro() {
    auto node = std::make_unique<MacroStmt>(advance().line);
    node->name = expect_name();
    node->symbol = symbol(node->name);
    parse_signature(*node);
    node->body = macro_body(*node, "endmacro", "macro");
    return node;
  }

  StmtPtr parse_call_block() {
    auto node = std::make_unique<CallBlockStmt>(advance().line);
    node->caller = std::make_unique<MacroStmt>(node->line);
    node->caller->name = "caller";
    if (is_op(Op::LParen)) parse_signature(*node->caller);
    ExprPtr call = parse_expression(true);
    if (call->kind != ExprKind::Call) fail("expected a call after {% call %}", node->line);
    node->call.reset(static_cast<CallExpr*>(call.release()));
    node->caller->body = macro_body(*node->caller, "endcall", "call");
    return node;
  }

  StmtPtr parse_filter_block() {
    auto node = std::make_unique<FilterBlockStmt>(advance().line);
    node->filter = parse_filter(nullptr, true);
    node->body = block_body({"endfilter"}, "filter", node->line);
    advance();
    return node;
  }

  StmtPtr parse_with() {
    auto node = std::make_unique<WithStmt>(advance().line);
    while (cur().type != TokenType::BlockEnd) {
      if (!node->assignments.empty()) expect_op(Op::Comma, ",");
      Target t = parse_assign_target(true, false, false, {});
      expect_op(Op::Assign, "=");
      node->assignments.emplace_back(std::move(t), parse_expression(true));
    }
    node->body = block_body({"endwith"}, "with", node->line);
    advance();
    return node;
  }

  StmtPtr parse_generation() {
    auto node = std::make_unique<ScopeStmt>(advance().line);
    node->body = block_body({"endgeneration"}, "generation", node->line);
    advance();
    return node;
  }

  // ---- assignment targets

  Target parse_assign_target(bool with_tuple, bool name_only, bool with_namespace, Words extra_end) {
    Target t;
    if (with_namespace && cur().type == TokenType::Name && peek().type == TokenType::Operator && peek().op == Op::Dot) {
      t.symbol = symbol(advance().text);
      advance();
      t.attribute = expect_name();
      return t;
    }
    if (name_only) {
      t.symbol = symbol(expect_name());
      return t;
    }
    const int line = cur().line;
    ExprPtr e = with_tuple ? parse_tuple(true, true, extra_end, false) : parse_primary();
    return to_target(*e, line);
  }

  Target to_target(const Expr& e, int line) {
    Target t;
    if (e.kind == ExprKind::Name) {
      t.symbol = static_cast<const NameExpr&>(e).symbol;
      return t;
    }
    if (e.kind == ExprKind::Tuple) {
      t.is_tuple = true;
      for (const ExprPtr& item : static_cast<const ListExpr&>(e).items) t.items.push_back(to_target(*item, line));
      return t;
    }
    fail("can only assign to names and tuples of names", line);
  }

  // ---- expressions

  bool tuple_end(Words extra_end) const {
    const Token& t = cur();
    if (t.type == TokenType::VariableEnd || t.type == TokenType::BlockEnd || (t.type == TokenType::Operator && t.op == Op::RParen))
      return true;
    return t.type == TokenType::Name && in(t.text, extra_end);
  }

  // Comma-separated expressions: one is itself, several a tuple. `simplified`: primaries only (targets);
  // without `with_condexpr`, a trailing `if` is left to the caller (for x in xs if cond).
  ExprPtr parse_tuple(bool simplified, bool with_condexpr, Words extra_end, bool explicit_parentheses) {
    const int line = cur().line;
    std::vector<ExprPtr> items;
    bool is_tuple = false;
    while (true) {
      if (!items.empty()) expect_op(Op::Comma, ",");
      if (tuple_end(extra_end)) break;
      items.push_back(simplified ? parse_primary() : parse_expression(with_condexpr));
      if (is_op(Op::Comma)) is_tuple = true;
      else break;
    }
    if (!is_tuple) {
      if (!items.empty()) return std::move(items[0]);
      if (!explicit_parentheses) fail("expected an expression, got " + shown(cur()));
    }
    auto t = std::make_unique<ListExpr>(ExprKind::Tuple, line);
    t->items = std::move(items);
    return t;
  }

  ExprPtr parse_expression(bool with_condexpr) {
    Nest nest(*this);
    return with_condexpr ? parse_condexpr() : parse_or();
  }

  ExprPtr parse_condexpr() {
    int line = cur().line;
    ExprPtr expr = parse_or();
    while (skip_name("if")) {
      auto c = std::make_unique<CondExpr>(line);
      c->then = std::move(expr);
      c->test = parse_or();
      if (skip_name("else")) c->otherwise = parse_condexpr();
      expr = std::move(c);
      line = cur().line;
    }
    return expr;
  }

  ExprPtr parse_or() {
    ExprPtr left = parse_and();
    while (is_name("or")) {
      const int line = advance().line;
      left = std::make_unique<BinaryExpr>(ExprKind::Or, line, BinaryOp::Add, std::move(left), parse_and());
    }
    return left;
  }

  ExprPtr parse_and() {
    ExprPtr left = parse_not();
    while (is_name("and")) {
      const int line = advance().line;
      left = std::make_unique<BinaryExpr>(ExprKind::And, line, BinaryOp::Add, std::move(left), parse_not());
    }
    return left;
  }

  ExprPtr parse_not() {
    if (is_name("not")) {
      Nest nest(*this);
      const int line = advance().line;
      return std::make_unique<UnaryExpr>(ExprKind::Not, line, parse_not());
    }
    return parse_compare();
  }

  ExprPtr parse_compare() {
    const int line = cur().line;
    ExprPtr first = parse_math1();
    std::vector<std::pair<CompareOp, ExprPtr>> rest;
    while (true) {
      CompareOp op;
      if (cur().type == TokenType::Operator && (cur().op == Op::Eq || cur().op == Op::Ne || cur().op == Op::Lt ||
                                                cur().op == Op::Le || cur().op == Op::Gt || cur().op == Op::Ge)) {
        const Op o = advance().op;
        op = o == Op::Eq ? CompareOp::Eq : o == Op::Ne ? CompareOp::Ne : o == Op::Lt ? CompareOp::Lt
           : o == Op::Le ? CompareOp::Le : o == Op::Gt ? CompareOp::Gt : CompareOp::Ge;
      } else if (skip_name("in")) {
        op = CompareOp::In;
      } else if (is_name("not") && peek().type == TokenType::Name && peek().text == "in") {
        advance();
        advance();
        op = CompareOp::NotIn;
      } else {
        break;
      }
      rest.emplace_back(op, parse_math1());
    }
    if (rest.empty()) return first;
    auto c = std::make_unique<CompareExpr>(line, std::move(first));
    c->rest = std::move(rest);
    return c;
  }

  ExprPtr binary(BinaryOp op, int line, ExprPtr left, ExprPtr right) {
    return std::make_unique<BinaryExpr>(ExprKind::Binary, line, op, std::move(left), std::move(right));
  }

  ExprPtr parse_math1() {
    ExprPtr left = parse_concat();
    while (is_op(Op::Add) || is_op(Op::Sub)) {
      const Token& t = advance();
      left = binary(t.op == Op::Add ? BinaryOp::Add : BinaryOp::Sub, t.line, std::move(left), parse_concat());
    }
    return left;
  }

  ExprPtr parse_concat() {
    const int line = cur().line;
    ExprPtr first = parse_math2();
    if (!is_op(Op::Tilde)) return first;
    auto c = std::make_unique<ConcatExpr>(line);
    c->parts.push_back(std::move(first));
    while (skip_op(Op::Tilde)) c->parts.push_back(parse_math2());
    return c;
  }

  ExprPtr parse_math2() {
    ExprPtr left = parse_pow();
    while (is_op(Op::Mul) || is_op(Op::Div) || is_op(Op::FloorDiv) || is_op(Op::Mod)) {
      const Token& t = advance();
      const BinaryOp op = t.op == Op::Mul ? BinaryOp::Mul : t.op == Op::Div ? BinaryOp::Div
                        : t.op == Op::FloorDiv ? BinaryOp::FloorDiv : BinaryOp::Mod;
      left = binary(op, t.line, std::move(left), parse_pow());
    }
    return left;
  }

  ExprPtr parse_pow() {
    ExprPtr left = parse_unary(true);
    while (is_op(Op::Pow)) {
      const int line = advance().line;
      left = binary(BinaryOp::Pow, line, std::move(left), parse_unary(true));
    }
    return left;
  }

  ExprPtr parse_unary(bool with_filter) {
    Nest nest(*this);
    const int line = cur().line;
    ExprPtr node;
    if (skip_op(Op::Sub)) node = std::make_unique<UnaryExpr>(ExprKind::Neg, line, parse_unary(false));
    else if (skip_op(Op::Add)) node = std::make_unique<UnaryExpr>(ExprKind::Pos, line, parse_unary(false));
    else node = parse_primary();
    node = parse_postfix(std::move(node));
    if (with_filter) node = parse_filter_expr(std::move(node));
    return node;
  }

  ExprPtr parse_primary() {
    Nest nest(*this);
    const Token& t = cur();
    const int line = t.line;
    switch (t.type) {
      case TokenType::Name: {
        const std::string& n = advance().text;
        if (n == "true" || n == "True") return std::make_unique<ConstExpr>(line, Value::boolean(true));
        if (n == "false" || n == "False") return std::make_unique<ConstExpr>(line, Value::boolean(false));
        if (n == "none" || n == "None") return std::make_unique<ConstExpr>(line, Value::none());
        return name_expr(line, n);
      }
      case TokenType::String: {
        std::string s;
        while (cur().type == TokenType::String) s += advance().text;  // adjacent literals join, as in Python
        return std::make_unique<ConstExpr>(line, Value::string(std::move(s)));
      }
      case TokenType::Integer: return std::make_unique<ConstExpr>(line, Value::integer(advance().integer));
      case TokenType::Float: return std::make_unique<ConstExpr>(line, Value::floating(advance().number));
      case TokenType::Operator:
        if (skip_op(Op::LParen)) {
          ExprPtr e = parse_tuple(false, true, {}, true);
          expect_op(Op::RParen, ")");
          return e;
        }
        if (is_op(Op::LBracket)) return parse_list();
        if (is_op(Op::LBrace)) return parse_dict();
        break;
      default: break;
    }
    fail("unexpected " + shown(t));
  }

  ExprPtr name_expr(int line, const std::string& name) {
    const int s = symbol(name);
    for (MacroStmt* m : macros_) {
      m->uses_varargs |= s == program_->varargs_symbol;
      m->uses_kwargs |= s == program_->kwargs_symbol;
      m->uses_caller |= s == program_->caller_symbol;
    }
    return std::make_unique<NameExpr>(line, s);
  }

  ExprPtr parse_list() {
    auto list = std::make_unique<ListExpr>(ExprKind::List, advance().line);
    while (!is_op(Op::RBracket)) {
      if (!list->items.empty()) expect_op(Op::Comma, ",");
      if (is_op(Op::RBracket)) break;
      list->items.push_back(parse_expression(true));
    }
    advance();
    return list;
  }

  ExprPtr parse_dict() {
    auto dict = std::make_unique<DictExpr>(advance().line);
    while (!is_op(Op::RBrace)) {
      if (!dict->items.empty()) expect_op(Op::Comma, ",");
      if (is_op(Op::RBrace)) break;
      ExprPtr key = parse_expression(true);
      expect_op(Op::Colon, ":");
      dict->items.emplace_back(std::move(key), parse_expression(true));
    }
    advance();
    return dict;
  }

  ExprPtr parse_postfix(ExprPtr node) {
    while (true) {
      if (is_op(Op::Dot) || is_op(Op::LBracket)) node = parse_subscript(std::move(node));
      else if (is_op(Op::LParen)) node = parse_call(std::move(node));
      else return node;
    }
  }

  ExprPtr parse_filter_expr(ExprPtr node) {
    while (true) {
      if (is_op(Op::Pipe)) node = parse_filter(std::move(node), false);
      else if (is_name("is")) node = parse_test(std::move(node));
      else if (is_op(Op::LParen)) node = parse_call(std::move(node));
      else return node;
    }
  }

  ExprPtr parse_subscript(ExprPtr node) {
    Nest nest(*this);
    const Token& t = advance();
    const int line = t.line;
    if (t.op == Op::Dot) {
      const Token& attr = advance();
      if (attr.type == TokenType::Name) return std::make_unique<GetAttrExpr>(line, std::move(node), attr.text);
      if (attr.type != TokenType::Integer) fail("expected a name or a number after '.'", attr.line);
      return std::make_unique<GetItemExpr>(line, std::move(node), std::make_unique<ConstExpr>(line, Value::integer(attr.integer)));
    }
    std::vector<ExprPtr> args;
    while (!is_op(Op::RBracket)) {
      if (!args.empty()) expect_op(Op::Comma, ",");
      args.push_back(parse_subscribed());
    }
    advance();
    if (args.empty()) fail("expected an index in [ ]", line);
    ExprPtr index;
    if (args.size() == 1) {
      index = std::move(args[0]);
    } else {
      auto tuple = std::make_unique<ListExpr>(ExprKind::Tuple, line);
      tuple->items = std::move(args);
      index = std::move(tuple);
    }
    return std::make_unique<GetItemExpr>(line, std::move(node), std::move(index));
  }

  bool slice_part_ends() const { return is_op(Op::RBracket) || is_op(Op::Comma); }

  ExprPtr parse_subscribed() {
    const int line = cur().line;
    ExprPtr start;
    if (!is_op(Op::Colon)) {
      start = parse_expression(true);
      if (!is_op(Op::Colon)) return start;
    }
    advance();
    auto slice = std::make_unique<SliceExpr>(line);
    slice->start = std::move(start);
    if (!is_op(Op::Colon) && !slice_part_ends()) slice->stop = parse_expression(true);
    if (skip_op(Op::Colon) && !slice_part_ends()) slice->step = parse_expression(true);
    return slice;
  }

  void parse_call_args(CallArgs& args) {
    const int line = cur().line;
    expect_op(Op::LParen, "(");
    bool require_comma = false;
    const auto ensure = [&](bool ok) {
      if (!ok) fail("invalid syntax for function call expression", line);
    };
    while (!is_op(Op::RParen)) {
      if (require_comma) {
        expect_op(Op::Comma, ",");
        if (is_op(Op::RParen)) break;
      }
      if (skip_op(Op::Mul)) {
        ensure(!args.star && !args.star_star);
        args.star = parse_expression(true);
      } else if (skip_op(Op::Pow)) {
        ensure(!args.star_star);
        args.star_star = parse_expression(true);
      } else if (cur().type == TokenType::Name && peek().type == TokenType::Operator && peek().op == Op::Assign) {
        ensure(!args.star_star);
        std::string key = advance().text;
        advance();
        args.keywords.emplace_back(std::move(key), parse_expression(true));
      } else {
        ensure(!args.star && !args.star_star && args.keywords.empty());
        args.positional.push_back(parse_expression(true));
      }
      require_comma = true;
    }
    advance();
  }

  ExprPtr parse_call(ExprPtr node) {
    Nest nest(*this);
    auto call = std::make_unique<CallExpr>(cur().line, std::move(node));
    parse_call_args(call->args);
    return call;
  }

  std::string dotted_name() {
    std::string name = expect_name();
    while (skip_op(Op::Dot)) name += "." + expect_name();
    return name;
  }

  // `| name(args)`, repeated; `node` null starts a {% filter %} or {% set x | f %} chain.
  ExprPtr parse_filter(ExprPtr node, bool start_inline) {
    while (is_op(Op::Pipe) || start_inline) {
      Nest nest(*this);
      if (!start_inline) advance();
      start_inline = false;
      const int line = cur().line;
      const std::string name = dotted_name();
      const FilterInfo* info = find_filter(name);
      if (!info) fail("no filter named '" + name + "'", line);
      auto f = std::make_unique<FilterExpr>(line, std::move(node), name, info);
      if (is_op(Op::LParen)) parse_call_args(f->args);
      node = std::move(f);
    }
    return node;
  }

  ExprPtr parse_test(ExprPtr node) {
    Nest nest(*this);
    const int line = advance().line;
    const bool negated = skip_name("not");
    const std::string name = dotted_name();
    const TestFn* test = find_test(name);
    if (!test) fail("no test named '" + name + "'", line);
    auto t = std::make_unique<TestExpr>(line, std::move(node), name, test);
    const Token& c = cur();
    const bool argument_follows =
        c.type == TokenType::String || c.type == TokenType::Integer || c.type == TokenType::Float ||
        (c.type == TokenType::Operator && (c.op == Op::LBracket || c.op == Op::LBrace)) ||
        (c.type == TokenType::Name && c.text != "else" && c.text != "or" && c.text != "and");
    if (is_op(Op::LParen)) {
      parse_call_args(t->args);
    } else if (argument_follows) {
      if (c.type == TokenType::Name && c.text == "is") fail("tests cannot be chained with 'is'");
      t->args.positional.push_back(parse_postfix(parse_primary()));
    }
    if (!negated) return t;
    return std::make_unique<UnaryExpr>(ExprKind::Not, line, std::move(t));
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  std::unique_ptr<Program> program_;
  std::unordered_map<std::string, int> symbols_;
  int depth_ = 0;
  int loop_depth_ = 0;
  std::vector<MacroStmt*> macros_;  // the macros (and call blocks) being parsed, innermost last
};

}  // namespace

std::unique_ptr<Program> parse(std::string_view source, const std::string& name) {
  if (source.size() > limits::kTemplateBytes)
    throw Error(name, 1, "template larger than " + std::to_string(limits::kTemplateBytes >> 20) + " MiB");
  auto program = std::make_unique<Program>();
  program->name = name;
  std::vector<Token> tokens = tokenize(source, name);
  try {
    return Parser(std::move(tokens), std::move(program)).run();
  } catch (const Failure& f) {  // a literal no value can hold, such as a string over the size limit
    throw Error(name, 1, f.what());
  }
}

}  // namespace glassbox::jinja
