#include "tokenizer/token_display.h"

#include <utf8proc.h>

#include <cstdio>

#include "base/utf8.h"

namespace glassbox {
namespace {

bool invisible(char32_t c) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_CC:
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_CO: return true;
    default: return false;
  }
}

}  // namespace

std::string visible_bytes(std::string_view bytes) {
  std::string out;
  char buf[16];
  for (size_t i = 0; i < bytes.size();) {
    const utf8::Prefix p = utf8::valid_prefix(bytes, i);
    if (!p.complete) {
      for (size_t k = 0; k < p.length; ++k) {
        std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(bytes[i + k]));
        out += buf;
      }
      i += p.length;
      continue;
    }
    size_t next = i;
    const char32_t c = utf8::next(bytes, next);
    if (c == ' ') out += "\u2423";
    else if (c == '\n') out += "\u21B5";
    else if (c == '\t') out += "\u21E5";
    else if (c == '\r') out += "\u240D";
    else if (c < 0x20 || c == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(c));
      out += buf;
    } else if (invisible(c)) {
      std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned>(c));
      out += buf;
    } else {
      out.append(bytes.substr(i, next - i));
    }
    i = next;
  }
  return out;
}

}  // namespace glassbox
