#pragma once
// Text tables on a terminal: widths in screen columns, not bytes ("␣the" is 4 columns but 6 bytes; a CJK
// character takes 2), so the columns of a table line up.
#include <string>
#include <string_view>

namespace glassbox {

// Screen columns of valid UTF-8 text (utf8proc's character widths).
int display_width(std::string_view utf8);

// `utf8` padded with spaces to `columns`, or cut to columns - 1 and ended with "…" when it is wider.
std::string pad_columns(std::string_view utf8, int columns);

}  // namespace glassbox
