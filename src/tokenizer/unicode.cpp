#include "tokenizer/unicode.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "base/error.h"
#include "base/utf8.h"

namespace glassbox::unicode {
namespace {

constexpr char32_t kMaxCodepoint = 0x10FFFF;

utf8proc_option_t options(Form f) {
  switch (f) {
    case Form::NFC: return static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    case Form::NFKC: return static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    case Form::NFD: return static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
    case Form::NFKD: return static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT);
  }
  return UTF8PROC_STABLE;
}

bool is_compat(Form f) { return f == Form::NFKC || f == Form::NFKD; }
bool composes(Form f) { return f == Form::NFC || f == Form::NFKC; }

// Normalizing character by character is only correct between "stable" boundaries: a character starts a new
// chunk when it (its decomposition's first character) is a starter that no composition ever joins to the
// character before it. Anything else goes into the current chunk, and a chunk is normalized as a whole.
// Per code point, for one form: `starts_chunk` and `unchanged` (normalizes to itself alone, the fast path).
struct FormTable {
  std::vector<bool> starts_chunk, unchanged;
  explicit FormTable(Form form) : starts_chunk(kMaxCodepoint + 1, true), unchanged(kMaxCodepoint + 1, true) {
    std::vector<bool> second_of_composition(kMaxCodepoint + 1, false);
    utf8proc_int32_t buf[32];
    const auto decompose = [&](char32_t c, bool compat) {
      int last = 0;
      const utf8proc_ssize_t n = utf8proc_decompose_char(
          static_cast<utf8proc_int32_t>(c), buf, 32,
          static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | (compat ? UTF8PROC_COMPAT : 0)), &last);
      return n < 0 ? utf8proc_ssize_t{1} : n;
    };
    for (char32_t c = 0; c <= kMaxCodepoint; ++c) {
      const utf8proc_ssize_t n = decompose(c, false);
      for (utf8proc_ssize_t k = 1; k < n; ++k) second_of_composition[buf[k]] = true;
    }
    // Hangul syllables compose algorithmically from jamo (V and T join the syllable before them).
    for (char32_t c = 0x1161; c <= 0x1175; ++c) second_of_composition[c] = true;
    for (char32_t c = 0x11A8; c <= 0x11C2; ++c) second_of_composition[c] = true;
    for (char32_t c = 0; c <= kMaxCodepoint; ++c) {
      const utf8proc_ssize_t n = decompose(c, is_compat(form));
      unchanged[c] = n == 1 && static_cast<char32_t>(buf[0]) == c;
      const char32_t first = static_cast<char32_t>(buf[0]);
      starts_chunk[c] = utf8proc_get_property(static_cast<utf8proc_int32_t>(first))->combining_class == 0 &&
                        !(composes(form) && second_of_composition[first]);
    }
  }
};

const FormTable& table(Form form) {
  // Built on first use only: each takes a pass over all code points.
  switch (form) {
    case Form::NFC: { static const FormTable t(Form::NFC); return t; }
    case Form::NFKC: { static const FormTable t(Form::NFKC); return t; }
    case Form::NFD: { static const FormTable t(Form::NFD); return t; }
    case Form::NFKD: { static const FormTable t(Form::NFKD); return t; }
  }
  fail("unknown normalization form");
}

// Normalizes one chunk of whole characters and appends it: output character k keeps the span of input
// character k, except that when composition shortened the chunk the first output character absorbs the
// extra input characters, and when it lengthened it the extra characters share the last input's span.
void normalize_chunk(const AlignedString& s, size_t begin, size_t end, Form form, AlignedString& out) {
  std::vector<Span> input_spans;
  for (size_t i = begin; i < end; i += utf8::char_length(static_cast<unsigned char>(s.text[i])))
    input_spans.push_back(s.spans[i]);
  utf8proc_uint8_t* result = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.text.data() + begin),
                                          static_cast<utf8proc_ssize_t>(end - begin), &result, options(form));
  if (n < 0) fail(std::string("normalizer ") + form_name(form) + ": " + utf8proc_errmsg(n));
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(result, &std::free);
  const std::string_view normalized(reinterpret_cast<const char*>(result), static_cast<size_t>(n));
  size_t out_chars = 0;
  for (size_t i = 0; i < normalized.size(); i += utf8::char_length(static_cast<unsigned char>(normalized[i])))
    ++out_chars;
  const size_t absorbed = out_chars < input_spans.size() ? input_spans.size() - out_chars : 0;
  size_t k = 0;
  for (size_t i = 0; i < normalized.size(); ++k) {
    const size_t len = utf8::char_length(static_cast<unsigned char>(normalized[i]));
    const size_t source = k == 0 ? 0 : std::min(k + absorbed, input_spans.size() - 1);
    out.push(normalized.substr(i, len), input_spans[source]);
    i += len;
  }
}

}  // namespace

bool is_whitespace(char32_t c) {
  if ((c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680) return true;
  if (c >= 0x2000 && c <= 0x200A) return true;
  return c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_numeric(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
}

bool is_alphanumeric(char32_t c) {
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return is_numeric(c) || (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO);
}

const char* form_name(Form f) {
  switch (f) {
    case Form::NFC: return "NFC";
    case Form::NFKC: return "NFKC";
    case Form::NFD: return "NFD";
    case Form::NFKD: return "NFKD";
  }
  return "?";
}

void normalize(AlignedString& s, Form form) {
  const FormTable& t = table(form);
  AlignedString out;
  out.text.reserve(s.text.size());
  out.spans.reserve(s.spans.size());
  size_t chunk = 0;
  bool chunk_unchanged = true;
  const auto flush = [&](size_t end) {
    if (end == chunk) return;
    if (chunk_unchanged) {
      out.text.append(s.text, chunk, end - chunk);
      out.spans.insert(out.spans.end(), s.spans.begin() + chunk, s.spans.begin() + end);
    } else {
      normalize_chunk(s, chunk, end, form, out);
    }
  };
  for (size_t i = 0; i < s.text.size();) {
    const size_t at = i;
    const char32_t c = utf8::next(s.text, i);
    if (t.starts_chunk[c]) {
      flush(at);
      chunk = at;
      chunk_unchanged = true;
    }
    chunk_unchanged = chunk_unchanged && t.unchanged[c] && t.starts_chunk[c];
  }
  flush(s.text.size());
  s = std::move(out);
}

void lowercase(AlignedString& s) {
  AlignedString out;
  out.text.reserve(s.text.size());
  out.spans.reserve(s.spans.size());
  for (size_t i = 0; i < s.text.size();) {
    const size_t at = i;
    const char32_t c = utf8::next(s.text, i);
    std::string lower;
    utf8::append(lower, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
    out.push(lower, s.spans[at]);
  }
  s = std::move(out);
}

}  // namespace glassbox::unicode
