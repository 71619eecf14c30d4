#pragma once
// The drawing surface every figure draws on: a few primitives in pixel coordinates (origin top-left,
// y down). Two backends implement it: Cairo for PNG, and an SVG writer whose text stays text.
#include <string>
#include <string_view>
#include <vector>

#include "render/colormap.h"

namespace glassbox::render {

struct Point {
  double x = 0, y = 0;
};

struct Rect {
  double x = 0, y = 0, w = 0, h = 0;
  double right() const { return x + w; }
  double bottom() const { return y + h; }
  Point center() const { return {x + w / 2, y + h / 2}; }
};

enum class Anchor { Start, Middle, End };  // where (x, y) lies along the text
enum class VAlign { Baseline, Middle };    // whether y is the baseline or the middle of lowercase/caps

struct TextStyle {
  double size = 12;
  bool bold = false;
  Rgb color = Rgb::hex(0x222222);
  Anchor anchor = Anchor::Start;
  VAlign valign = VAlign::Middle;
  double angle = 0;  // degrees, clockwise about (x, y); -45 rises to the right
};

class Canvas {
 public:
  virtual ~Canvas() = default;

  // `crisp`: an axis-aligned cell whose edges must meet its neighbours' without a light seam.
  virtual void fill_rect(const Rect& r, Rgb fill, bool crisp = false) = 0;
  virtual void stroke_rect(const Rect& r, Rgb stroke, double width) = 0;
  virtual void fill_rounded_rect(const Rect& r, double radius, Rgb fill) = 0;
  virtual void line(Point a, Point b, Rgb stroke, double width) = 0;
  virtual void polyline(const std::vector<Point>& points, Rgb stroke, double width) = 0;
  // Colours evenly spaced from the bottom edge (first) to the top edge (last).
  virtual void vertical_gradient(const Rect& r, const std::vector<Rgb>& bottom_to_top) = 0;

  // Draws any bytes: invalid UTF-8 and control characters are replaced or dropped first.
  void text(Point at, std::string_view utf8, const TextStyle& style);

 protected:
  // Offset of the text origin from `at` in the text's own (rotated) frame.
  static Point text_offset(const std::string& valid_utf8, const TextStyle& style);
  virtual void draw_text(Point at, const std::string& valid_utf8, const TextStyle& style) = 0;
};

}  // namespace glassbox::render
