#pragma once
// The PNG backend: draws into a Cairo image surface and encodes it as PNG bytes.
#include <cairo.h>

#include <string>

#include "render/canvas.h"

namespace glassbox::render {

class CairoCanvas final : public Canvas {
 public:
  CairoCanvas(int width, int height);  // white background
  ~CairoCanvas() override;
  CairoCanvas(const CairoCanvas&) = delete;
  CairoCanvas& operator=(const CairoCanvas&) = delete;

  void fill_rect(const Rect& r, Rgb fill, bool crisp) override;
  void stroke_rect(const Rect& r, Rgb stroke, double width) override;
  void fill_rounded_rect(const Rect& r, double radius, Rgb fill) override;
  void line(Point a, Point b, Rgb stroke, double width) override;
  void polyline(const std::vector<Point>& points, Rgb stroke, double width) override;
  void vertical_gradient(const Rect& r, const std::vector<Rgb>& bottom_to_top) override;

  std::string png_bytes();  // fails if Cairo reports an error

 protected:
  void draw_text(Point at, const std::string& valid_utf8, const TextStyle& style) override;

 private:
  void set_color(Rgb c) { cairo_set_source_rgb(cr_, c.r, c.g, c.b); }
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

}  // namespace glassbox::render
