#include "tokenizer/jinja/lexer.h"

#include <charconv>
#include <cstring>

#include "base/utf8.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/python_str.h"

namespace glassbox::jinja {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

// "\r\n" and "\r" become "\n"; one trailing newline goes (jinja2's keep_trailing_newline=False).
std::string normalize_newlines(std::string_view source) {
  std::string s;
  s.reserve(source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\r') {
      s += '\n';
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      s += source[i];
    }
  }
  if (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

struct OpText {
  const char* text;
  Op op;
};
// Longest first, as jinja2 tries them.
constexpr OpText kOperators[] = {
    {"//", Op::FloorDiv}, {"**", Op::Pow}, {"==", Op::Eq}, {"!=", Op::Ne}, {">=", Op::Ge}, {"<=", Op::Le},
    {"+", Op::Add}, {"-", Op::Sub}, {"/", Op::Div}, {"*", Op::Mul}, {"%", Op::Mod}, {"~", Op::Tilde},
    {"[", Op::LBracket}, {"]", Op::RBracket}, {"(", Op::LParen}, {")", Op::RParen}, {"{", Op::LBrace},
    {"}", Op::RBrace}, {">", Op::Gt}, {"<", Op::Lt}, {"=", Op::Assign}, {".", Op::Dot}, {":", Op::Colon},
    {"|", Op::Pipe}, {",", Op::Comma}, {";", Op::Semicolon},
};

class Lexer {
 public:
  Lexer(std::string_view source, const std::string& name) : s_(normalize_newlines(source)), name_(name) {}

  std::vector<Token> run() {
    check_utf8();
    while (pos_ < s_.size()) {
      const size_t tag = find_tag(pos_);
      if (tag == std::string::npos) {
        emit_data(s_.substr(pos_), line_);
        advance_to(s_.size());
        break;
      }
      const char kind = s_[tag + 1];
      const char mod = tag + 2 < s_.size() && (s_[tag + 2] == '-' || s_[tag + 2] == '+') ? s_[tag + 2] : 0;
      emit_data(control_whitespace(s_.substr(pos_, tag - pos_), mod, kind != '{'), line_);
      advance_to(tag);
      size_t raw_body = 0;
      if (kind == '%' && raw_begin(tag, raw_body)) lex_raw(raw_body);
      else if (kind == '#') lex_comment(tag + 2 + (mod ? 1 : 0));
      else lex_tag(kind, tag + 2 + (mod ? 1 : 0));
    }
    out_.push_back({TokenType::End, Op::None, line_, {}, 0, 0});
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const std::string& message, int line) const { throw Error(name_, line, message); }

  void check_utf8() const {
    int line = 1;
    for (size_t i = 0; i < s_.size();) {
      const utf8::Prefix p = utf8::valid_prefix(s_, i);
      if (!p.complete) fail("not valid UTF-8 (byte " + std::to_string(i) + ")", line);
      line += s_[i] == '\n';
      i += p.length;
    }
  }

  void advance_to(size_t p) {
    for (size_t i = pos_; i < p; ++i) line_ += s_[i] == '\n';
    pos_ = p;
  }

  size_t find_tag(size_t from) const {
    for (size_t p = s_.find('{', from); p != std::string::npos; p = s_.find('{', p + 1))
      if (p + 1 < s_.size() && (s_[p + 1] == '{' || s_[p + 1] == '%' || s_[p + 1] == '#')) return p;
    return std::string::npos;
  }

  // Python's \s at s_[i]: the length of the whitespace character there, or 0.
  size_t space_at(size_t i) const {
    if (i >= s_.size()) return 0;
    size_t j = i;
    return py::is_space(utf8::next(s_, j)) ? j - i : 0;
  }
  size_t skip_spaces(size_t i) const {
    for (size_t n; (n = space_at(i)) > 0;) i += n;
    return i;
  }
  bool at(size_t i, const char* text) const { return s_.compare(i, std::strlen(text), text) == 0; }

  // The text before a tag: "-" strips all whitespace before it; otherwise a block or comment tag alone on
  // its line takes the indentation before it away (lstrip_blocks), unless "+" says not to.
  std::string control_whitespace(std::string text, char mod, bool lstrips) const {
    if (mod == '-') return py::strip(text, nullptr, false, true);
    if (mod == '+' || !lstrips) return text;
    const size_t line_begin = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
    if (line_begin == 0 && !line_starting_) return text;
    for (size_t i = line_begin; i < text.size();) {
      size_t j = i;
      if (!py::is_space(utf8::next(text, j))) return text;
      i = j;
    }
    return text.substr(0, line_begin);
  }

  void emit_data(std::string text, int line) {
    if (!text.empty()) out_.push_back({TokenType::Data, Op::None, line, std::move(text), 0, 0});
  }

  // After a tag's end: "-" takes all following whitespace, a plain block end one newline (trim_blocks).
  size_t end_of_tag(size_t after_marker, char mod, bool trims) {
    size_t end = after_marker;
    if (mod == '-') end = skip_spaces(end);
    else if (mod != '+' && trims && end < s_.size() && s_[end] == '\n') ++end;
    line_starting_ = end > 0 && s_[end - 1] == '\n';
    return end;
  }

  // {% raw %} at `tag`: sets `body` to where the raw text starts.
  bool raw_begin(size_t tag, size_t& body) {
    size_t i = skip_spaces(tag + 2 + ((s_[tag + 2] == '-' || s_[tag + 2] == '+') ? 1 : 0));
    if (!at(i, "raw")) return false;
    i = skip_spaces(i + 3);
    if (at(i, "-%}")) body = skip_spaces(i + 3);
    else if (at(i, "%}")) body = i + 2;
    else return false;
    return true;
  }

  void lex_raw(size_t body) {
    const int line = line_;
    line_starting_ = s_[body - 1] == '\n';
    for (size_t p = s_.find("{%", body); p != std::string::npos; p = s_.find("{%", p + 1)) {
      const char mod = p + 2 < s_.size() && (s_[p + 2] == '-' || s_[p + 2] == '+') ? s_[p + 2] : 0;
      size_t i = skip_spaces(p + 2 + (mod ? 1 : 0));
      if (!at(i, "endraw")) continue;
      i = skip_spaces(i + 6);
      char end_mod = 0;
      if (at(i, "-%}") || at(i, "+%}")) end_mod = s_[i++];
      if (!at(i, "%}")) continue;
      advance_to(body);
      emit_data(control_whitespace(s_.substr(body, p - body), mod, true), line_);
      advance_to(end_of_tag(i + 2, end_mod, true));
      return;
    }
    fail("missing {% endraw %} for this {% raw %}", line);
  }

  void lex_comment(size_t body) {
    for (size_t p = s_.find("#}", body); p != std::string::npos; p = s_.find("#}", p + 1)) {
      const char mod = p > body && (s_[p - 1] == '-' || s_[p - 1] == '+') ? s_[p - 1] : 0;
      advance_to(end_of_tag(p + 2, mod, true));
      return;
    }
    fail("missing #} for this comment", line_);
  }

  void lex_tag(char kind, size_t body) {
    const int begin_line = line_;
    out_.push_back({kind == '%' ? TokenType::BlockBegin : TokenType::VariableBegin, Op::None, line_, {}, 0, 0});
    advance_to(body);
    std::vector<char> closers;  // brackets opened inside the tag: its end only counts outside them
    while (true) {
      advance_to(skip_spaces(pos_));
      if (pos_ >= s_.size()) fail(std::string("missing ") + (kind == '%' ? "%}" : "}}") + " for the tag opened here", begin_line);
      if (closers.empty() && end_tag(kind)) return;
      lex_token(closers);
    }
  }

  bool end_tag(char kind) {
    const char* close = kind == '%' ? "%}" : "}}";
    char mod = 0;
    size_t i = pos_;
    if ((s_[i] == '-' || (kind == '%' && s_[i] == '+')) && at(i + 1, close)) mod = s_[i++];
    if (!at(i, close)) return false;
    out_.push_back({kind == '%' ? TokenType::BlockEnd : TokenType::VariableEnd, Op::None, line_, {}, 0, 0});
    advance_to(end_of_tag(i + 2, mod, kind == '%'));
    return true;
  }

  void lex_token(std::vector<char>& closers) {
    const char c = s_[pos_];
    if (is_digit(c) && lex_number()) return;
    if (is_name_start(c)) {
      size_t e = pos_;
      while (e < s_.size() && is_name_char(s_[e])) ++e;
      out_.push_back({TokenType::Name, Op::None, line_, s_.substr(pos_, e - pos_), 0, 0});
      advance_to(e);
      return;
    }
    if (c == '\'' || c == '"') return lex_string(c);
    for (const OpText& o : kOperators) {
      if (!at(pos_, o.text)) continue;
      track_brackets(o.op, closers);
      out_.push_back({TokenType::Operator, o.op, line_, o.text, 0, 0});
      advance_to(pos_ + std::strlen(o.text));
      return;
    }
    size_t n = 1;
    if (static_cast<unsigned char>(c) >= 0x80) n = utf8::char_length(static_cast<unsigned char>(c));
    fail("unexpected character '" + s_.substr(pos_, n) + "'", line_);
  }

  void track_brackets(Op op, std::vector<char>& closers) {
    if (op == Op::LParen) closers.push_back(')');
    else if (op == Op::LBracket) closers.push_back(']');
    else if (op == Op::LBrace) closers.push_back('}');
    else if (op == Op::RParen || op == Op::RBracket || op == Op::RBrace) {
      const char c = s_[pos_];
      if (closers.empty()) fail(std::string("unexpected '") + c + "'", line_);
      if (closers.back() != c) fail(std::string("unexpected '") + c + "', expected '" + closers.back() + "'", line_);
      closers.pop_back();
    }
  }

  // Digits with optional "_" between them, from i; returns the end (i when there are none).
  size_t digits(size_t i, bool (*ok)(char)) const {
    size_t e = i;
    while (e < s_.size() && ok(s_[e])) {
      ++e;
      if (e + 1 < s_.size() && s_[e] == '_' && ok(s_[e + 1])) ++e;
    }
    return e;
  }

  bool lex_number() {
    const size_t b = pos_;
    const auto dec = [](char c) { return is_digit(c); };
    size_t e = digits(b, dec);
    bool is_float = false;
    if (b == 0 || s_[b - 1] != '.') {  // jinja2: a float never starts right after a dot (x.0.1)
      size_t f = e;
      if (f + 1 < s_.size() && s_[f] == '.' && is_digit(s_[f + 1])) {
        f = digits(f + 1, dec);
        is_float = true;
      }
      if (f < s_.size() && (s_[f] == 'e' || s_[f] == 'E')) {
        size_t x = f + 1;
        if (x < s_.size() && (s_[x] == '+' || s_[x] == '-')) ++x;
        if (x < s_.size() && is_digit(s_[x])) {
          f = digits(x, dec);
          is_float = true;
        }
      }
      if (is_float) e = f;
    }
    std::string text;
    for (size_t i = b; i < e; ++i)
      if (s_[i] != '_') text += s_[i];
    if (is_float) {
      Token t{TokenType::Float, Op::None, line_, s_.substr(b, e - b), 0, 0};
      t.number = std::strtod(text.c_str(), nullptr);
      out_.push_back(std::move(t));
      advance_to(e);
      return true;
    }
    int base = 10;
    if (s_[b] == '0' && b + 1 < s_.size()) {
      const char p = char(s_[b + 1] | 0x20);
      base = p == 'b' ? 2 : p == 'o' ? 8 : p == 'x' ? 16 : 10;
    }
    if (base != 10) {
      static bool (*const kinds[])(char) = {
          [](char c) { return c == '0' || c == '1'; }, [](char c) { return c >= '0' && c <= '7'; },
          [](char c) { return is_digit(c) || (char(c | 0x20) >= 'a' && char(c | 0x20) <= 'f'); }};
      const auto ok = kinds[base == 2 ? 0 : base == 8 ? 1 : 2];
      size_t s = b + 2;
      if (s < s_.size() && s_[s] == '_') ++s;
      e = digits(s, ok);
      if (e == s) fail("invalid integer literal '" + s_.substr(b, 2) + "'", line_);
      text.clear();
      for (size_t i = b + 2; i < e; ++i)
        if (s_[i] != '_') text += s_[i];
    } else if (s_[b] == '0') {  // "0", "0_0": zero; "012" lexes as 0 then 12, as in jinja2
      e = b + 1;
      while (e + 1 < s_.size() && (s_[e] == '0' || (s_[e] == '_' && s_[e + 1] == '0'))) ++e;
      text = "0";
    }
    Token t{TokenType::Integer, Op::None, line_, s_.substr(b, e - b), 0, 0};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), t.integer, base);
    if (ec != std::errc() || end != text.data() + text.size())
      fail("integer literal " + t.text + " does not fit in 64 bits", line_);
    out_.push_back(std::move(t));
    advance_to(e);
    return true;
  }

  static int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    c = char(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  // A quoted string with Python's escapes (jinja2 decodes with "unicode-escape").
  void lex_string(char quote) {
    const int line = line_;
    std::string value;
    size_t i = pos_ + 1;
    while (true) {
      if (i >= s_.size()) fail("unterminated string", line);
      const char c = s_[i];
      if (c == quote) break;
      if (c != '\\') {
        value += c;
        ++i;
        continue;
      }
      if (i + 1 >= s_.size()) fail("unterminated string", line);
      const char e = s_[i + 1];
      i += 2;
      switch (e) {
        case '\n': break;
        case '\\': value += '\\'; break;
        case '\'': value += '\''; break;
        case '"': value += '"'; break;
        case 'a': value += '\a'; break;
        case 'b': value += '\b'; break;
        case 'f': value += '\f'; break;
        case 'n': value += '\n'; break;
        case 'r': value += '\r'; break;
        case 't': value += '\t'; break;
        case 'v': value += '\v'; break;
        case 'x':
        case 'u':
        case 'U': {
          const int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          for (int k = 0; k < n; ++k, ++i) {
            const int h = i < s_.size() ? hex_value(s_[i]) : -1;
            if (h < 0) fail(std::string("truncated \\") + e + " escape in a string", line);
            cp = cp * 16 + uint32_t(h);
          }
          if (cp > 0x10FFFF) fail("\\U escape beyond U+10FFFF in a string", line);
          if (cp >= 0xD800 && cp <= 0xDFFF) fail("surrogate escape in a string (not valid text)", line);
          utf8::append(value, cp);
          break;
        }
        case 'N': fail("\\N{...} escapes are not supported", line);
        default:
          if (e >= '0' && e <= '7') {
            uint32_t cp = uint32_t(e - '0');
            for (int k = 0; k < 2 && i < s_.size() && s_[i] >= '0' && s_[i] <= '7'; ++k, ++i) cp = cp * 8 + uint32_t(s_[i] - '0');
            utf8::append(value, cp);
          } else {
            value += '\\';
            i -= 1;  // the character after the backslash is kept as it is
          }
      }
    }
    out_.push_back({TokenType::String, Op::None, line, std::move(value), 0, 0});
    advance_to(i + 1);
  }

  std::string s_;
  const std::string& name_;
  size_t pos_ = 0;
  int line_ = 1;
  bool line_starting_ = true;  // the last tag's end took a newline (or this is the template's start)
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> tokenize(std::string_view source, const std::string& name) { return Lexer(source, name).run(); }

const char* describe(const Token& t) {
  switch (t.type) {
    case TokenType::Data: return "template data";
    case TokenType::VariableBegin: return "begin of print statement";
    case TokenType::VariableEnd: return "end of print statement";
    case TokenType::BlockBegin: return "begin of statement block";
    case TokenType::BlockEnd: return "end of statement block";
    case TokenType::Name: return "name";
    case TokenType::String: return "string";
    case TokenType::Integer: return "integer";
    case TokenType::Float: return "float";
    case TokenType::Operator: return "operator";
    case TokenType::End: return "end of template";
  }
  return "token";
}

}  // namespace glassbox::jinja
