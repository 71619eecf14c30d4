#include "render/canvas.h"

#include "render/text.h"

namespace glassbox::render {

void Canvas::text(Point at, std::string_view utf8, const TextStyle& style) {
  const std::string valid = sanitize_utf8(utf8);
  if (!valid.empty()) draw_text(at, valid, style);
}

Point Canvas::text_offset(const std::string& valid_utf8, const TextStyle& style) {
  Point offset;
  if (style.anchor != Anchor::Start) {
    const double w = text_width(valid_utf8, style.size, style.bold);
    offset.x = style.anchor == Anchor::End ? -w : -w / 2;
  }
  // DejaVu Sans: x-height 0.55 em, cap height 0.73 em; 0.36 em centres mixed-case text on y.
  if (style.valign == VAlign::Middle) offset.y = 0.36 * style.size;
  return offset;
}

}  // namespace glassbox::render
