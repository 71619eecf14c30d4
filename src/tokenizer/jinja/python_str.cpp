#include "tokenizer/jinja/python_str.h"

#include <utf8proc.h>

#include <algorithm>

#include "base/utf8.h"
#include "tokenizer/jinja/error.h"

namespace glassbox::jinja::py {
namespace {

// Unicode's SpecialCasing.txt: the unconditional mappings where one character becomes several.
struct SpecialCase {
  char32_t c;
  const char* upper;
  const char* title;
};
constexpr SpecialCase kSpecialCases[] = {
    {0x00DF, "SS", "Ss"},           {0x0149, "\u02BCN", "\u02BCN"}, {0x01F0, "J\u030C", "J\u030C"},
    {0x0390, "\u0399\u0308\u0301", "\u0399\u0308\u0301"},            {0x03B0, "\u03A5\u0308\u0301", "\u03A5\u0308\u0301"},
    {0x0587, "\u0535\u0552", "\u0535\u0582"},                        {0x1E96, "H\u0331", "H\u0331"},
    {0x1E97, "T\u0308", "T\u0308"}, {0x1E98, "W\u030A", "W\u030A"}, {0x1E99, "Y\u030A", "Y\u030A"},
    {0x1E9A, "A\u02BE", "A\u02BE"}, {0xFB00, "FF", "Ff"},           {0xFB01, "FI", "Fi"},
    {0xFB02, "FL", "Fl"},           {0xFB03, "FFI", "Ffi"},         {0xFB04, "FFL", "Ffl"},
    {0xFB05, "ST", "St"},           {0xFB06, "ST", "St"},           {0xFB13, "\u0544\u0546", "\u0544\u0576"},
    {0xFB14, "\u0544\u0535", "\u0544\u0565"},                        {0xFB15, "\u0544\u053B", "\u0544\u056B"},
    {0xFB16, "\u054E\u0546", "\u054E\u0576"},                        {0xFB17, "\u0544\u053D", "\u0544\u056D"},
};

const SpecialCase* special_case(char32_t c) {
  if (c < 0xDF) return nullptr;
  for (const SpecialCase& s : kSpecialCases)
    if (s.c == c) return &s;
  return nullptr;
}

utf8proc_category_t category(char32_t c) { return utf8proc_category(utf8proc_int32_t(c)); }

bool is_cased(char32_t c) {
  const auto k = category(c);
  return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL || k == UTF8PROC_CATEGORY_LT;
}

void append_upper(std::string& out, char32_t c) {
  if (const SpecialCase* s = special_case(c)) out += s->upper;
  else utf8::append(out, char32_t(utf8proc_toupper(utf8proc_int32_t(c))));
}

void append_title(std::string& out, char32_t c) {
  if (const SpecialCase* s = special_case(c)) out += s->title;
  else utf8::append(out, char32_t(utf8proc_totitle(utf8proc_int32_t(c))));
}

// Python lowercases İ to i + combining dot, and a capital sigma that ends a word to ς.
void append_lower(std::string& out, const std::vector<char32_t>& cps, size_t i) {
  const char32_t c = cps[i];
  if (c == 0x0130) {
    out += "i\u0307";
  } else if (c == 0x03A3) {
    const bool after_letter = i > 0 && is_cased(cps[i - 1]);
    const bool before_letter = i + 1 < cps.size() && is_cased(cps[i + 1]);
    out += after_letter && !before_letter ? "\u03C2" : "\u03C3";
  } else {
    utf8::append(out, char32_t(utf8proc_tolower(utf8proc_int32_t(c))));
  }
}

template <typename Pred>
bool all_of_nonempty(std::string_view s, Pred pred) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size();)
    if (!pred(utf8::next(s, i))) return false;
  return true;
}

bool is_decimal_char(char32_t c) { return category(c) == UTF8PROC_CATEGORY_ND; }
bool is_numeric_char(char32_t c) {
  const auto k = category(c);
  return k == UTF8PROC_CATEGORY_ND || k == UTF8PROC_CATEGORY_NL || k == UTF8PROC_CATEGORY_NO;
}
bool is_alpha_char(char32_t c) {
  const auto k = category(c);
  return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

// Python's str.isprintable() of one character: repr() escapes the others.
bool is_printable(char32_t c) {
  if (c == ' ') return true;
  switch (category(c)) {
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_ZS: return false;
    default: return true;
  }
}

bool is_line_break(char32_t c) {
  return (c >= 0x0A && c <= 0x0D) || (c >= 0x1C && c <= 0x1E) || c == 0x85 || c == 0x2028 || c == 0x2029;
}

std::vector<size_t> char_starts(std::string_view s) {  // byte offset of every code point, then s.size()
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); i += utf8::char_length(static_cast<unsigned char>(s[i]))) starts.push_back(i);
  starts.push_back(s.size());
  return starts;
}

// Python clamps find()/count() bounds like a slice with step 1.
void clamp_range(int64_t n, std::optional<int64_t>& start, std::optional<int64_t>& end) {
  int64_t b = start.value_or(0), e = end.value_or(n);
  if (b < 0) b = std::max<int64_t>(0, b + n);
  if (e < 0) e = std::max<int64_t>(0, e + n);
  start = std::min(b, n);
  end = std::min(e, n);
}

std::vector<std::string> split_whitespace(std::string_view s, int64_t maxsplit, bool from_right) {
  std::vector<std::pair<size_t, size_t>> words;  // byte ranges
  const std::vector<char32_t> cps = code_points(s);
  std::vector<size_t> starts = char_starts(s);
  const size_t n = cps.size();
  if (!from_right) {
    size_t i = 0;
    while (true) {
      while (i < n && is_space(cps[i])) ++i;
      if (i == n) break;
      if (maxsplit >= 0 && int64_t(words.size()) == maxsplit) {
        size_t e = n;
        while (e > i && is_space(cps[e - 1])) --e;
        words.push_back({starts[i], starts[e]});
        break;
      }
      size_t j = i;
      while (j < n && !is_space(cps[j])) ++j;
      words.push_back({starts[i], starts[j]});
      i = j;
    }
  } else {
    size_t i = n;
    while (true) {
      while (i > 0 && is_space(cps[i - 1])) --i;
      if (i == 0) break;
      if (maxsplit >= 0 && int64_t(words.size()) == maxsplit) {
        size_t b = 0;
        while (b < i && is_space(cps[b])) ++b;
        words.push_back({starts[b], starts[i]});
        break;
      }
      size_t j = i;
      while (j > 0 && !is_space(cps[j - 1])) --j;
      words.push_back({starts[j], starts[i]});
      i = j;
    }
    std::reverse(words.begin(), words.end());
  }
  std::vector<std::string> out;
  for (const auto& [b, e] : words) out.emplace_back(s.substr(b, e - b));
  return out;
}

}  // namespace

bool is_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

size_t length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out.push_back(utf8::next(s, i));
  return out;
}

std::string encode(const char32_t* begin, const char32_t* end) {
  std::string out;
  for (const char32_t* p = begin; p != end; ++p) utf8::append(out, *p);
  return out;
}

std::vector<size_t> slice_indices(int64_t n, std::optional<int64_t> start, std::optional<int64_t> stop,
                                  std::optional<int64_t> step) {
  const int64_t st = step.value_or(1);
  if (st == 0) failure("slice step cannot be zero");
  int64_t b, e;
  if (st > 0) {
    b = start.value_or(0);
    e = stop.value_or(n);
    b = b < 0 ? std::max<int64_t>(0, b + n) : std::min(b, n);
    e = e < 0 ? std::max<int64_t>(0, e + n) : std::min(e, n);
  } else {
    b = start.value_or(n - 1);
    e = stop.has_value() ? *stop : -1;
    if (stop.has_value()) e = e < 0 ? std::max<int64_t>(-1, e + n) : std::min(e, n - 1);
    b = b < 0 ? std::max<int64_t>(-1, b + n) : std::min(b, n - 1);
  }
  std::vector<size_t> out;
  if (st > 0) {
    for (int64_t i = b; i < e; i = (e - i > st) ? i + st : e) out.push_back(size_t(i));
  } else {
    for (int64_t i = b; i > e; i = (i - e > -(st + 1) + 1) ? i + st : e) out.push_back(size_t(i));
  }
  return out;
}

size_t byte_offset(std::string_view s, int64_t index) {
  const int64_t n = int64_t(length(s));
  if (index < 0) index = std::max<int64_t>(0, index + n);
  index = std::min(index, n);
  size_t i = 0;
  for (int64_t k = 0; k < index; ++k) i += utf8::char_length(static_cast<unsigned char>(s[i]));
  return i;
}

std::string strip(std::string_view s, const std::string* chars, bool left, bool right) {
  std::vector<char32_t> set;
  if (chars) set = code_points(*chars);
  const auto strips = [&](char32_t c) {
    return chars ? std::find(set.begin(), set.end(), c) != set.end() : is_space(c);
  };
  size_t begin = 0, end = s.size();
  while (left && begin < end) {
    size_t i = begin;
    if (!strips(utf8::next(s, i))) break;
    begin = i;
  }
  while (right && end > begin) {
    size_t b = end - 1;
    while (b > begin && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
    size_t i = b;
    if (!strips(utf8::next(s, i))) break;
    end = b;
  }
  return std::string(s.substr(begin, end - begin));
}

std::vector<std::string> split(std::string_view s, const std::string* sep, int64_t maxsplit) {
  if (!sep) return split_whitespace(s, maxsplit, false);
  if (sep->empty()) failure("empty separator");
  std::vector<std::string> out;
  size_t pos = 0;
  while (maxsplit < 0 || int64_t(out.size()) < maxsplit) {
    const size_t hit = s.find(*sep, pos);
    if (hit == std::string_view::npos) break;
    out.emplace_back(s.substr(pos, hit - pos));
    pos = hit + sep->size();
  }
  out.emplace_back(s.substr(pos));
  return out;
}

std::vector<std::string> rsplit(std::string_view s, const std::string* sep, int64_t maxsplit) {
  if (!sep) return split_whitespace(s, maxsplit, true);
  if (sep->empty()) failure("empty separator");
  std::vector<std::string> out;
  size_t end = s.size();
  while (maxsplit < 0 || int64_t(out.size()) < maxsplit) {
    if (end < sep->size()) break;
    const size_t hit = s.rfind(*sep, end - sep->size());
    if (hit == std::string_view::npos) break;
    out.emplace_back(s.substr(hit + sep->size(), end - hit - sep->size()));
    end = hit;
  }
  out.emplace_back(s.substr(0, end));
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<std::string> splitlines(std::string_view s, bool keepends) {
  std::vector<std::string> out;
  size_t begin = 0, i = 0;
  while (i < s.size()) {
    const size_t at = i;
    const char32_t c = utf8::next(s, i);
    if (!is_line_break(c)) continue;
    if (c == '\r' && i < s.size() && s[i] == '\n') ++i;
    out.emplace_back(s.substr(begin, (keepends ? i : at) - begin));
    begin = i;
  }
  if (begin < s.size()) out.emplace_back(s.substr(begin));
  return out;
}

std::string replace(std::string_view s, std::string_view old, std::string_view with, int64_t count) {
  std::string out;
  int64_t done = 0;
  if (old.empty()) {  // Python inserts `with` before every character and at the end
    for (size_t i = 0; i < s.size();) {
      if (count < 0 || done < count) {
        out += with;
        ++done;
      }
      const size_t n = utf8::char_length(static_cast<unsigned char>(s[i]));
      out += s.substr(i, n);
      i += n;
    }
    if (count < 0 || done < count) out += with;
    return out;
  }
  size_t pos = 0;
  while (count < 0 || done < count) {
    const size_t hit = s.find(old, pos);
    if (hit == std::string_view::npos) break;
    out += s.substr(pos, hit - pos);
    out += with;
    pos = hit + old.size();
    ++done;
  }
  out += s.substr(pos);
  return out;
}

int64_t find(std::string_view s, std::string_view sub, std::optional<int64_t> start, std::optional<int64_t> end,
             bool reverse) {
  const std::vector<size_t> starts = char_starts(s);
  clamp_range(int64_t(starts.size()) - 1, start, end);
  if (*start > *end) return -1;
  const size_t b = starts[size_t(*start)], e = starts[size_t(*end)];
  const std::string_view range = s.substr(b, e - b);
  const size_t hit = reverse ? range.rfind(sub) : range.find(sub);
  if (hit == std::string_view::npos) return -1;
  return int64_t(std::lower_bound(starts.begin(), starts.end(), b + hit) - starts.begin());
}

int64_t count(std::string_view s, std::string_view sub, std::optional<int64_t> start, std::optional<int64_t> end) {
  const std::vector<size_t> starts = char_starts(s);
  clamp_range(int64_t(starts.size()) - 1, start, end);
  if (*start > *end) return 0;
  const std::string_view range = s.substr(starts[size_t(*start)], starts[size_t(*end)] - starts[size_t(*start)]);
  if (sub.empty()) return int64_t(length(range)) + 1;
  int64_t n = 0;
  for (size_t pos = range.find(sub); pos != std::string_view::npos; pos = range.find(sub, pos + sub.size())) ++n;
  return n;
}

std::string upper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) append_upper(out, utf8::next(s, i));
  return out;
}

std::string lower(std::string_view s) {
  const std::vector<char32_t> cps = code_points(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < cps.size(); ++i) append_lower(out, cps, i);
  return out;
}

std::string capitalize(std::string_view s) {
  const std::vector<char32_t> cps = code_points(s);
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (i == 0) append_title(out, cps[i]);
    else append_lower(out, cps, i);
  }
  return out;
}

std::string title(std::string_view s) {
  const std::vector<char32_t> cps = code_points(s);
  std::string out;
  bool previous_cased = false;
  for (size_t i = 0; i < cps.size(); ++i) {
    if (previous_cased) append_lower(out, cps, i);
    else append_title(out, cps[i]);
    previous_cased = is_cased(cps[i]);
  }
  return out;
}

std::string swapcase(std::string_view s) {
  const std::vector<char32_t> cps = code_points(s);
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    const auto k = category(cps[i]);
    if (k == UTF8PROC_CATEGORY_LU) append_lower(out, cps, i);
    else if (k == UTF8PROC_CATEGORY_LL) append_upper(out, cps[i]);
    else utf8::append(out, cps[i]);
  }
  return out;
}

bool is_lower(std::string_view s) {
  bool cased = false;
  for (size_t i = 0; i < s.size();) {
    const auto k = category(utf8::next(s, i));
    if (k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT) return false;
    cased |= k == UTF8PROC_CATEGORY_LL;
  }
  return cased;
}

bool is_upper(std::string_view s) {
  bool cased = false;
  for (size_t i = 0; i < s.size();) {
    const auto k = category(utf8::next(s, i));
    if (k == UTF8PROC_CATEGORY_LL || k == UTF8PROC_CATEGORY_LT) return false;
    cased |= k == UTF8PROC_CATEGORY_LU;
  }
  return cased;
}

bool is_title(std::string_view s) {
  bool cased = false, previous_cased = false;
  for (size_t i = 0; i < s.size();) {
    const auto k = category(utf8::next(s, i));
    if (k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT) {
      if (previous_cased) return false;
      previous_cased = cased = true;
    } else if (k == UTF8PROC_CATEGORY_LL) {
      if (!previous_cased) return false;
      previous_cased = cased = true;
    } else {
      previous_cased = false;
    }
  }
  return cased;
}

bool is_alpha(std::string_view s) { return all_of_nonempty(s, is_alpha_char); }
bool is_digit(std::string_view s) { return all_of_nonempty(s, is_decimal_char); }
bool is_decimal(std::string_view s) { return all_of_nonempty(s, is_decimal_char); }
bool is_numeric(std::string_view s) { return all_of_nonempty(s, is_numeric_char); }
bool is_alnum(std::string_view s) {
  return all_of_nonempty(s, [](char32_t c) { return is_alpha_char(c) || is_numeric_char(c); });
}
bool is_all_space(std::string_view s) { return all_of_nonempty(s, is_space); }

std::string repr(std::string_view s) {
  const char quote = s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos ? '"' : '\'';
  std::string out(1, quote);
  static const char* hex = "0123456789abcdef";
  for (size_t i = 0; i < s.size();) {
    const size_t at = i;
    const char32_t c = utf8::next(s, i);
    if (c == char32_t(quote) || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && !is_printable(c))) {
      const int digits = c < 0x100 ? 2 : c < 0x10000 ? 4 : 8;
      out += digits == 2 ? "\\x" : digits == 4 ? "\\u" : "\\U";
      for (int k = digits - 1; k >= 0; --k) out += hex[(c >> (4 * k)) & 0xF];
    } else {
      out += s.substr(at, i - at);
    }
  }
  out += quote;
  return out;
}

}  // namespace glassbox::jinja::py
