#pragma once
// The SVG backend: writes elements directly, text as <text> (searchable, editable, testable), with
// fixed number formatting and counter-based ids, so the same figure always gives the same bytes.
#include <string>
#include <utility>
#include <vector>

#include "render/canvas.h"

namespace glassbox::render {

class SvgCanvas final : public Canvas {
 public:
  SvgCanvas(int width, int height) : width_(width), height_(height) {}

  void fill_rect(const Rect& r, Rgb fill, bool crisp) override;
  void stroke_rect(const Rect& r, Rgb stroke, double width) override;
  void fill_rounded_rect(const Rect& r, double radius, Rgb fill) override;
  void line(Point a, Point b, Rgb stroke, double width) override;
  void polyline(const std::vector<Point>& points, Rgb stroke, double width) override;
  void vertical_gradient(const Rect& r, const std::vector<Rgb>& bottom_to_top) override;

  // The whole document; `metadata` goes into <metadata> right after the <svg> tag.
  std::string document(const std::string& title,
                       const std::vector<std::pair<std::string, std::string>>& metadata) const;

 protected:
  void draw_text(Point at, const std::string& valid_utf8, const TextStyle& style) override;

 private:
  int width_, height_;
  std::string defs_, body_;
  int next_gradient_ = 1;
};

// Escapes &, <, >, " for XML text and attribute values (input must be sanitized UTF-8).
std::string xml_escape(std::string_view text);

}  // namespace glassbox::render
