#pragma once
// Text being normalized and split, with, for each of its bytes, the span of input bytes it came from. This is
// how token offsets survive normalizers (NFC, Prepend, Replace) and byte-level mapping: a token's span is
// the first byte's begin to the last byte's end, as in Hugging Face's NormalizedString.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace glassbox {

struct Span {
  uint32_t begin = 0, end = 0;
};

struct AlignedString {
  std::string text;
  std::vector<Span> spans;  // one per byte of text

  // The input as valid UTF-8: each invalid byte sequence (maximal subpart) becomes U+FFFD spanning it.
  static AlignedString from_input(std::string_view input);

  bool empty() const { return text.empty(); }
  AlignedString slice(size_t begin, size_t end) const;
  // Appends one character's (or any) bytes, all coming from `from`.
  void push(std::string_view bytes, Span from);
  // Input span of text bytes [begin, end).
  Span span_of(size_t begin, size_t end) const { return {spans[begin].begin, spans[end - 1].end}; }

  // Inserts `prefix` before the text, aligned with the first character (nothing when empty).
  void prepend(std::string_view prefix);
  // Replaces each match [begin, end) with `content`, aligned with the match's last byte.
  void replace(const std::vector<std::pair<size_t, size_t>>& matches, std::string_view content);
};

}  // namespace glassbox
