#include "base/error.h"

#include <cstdio>

#include "base/utf8.h"

namespace glassbox {

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto hex = [&](unsigned char b) {
    char e[5];
    std::snprintf(e, sizeof e, "\\x%02X", b);
    out += e;
  };
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b == '\n') out += "\\n";
    else if (b == '\r') out += "\\r";
    else if (b == '\t') out += "\\t";
    else if (b < 0x20 || b == 0x7F) hex(b);
    else if (b < 0x80) out += char(b);
    else {
      const utf8::Prefix p = utf8::valid_prefix(text, i);
      if (!p.complete) {
        for (size_t k = 0; k < p.length; ++k) hex(static_cast<unsigned char>(text[i + k]));
      } else {
        size_t j = i;
        const char32_t cp = utf8::next(text, j);
        // C1 controls and the line/paragraph separators also move the cursor or end a line.
        if ((cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029) {
          char e[12];
          std::snprintf(e, sizeof e, "\\u%04X", unsigned(cp));
          out += e;
        } else {
          out.append(text.substr(i, p.length));
        }
      }
      i += p.length;
      continue;
    }
    ++i;
  }
  return out;
}

}  // namespace glassbox
