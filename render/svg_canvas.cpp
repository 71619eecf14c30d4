#include "render/svg_canvas.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "render/text.h"

namespace glassbox::render {
namespace {

// Two decimals are finer than any output device resolves; trimming zeros keeps files small.
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string color(Rgb c) {
  const auto channel = [](double v) { return int(std::lround(std::clamp(v, 0.0, 1.0) * 255)); };
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", channel(c.r), channel(c.g), channel(c.b));
  return buf;
}

std::string rect_attrs(const Rect& r) {
  return "x=\"" + num(r.x) + "\" y=\"" + num(r.y) + "\" width=\"" + num(r.w) + "\" height=\"" + num(r.h) + "\"";
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void SvgCanvas::fill_rect(const Rect& r, Rgb fill, bool crisp) {
  body_ += "<rect " + rect_attrs(r) + " fill=\"" + color(fill) + "\"" +
           (crisp ? " shape-rendering=\"crispEdges\"" : "") + "/>\n";
}

void SvgCanvas::stroke_rect(const Rect& r, Rgb stroke, double width) {
  body_ += "<rect " + rect_attrs(r) + " fill=\"none\" stroke=\"" + color(stroke) + "\" stroke-width=\"" +
           num(width) + "\"/>\n";
}

void SvgCanvas::fill_rounded_rect(const Rect& r, double radius, Rgb fill) {
  body_ += "<rect " + rect_attrs(r) + " rx=\"" + num(radius) + "\" fill=\"" + color(fill) + "\"/>\n";
}

void SvgCanvas::line(Point a, Point b, Rgb stroke, double width) {
  body_ += "<line x1=\"" + num(a.x) + "\" y1=\"" + num(a.y) + "\" x2=\"" + num(b.x) + "\" y2=\"" + num(b.y) +
           "\" stroke=\"" + color(stroke) + "\" stroke-width=\"" + num(width) + "\"/>\n";
}

void SvgCanvas::polyline(const std::vector<Point>& points, Rgb stroke, double width) {
  if (points.size() < 2) return;
  std::string pts;
  for (const Point& p : points) {
    if (!pts.empty()) pts += ' ';
    pts.append(num(p.x)).append(",").append(num(p.y));
  }
  body_ += "<polyline points=\"" + pts + "\" fill=\"none\" stroke=\"" + color(stroke) + "\" stroke-width=\"" +
           num(width) + "\" stroke-linejoin=\"round\"/>\n";
}

void SvgCanvas::vertical_gradient(const Rect& r, const std::vector<Rgb>& bottom_to_top) {
  const std::string id = "gradient" + std::to_string(next_gradient_++);
  defs_ += "<linearGradient id=\"" + id + "\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">\n";
  for (std::size_t i = 0; i < bottom_to_top.size(); ++i) {
    const double offset = bottom_to_top.size() > 1 ? double(i) / double(bottom_to_top.size() - 1) : 0;
    defs_ += "<stop offset=\"" + num(offset) + "\" stop-color=\"" + color(bottom_to_top[i]) + "\"/>\n";
  }
  defs_ += "</linearGradient>\n";
  body_ += "<rect " + rect_attrs(r) + " fill=\"url(#" + id + ")\"/>\n";
}

void SvgCanvas::draw_text(Point at, const std::string& valid_utf8, const TextStyle& style) {
  // The anchor is applied by the viewer (text-anchor), which measures with its own copy of the font.
  const Point offset = text_offset(valid_utf8, TextStyle{style.size, style.bold, style.color, Anchor::Start,
                                                         style.valign, style.angle});
  static constexpr const char* kAnchor[] = {"start", "middle", "end"};
  std::string transform = "translate(" + num(at.x) + "," + num(at.y) + ")";
  if (style.angle != 0) transform += " rotate(" + num(style.angle) + ")";
  body_ += "<text transform=\"" + transform + "\" y=\"" + num(offset.y) + "\" font-size=\"" + num(style.size) +
           "\"" + (style.bold ? " font-weight=\"bold\"" : "") + " fill=\"" + color(style.color) + "\"" +
           (style.anchor == Anchor::Start ? "" : std::string(" text-anchor=\"") + kAnchor[int(style.anchor)] + "\"") +
           ">" + xml_escape(valid_utf8) + "</text>\n";
}

std::string SvgCanvas::document(const std::string& title,
                                const std::vector<std::pair<std::string, std::string>>& metadata) const {
  const std::string w = std::to_string(width_), h = std::to_string(height_);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + w + "\" height=\"" + h +
         "\" viewBox=\"0 0 " + w + " " + h +
         "\" font-family=\"DejaVu Sans, Verdana, sans-serif\" xml:space=\"preserve\">\n";
  out += "<metadata>\n<provenance xmlns=\"https://glassbox.dev/ns/provenance\">\n";
  for (const auto& [key, value] : metadata)
    out += "<entry key=\"" + xml_escape(sanitize_utf8(key)) + "\">" + xml_escape(sanitize_utf8(value, true)) + "</entry>\n";
  out += "</provenance>\n</metadata>\n";
  if (!title.empty()) out += "<title>" + xml_escape(sanitize_utf8(title)) + "</title>\n";
  if (!defs_.empty()) out += "<defs>\n" + defs_ + "</defs>\n";
  out += "<rect width=\"" + w + "\" height=\"" + h + "\" fill=\"#ffffff\"/>\n";
  out += body_;
  out += "</svg>\n";
  return out;
}

}  // namespace glassbox::render
