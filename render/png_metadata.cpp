#include "render/png_metadata.h"

#include <array>

#include "base/error.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

void append_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += char((v >> shift) & 0xff);
}

std::string chunk(std::string_view type, std::string_view data) {
  std::string body(type);
  body.append(data);
  std::string out;
  append_u32(out, std::uint32_t(data.size()));
  out += body;
  append_u32(out, crc32(body));
  return out;
}

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c > 0x7e || (c < 0x20 && c != '\n')) return false;
  return true;
}

// PNG keywords: 1 to 79 printable Latin-1 characters; the keys are ours, so ASCII suffices.
std::string keyword(std::string_view key) {
  std::string k;
  for (unsigned char c : key)
    if (c >= 0x20 && c <= 0x7e && k.size() < 79) k += char(c);
  return k.empty() ? "Comment" : k;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes) {
  static constexpr auto kTable = make_crc_table();
  std::uint32_t c = 0xffffffffu;
  for (unsigned char b : bytes) c = kTable[(c ^ b) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

std::string add_png_text(std::string_view png, const std::vector<std::pair<std::string, std::string>>& entries) {
  // Signature (8 bytes), then IHDR: length (4), type (4), 13 bytes of data, CRC (4).
  constexpr std::size_t kAfterIhdr = 8 + 4 + 4 + 13 + 4;
  if (png.size() < kAfterIhdr || png.substr(12, 4) != "IHDR") fail("figure: encoder returned an invalid PNG");
  std::string out(png.substr(0, kAfterIhdr));
  for (const auto& [key, value] : entries) {
    const std::string k = keyword(key);
    const std::string v = sanitize_utf8(value, true);
    if (printable_ascii(v)) {
      out += chunk("tEXt", k + '\0' + v);
    } else {
      // keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty translation NUL, text
      out += chunk("iTXt", k + '\0' + '\0' + '\0' + '\0' + '\0' + v);
    }
  }
  out.append(png.substr(kAfterIhdr));
  return out;
}

}  // namespace glassbox::render
