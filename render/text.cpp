#include "render/text.h"

#include <cairo.h>

#include <cstdio>
#include <mutex>
#include <vector>

#include "render/fonts.h"
#include "render/utf8.h"

namespace glassbox::render {
namespace {

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp < 0xa0); }

void append_hex_group(std::string& out, std::string_view bytes) {
  out += '<';
  for (std::size_t k = 0; k < bytes.size(); ++k) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02X", unsigned(static_cast<unsigned char>(bytes[k])));
    if (k) out += ' ';
    out += buf;
  }
  out += '>';
}

}  // namespace

std::string sanitize_utf8(std::string_view bytes, bool keep_line_breaks) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto cp = decode_utf8(bytes, i);
    if (!cp) {
      append_utf8(out, U'\uFFFD');
    } else if (!is_control(*cp) || (keep_line_breaks && (*cp == '\n' || *cp == '\t'))) {
      append_utf8(out, *cp);
    }
  }
  return out;
}

std::string visible_token_text(std::string_view bytes) {
  if (bytes.empty()) return "∅";
  std::string out;
  std::string pending_hex;  // consecutive undisplayable bytes share one "<..>" group
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::size_t start = i;
    const auto cp = decode_utf8(bytes, i);
    const bool hex = !cp || (is_control(*cp) && *cp != '\n' && *cp != '\t');
    if (hex) {
      pending_hex.append(bytes.substr(start, i - start));
      continue;
    }
    if (!pending_hex.empty()) {
      append_hex_group(out, pending_hex);
      pending_hex.clear();
    }
    switch (*cp) {
      case ' ': out += "·"; break;
      case '\n': out += "↵"; break;
      case '\t': out += "→"; break;
      default: append_utf8(out, *cp);
    }
  }
  if (!pending_hex.empty()) append_hex_group(out, pending_hex);
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
    decode_utf8(text, i);
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
