#include "base/columns.h"

#include <utf8proc.h>

#include <algorithm>

#include "base/utf8.h"

namespace glassbox {
namespace {

int char_width(char32_t c) { return std::max(0, int(utf8proc_charwidth(static_cast<utf8proc_int32_t>(c)))); }

}  // namespace

int display_width(std::string_view utf8) {
  int width = 0;
  for (size_t i = 0; i < utf8.size();) width += char_width(utf8::next(utf8, i));
  return width;
}

std::string pad_columns(std::string_view utf8, int columns) {
  const int width = display_width(utf8);
  if (width <= columns) return std::string(utf8) + std::string(size_t(columns - width), ' ');
  std::string out;
  int used = 0;
  for (size_t i = 0; i < utf8.size();) {
    const size_t start = i;
    const int w = char_width(utf8::next(utf8, i));
    if (used + w > columns - 1) break;
    out.append(utf8.substr(start, i - start));
    used += w;
  }
  return out + "…" + std::string(size_t(std::max(0, columns - 1 - used)), ' ');
}

}  // namespace glassbox
