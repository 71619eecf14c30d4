#include "base/utf8.h"

namespace glassbox::utf8 {

char32_t next(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char lead = b(0);
  char32_t cp;
  size_t n = char_length(lead);
  if (n == 1) cp = lead;
  else if (n == 2) cp = ((lead & 0x1F) << 6) | (b(1) & 0x3F);
  else if (n == 3) cp = ((lead & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  else cp = ((lead & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  i += n;
  return cp;
}

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

Prefix valid_prefix(std::string_view s, size_t i) {
  const unsigned char lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80) return {1, true};
  // Allowed range of the second byte per lead byte (Unicode table 3-7); later bytes are 80..BF.
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) need = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return {1, false};
  }
  size_t k = 1;
  for (; k < need; ++k) {
    if (i + k >= s.size()) return {k, false};
    const unsigned char c = static_cast<unsigned char>(s[i + k]);
    const unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (c < l || c > h) return {k, false};
  }
  return {need, true};
}

bool is_valid(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const Prefix p = valid_prefix(s, i);
    if (!p.complete) return false;
    i += p.length;
  }
  return true;
}

std::optional<char32_t> decode(std::string_view s, size_t& i) {
  const Prefix p = valid_prefix(s, i);
  if (!p.complete) {
    i += p.length;
    return std::nullopt;
  }
  return next(s, i);
}

std::string to_valid_lossy(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const Prefix p = valid_prefix(s, i);
    if (p.complete) out.append(s.substr(i, p.length));
    else out += "\xEF\xBF\xBD";
    i += p.length;
  }
  return out;
}

}  // namespace glassbox::utf8
