#include "render/cairo_canvas.h"

#include <cmath>
#include <numbers>

#include "base/error.h"
#include "render/fonts.h"

namespace glassbox::render {

CairoCanvas::CairoCanvas(int width, int height)
    : surface_(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)), cr_(cairo_create(surface_)) {
  if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS)
    fail("figure: cannot create a " + std::to_string(width) + "x" + std::to_string(height) + " image");
  cairo_set_source_rgb(cr_, 1, 1, 1);
  cairo_paint(cr_);
  apply_font_options(cr_);
  cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr_, CAIRO_LINE_CAP_BUTT);
}

CairoCanvas::~CairoCanvas() {
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

void CairoCanvas::fill_rect(const Rect& r, Rgb fill, bool crisp) {
  cairo_set_antialias(cr_, crisp ? CAIRO_ANTIALIAS_NONE : CAIRO_ANTIALIAS_DEFAULT);
  set_color(fill);
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_fill(cr_);
  cairo_set_antialias(cr_, CAIRO_ANTIALIAS_DEFAULT);
}

void CairoCanvas::stroke_rect(const Rect& r, Rgb stroke, double width) {
  set_color(stroke);
  cairo_set_line_width(cr_, width);
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_stroke(cr_);
}

void CairoCanvas::fill_rounded_rect(const Rect& r, double radius, Rgb fill) {
  const double pi = std::numbers::pi;
  cairo_new_sub_path(cr_);
  cairo_arc(cr_, r.right() - radius, r.y + radius, radius, -pi / 2, 0);
  cairo_arc(cr_, r.right() - radius, r.bottom() - radius, radius, 0, pi / 2);
  cairo_arc(cr_, r.x + radius, r.bottom() - radius, radius, pi / 2, pi);
  cairo_arc(cr_, r.x + radius, r.y + radius, radius, pi, 3 * pi / 2);
  cairo_close_path(cr_);
  set_color(fill);
  cairo_fill(cr_);
}

void CairoCanvas::line(Point a, Point b, Rgb stroke, double width) { polyline({a, b}, stroke, width); }

void CairoCanvas::polyline(const std::vector<Point>& points, Rgb stroke, double width) {
  if (points.size() < 2) return;
  cairo_move_to(cr_, points[0].x, points[0].y);
  for (std::size_t i = 1; i < points.size(); ++i) cairo_line_to(cr_, points[i].x, points[i].y);
  set_color(stroke);
  cairo_set_line_width(cr_, width);
  cairo_stroke(cr_);
}

void CairoCanvas::vertical_gradient(const Rect& r, const std::vector<Rgb>& bottom_to_top) {
  cairo_pattern_t* pattern = cairo_pattern_create_linear(0, r.bottom(), 0, r.y);
  for (std::size_t i = 0; i < bottom_to_top.size(); ++i) {
    const Rgb& c = bottom_to_top[i];
    const double offset = bottom_to_top.size() > 1 ? double(i) / double(bottom_to_top.size() - 1) : 0;
    cairo_pattern_add_color_stop_rgb(pattern, offset, c.r, c.g, c.b);
  }
  cairo_set_source(cr_, pattern);
  cairo_rectangle(cr_, r.x, r.y, r.w, r.h);
  cairo_fill(cr_);
  cairo_pattern_destroy(pattern);
}

void CairoCanvas::draw_text(Point at, const std::string& valid_utf8, const TextStyle& style) {
  const Point offset = text_offset(valid_utf8, style);
  cairo_save(cr_);
  cairo_translate(cr_, at.x, at.y);
  cairo_rotate(cr_, style.angle * std::numbers::pi / 180);
  cairo_move_to(cr_, offset.x, offset.y);
  set_color(style.color);
  for (const FontRun& run : font_runs(valid_utf8, style.bold)) {
    cairo_set_font_face(cr_, run.face);
    cairo_set_font_size(cr_, style.size);
    cairo_show_text(cr_, run.utf8.c_str());
  }
  cairo_restore(cr_);
}

std::string CairoCanvas::png_bytes() {
  cairo_surface_flush(surface_);
  std::string out;
  const cairo_status_t status = cairo_surface_write_to_png_stream(
      surface_,
      [](void* closure, const unsigned char* data, unsigned int length) {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
      },
      &out);
  if (status != CAIRO_STATUS_SUCCESS || cairo_status(cr_) != CAIRO_STATUS_SUCCESS)
    fail(std::string("figure: Cairo failed: ") +
         cairo_status_to_string(status != CAIRO_STATUS_SUCCESS ? status : cairo_status(cr_)));
  return out;
}

}  // namespace glassbox::render
