#pragma once
// Per-character font choice for the PNG renderer and for measuring text: DejaVu Sans first, then the
// fonts fontconfig ranks next that have the character (a CJK font, an emoji font), so non-Latin text is
// drawn when such a font is installed and shows DejaVu's missing-glyph box otherwise.
#include <cairo.h>

#include <string>
#include <string_view>
#include <vector>

namespace glassbox::render {

struct FontRun {
  cairo_font_face_t* face;  // owned by the font set, valid for the life of the process
  std::string utf8;
};

// Splits valid UTF-8 into runs that one font face draws.
std::vector<FontRun> font_runs(std::string_view valid_utf8, bool bold);

// Font options shared by measuring and drawing, so measured widths equal drawn widths.
void apply_font_options(cairo_t* cr);

}  // namespace glassbox::render
