#include "base/visible_text.h"

#include <utf8proc.h>

#include <cstdio>

#include "base/utf8.h"

namespace glassbox {
namespace {

bool invisible(char32_t c) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_CF:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_CN:
    case UTF8PROC_CATEGORY_CO: return true;
    default: return false;
  }
}

void append_hex_group(std::string& out, std::string_view bytes) {
  out += '<';
  for (size_t k = 0; k < bytes.size(); ++k) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02X", unsigned(static_cast<unsigned char>(bytes[k])));
    if (k) out += ' ';
    out += buf;
  }
  out += '>';
}

}  // namespace

std::string visible_token(std::string_view bytes) {
  if (bytes.empty()) return "∅";
  std::string out, pending_hex;  // consecutive undisplayable bytes share one "<..>" group
  for (size_t i = 0; i < bytes.size();) {
    const size_t start = i;
    const std::optional<char32_t> c = utf8::decode(bytes, i);
    const bool shown_as_glyph = c && (*c == ' ' || *c == '\n' || *c == '\t' || *c == '\r');
    if (!c || (utf8::is_control(*c) && !shown_as_glyph)) {
      pending_hex.append(bytes.substr(start, i - start));
      continue;
    }
    if (!pending_hex.empty()) append_hex_group(out, pending_hex), pending_hex.clear();
    switch (*c) {
      case ' ': out += "␣"; break;
      case '\n': out += "↵"; break;
      case '\t': out += "⇥"; break;
      case '\r': out += "␍"; break;
      default:
        if (invisible(*c)) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "<U+%04X>", unsigned(*c));
          out += buf;
        } else {
          out.append(bytes.substr(start, i - start));
        }
    }
  }
  if (!pending_hex.empty()) append_hex_group(out, pending_hex);
  return out;
}

}  // namespace glassbox
