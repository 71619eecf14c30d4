#include "tokenizer/added_tokens.h"

#include <algorithm>

#include "base/error.h"
#include "tokenizer/json_fields.h"
#include "tokenizer/unicode.h"
#include "base/utf8.h"

namespace glassbox {
namespace {

char32_t char_before(std::string_view s, size_t at) {
  size_t b = at;
  do --b;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80);
  return utf8::next(s, b);
}

bool is_word_char(char32_t c) { return c == '_' || unicode::is_alphanumeric(c); }

}  // namespace

AddedTokens::AddedTokens(const nlohmann::json& list, const Normalizer& normalizer, const std::string& where) {
  using namespace json_fields;
  if (list.is_null()) return;
  if (!list.is_array()) fail(where + ": expected a list");
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& t = list[i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    AddedToken a;
    a.content = string_at(t, "content", at);
    a.id = token_id(require(t, "id", at), at + ".id");
    a.special = bool_or(t, "special", false, at);
    a.lstrip = bool_or(t, "lstrip", false, at);
    a.rstrip = bool_or(t, "rstrip", false, at);
    a.single_word = bool_or(t, "single_word", false, at);
    a.normalized = bool_or(t, "normalized", !a.special, at);
    if (a.content.empty() || !utf8::is_valid(a.content)) fail(at + ".content: empty or not UTF-8");
    tokens_.push_back(std::move(a));
  }
  for (size_t k = 0; k < tokens_.size(); ++k) {
    const AddedToken& a = tokens_[k];
    Matcher& m = a.normalized ? normalized_ : raw_;
    std::string pattern = a.content;
    if (a.normalized && normalizer) {
      AlignedString s;
      s.push(a.content, {});
      normalizer(s);
      pattern = s.text;
    }
    if (pattern.empty()) continue;
    m.patterns.resize(tokens_.size());
    m.patterns[k] = pattern;
    m.by_first_byte[static_cast<unsigned char>(pattern[0])].push_back(k);
  }
  for (Matcher* m : {&raw_, &normalized_})
    for (auto& bucket : m->by_first_byte)
      std::stable_sort(bucket.begin(), bucket.end(),
                       [&](size_t a, size_t b) { return m->patterns[a].size() > m->patterns[b].size(); });
}

const AddedToken* AddedTokens::find(int32_t id) const {
  for (const AddedToken& a : tokens_)
    if (a.id == id) return &a;
  return nullptr;
}

std::optional<size_t> AddedTokens::longest_at(const Matcher& m, std::string_view text, size_t at) const {
  for (size_t k : m.by_first_byte[static_cast<unsigned char>(text[at])])
    if (text.compare(at, m.patterns[k].size(), m.patterns[k]) == 0) return k;
  return std::nullopt;
}

void AddedTokens::split(AlignedString s, bool normalized, std::vector<Segment>& out) const {
  const Matcher& m = normalized ? normalized_ : raw_;
  const std::string_view text = s.text;
  size_t emitted = 0;  // end of the last token cut out
  for (size_t at = 0; at < text.size();) {
    const auto k = longest_at(m, text, at);
    if (!k) {
      ++at;
      continue;
    }
    const AddedToken& a = tokens_[*k];
    size_t begin = at, end = at + m.patterns[*k].size();
    at = end;
    if (a.single_word) {
      size_t after = end;
      const bool word_before = begin > 0 && is_word_char(char_before(text, begin));
      const bool word_after = end < text.size() && is_word_char(utf8::next(text, after));
      if (word_before || word_after) continue;
    }
    if (a.lstrip)
      while (begin > emitted) {
        const char32_t c = char_before(text, begin);
        if (!unicode::is_whitespace(c)) break;
        begin -= c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      }
    if (a.rstrip)
      while (end < text.size()) {
        size_t i = end;
        if (!unicode::is_whitespace(utf8::next(text, i))) break;
        end = i;
      }
    if (begin > emitted) out.push_back({s.slice(emitted, begin), std::nullopt});
    out.push_back({s.slice(begin, end), a.id});
    emitted = end;
    at = end;
  }
  if (emitted == 0) {
    out.push_back({std::move(s), std::nullopt});
  } else if (emitted < text.size()) {
    out.push_back({s.slice(emitted, text.size()), std::nullopt});
  }
}

}  // namespace glassbox
