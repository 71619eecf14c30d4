#include "render/figure.h"

#include <algorithm>
#include <cctype>

#include "base/atomic_file.h"
#include "base/error.h"
#include "render/cairo_canvas.h"
#include "render/png_metadata.h"
#include "render/svg_canvas.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

enum class Format { Png, Svg };

Format format_of(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (ext == ".png") return Format::Png;
  if (ext == ".svg") return Format::Svg;
  fail(path.string() + ": figure file name must end in .png or .svg");
}

std::vector<std::pair<std::string, std::string>> metadata(const std::string& title, const Provenance& p) {
  std::vector<std::pair<std::string, std::string>> entries;
  const auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) entries.emplace_back(key, value);
  };
  add("Title", title);
  add("Software", "glassbox");
  add("Model", p.model);
  add("Prompt", p.prompt);
  add("Command line", p.command_line);
  for (const auto& [key, value] : p.extra) entries.emplace_back(key, value);
  return entries;
}

// Heights of the title block's lines.
constexpr double kTitleLine = 24, kSubtitleLine = 18, kTitleGap = 12;

}  // namespace

void save_figure(const std::filesystem::path& path, Size size, const std::string& title,
                 const Provenance& provenance, const std::function<void(Canvas&)>& draw) {
  const Format format = format_of(path);
  // Cairo's image surfaces stop at 32767 px a side; far below that a figure is unreadable anyway.
  if (size.width <= 0 || size.height <= 0 || size.width > 32767 || size.height > 32767)
    fail(path.string() + ": figure size " + std::to_string(size.width) + "x" + std::to_string(size.height) +
         " is out of range");
  std::string bytes;
  if (format == Format::Png) {
    CairoCanvas canvas(size.width, size.height);
    draw(canvas);
    bytes = add_png_text(canvas.png_bytes(), metadata(title, provenance));
  } else {
    SvgCanvas canvas(size.width, size.height);
    draw(canvas);
    bytes = canvas.document(title, metadata(title, provenance));
  }
  write_file_atomically(path, bytes);
}

double title_block_height(const std::string& title, const std::string& subtitle) {
  if (title.empty() && subtitle.empty()) return 0;
  return (title.empty() ? 0 : kTitleLine) + (subtitle.empty() ? 0 : kSubtitleLine) + kTitleGap;
}

void draw_title_block(Canvas& canvas, double x, double y, double width, const std::string& title,
                      const std::string& subtitle) {
  if (!title.empty()) {
    canvas.text({x, y + kTitleLine / 2}, fit_text(title, width, style::kTitleSize, true),
                {.size = style::kTitleSize, .bold = true});
    y += kTitleLine;
  }
  if (!subtitle.empty())
    canvas.text({x, y + kSubtitleLine / 2}, fit_text(subtitle, width, style::kSubtitleSize),
                {.size = style::kSubtitleSize, .color = style::kMuted});
}

}  // namespace glassbox::render
