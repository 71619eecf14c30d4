#pragma once
// UTF-8 decoding and validation. Tokenizer text is always valid UTF-8 (input is sanitized first), so the
// fast decoders trust it; only `valid_prefix` looks at untrusted bytes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace glassbox::utf8 {

// Byte length of the character whose lead byte is `lead` (1 for bytes that are not valid leads).
inline size_t char_length(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// C0 and C1 control characters, DEL included.
inline bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c < 0xA0); }

// Decodes the character at s[i] of valid UTF-8 and advances i past it.
char32_t next(std::string_view s, size_t& i);

void append(std::string& out, char32_t cp);

// How many bytes of s, from i, form one well-formed character (`complete`), or else the maximal prefix of
// one (at least 1 byte; Unicode's "maximal subpart", each of which becomes one U+FFFD).
struct Prefix {
  size_t length;
  bool complete;
};
Prefix valid_prefix(std::string_view s, size_t i);

bool is_valid(std::string_view s);

// Decodes the character at s[i] of untrusted bytes and advances i past it; on an ill-formed sequence
// advances i past its maximal subpart and returns nothing.
std::optional<char32_t> decode(std::string_view s, size_t& i);

// s with every maximal invalid subpart replaced by U+FFFD, as Python's errors="replace" and Rust's
// from_utf8_lossy do.
std::string to_valid_lossy(std::string_view s);

}  // namespace glassbox::utf8
