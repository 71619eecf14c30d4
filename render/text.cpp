#include "render/text.h"

#include <cairo.h>

#include <mutex>
#include <vector>

#include "render/fonts.h"
#include "base/utf8.h"

namespace glassbox::render {
std::string sanitize_utf8(std::string_view bytes, bool keep_line_breaks) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto cp = utf8::decode(bytes, i);
    if (!cp) {
      utf8::append(out, U'\uFFFD');
    } else if (!utf8::is_control(*cp) || (keep_line_breaks && (*cp == '\n' || *cp == '\t'))) {
      utf8::append(out, *cp);
    }
  }
  return out;
}

double text_width(std::string_view utf8, double size, bool bold) {
  const std::string text = sanitize_utf8(utf8);
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  static cairo_t* cr = [] {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t* c = cairo_create(surface);
    cairo_surface_destroy(surface);  // the context holds its own reference
    apply_font_options(c);
    return c;
  }();
  double width = 0;
  for (const FontRun& run : font_runs(text, bold)) {
    cairo_set_font_face(cr, run.face);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t extents;
    cairo_text_extents(cr, run.utf8.c_str(), &extents);
    width += extents.x_advance;
  }
  return width;
}

std::string fit_text(std::string_view utf8, double max_width, double size, bool bold) {
  std::string text = sanitize_utf8(utf8);
  if (text_width(text, size, bold) <= max_width) return text;
  // Character boundaries, so the cut never splits a UTF-8 sequence.
  std::vector<std::size_t> ends;
  for (std::size_t i = 0; i < text.size();) {
    utf8::decode(text, i);
    ends.push_back(i);
  }
  std::size_t lo = 0, hi = ends.size();  // the longest prefix of `lo` characters that fits
  while (lo < hi) {
    const std::size_t mid = (lo + hi + 1) / 2;
    if (text_width(text.substr(0, ends[mid - 1]) + "…", size, bold) <= max_width)
      lo = mid;
    else
      hi = mid - 1;
  }
  return (lo ? text.substr(0, ends[lo - 1]) : std::string()) + "…";
}

}  // namespace glassbox::render
