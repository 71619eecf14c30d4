#pragma once
// Template text to tokens, as jinja2's lexer makes them under transformers' settings: newlines made "\n"
// and one trailing newline dropped, whitespace control applied ({%- -%}, trim_blocks, lstrip_blocks),
// comments dropped and {% raw %} blocks turned into text.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace glassbox::jinja {

enum class TokenType : uint8_t { Data, VariableBegin, VariableEnd, BlockBegin, BlockEnd, Name, String, Integer, Float, Operator, End };

enum class Op : uint8_t {
  None, Add, Sub, Mul, Div, FloorDiv, Mod, Pow, Tilde, LBracket, RBracket, LParen, RParen, LBrace, RBrace,
  Eq, Ne, Gt, Ge, Lt, Le, Assign, Dot, Colon, Pipe, Comma, Semicolon
};

struct Token {
  TokenType type;
  Op op = Op::None;
  int line = 1;
  std::string text;  // Data: the text; Name: the name; String: the value, escapes resolved; Operator: as written
  int64_t integer = 0;
  double number = 0;
};

// Throws jinja::Error naming `name` and the line.
std::vector<Token> tokenize(std::string_view source, const std::string& name);

const char* describe(const Token& t);  // for messages: "end of print statement", "name", ...

}  // namespace glassbox::jinja
