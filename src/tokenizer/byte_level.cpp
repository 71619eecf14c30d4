#include "tokenizer/byte_level.h"

#include <array>

#include "base/utf8.h"

namespace glassbox::byte_level {
namespace {

struct Table {
  std::array<std::string, 256> chars;
  std::array<int, 512> bytes;  // indexed by code point; all table characters are below 512
  Table() {
    bytes.fill(-1);
    int extra = 0;
    for (int b = 0; b < 256; ++b) {
      // Printable Latin-1 stands for itself; the rest are shifted past U+00FF, in byte order.
      const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
      const char32_t c = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + extra++);
      utf8::append(chars[b], c);
      bytes[c] = b;
    }
  }
};

const Table& table() {
  static const Table t;
  return t;
}

}  // namespace

const std::string& char_for_byte(unsigned char b) { return table().chars[b]; }

std::optional<unsigned char> byte_for_char(char32_t c) {
  if (c >= 512 || table().bytes[c] < 0) return std::nullopt;
  return static_cast<unsigned char>(table().bytes[c]);
}

std::string encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) out += table().chars[b];
  return out;
}

std::optional<std::string> decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto b = byte_for_char(utf8::next(text, i));
    if (!b) return std::nullopt;
    out += static_cast<char>(*b);
  }
  return out;
}

}  // namespace glassbox::byte_level
