#pragma once
// What every figure shares: saving by file extension with provenance inside the file, the look
// (fonts, greys, margins) and the title block.
#include <filesystem>
#include <functional>
#include <string>

#include "render/canvas.h"
#include "render/provenance.h"

namespace glassbox::render {

namespace style {
inline constexpr double kMargin = 24;        // outer margin on every side
inline constexpr double kTitleSize = 17;     // figure title
inline constexpr double kSubtitleSize = 12.5;
inline constexpr double kLabelSize = 12;     // tick labels, row and column labels, legend
inline constexpr double kAxisTitleSize = 12.5;
inline constexpr double kSmallSize = 10;     // token ids, values printed in cells
inline const Rgb kInk = Rgb::hex(0x222222);
inline const Rgb kMuted = Rgb::hex(0x666666);
inline const Rgb kFrame = Rgb::hex(0x888888);
inline const Rgb kGrid = Rgb::hex(0xe6e6e6);
// Masked cells (e.g. the future positions of a causal attention map): a neutral grey that none of the
// colormaps contains.
inline const Rgb kMaskColor = Rgb::hex(0xdadada);
}  // namespace style

struct Size {
  int width = 0, height = 0;
};

// Draws with `draw` onto a canvas of `size` and writes `path` atomically: PNG or SVG by its extension
// (.png / .svg, any case). The title and provenance are stored inside the file.
void save_figure(const std::filesystem::path& path, Size size, const std::string& title,
                 const Provenance& provenance, const std::function<void(Canvas&)>& draw);

// Title and subtitle, left-aligned at `x`, cut to `width`; returns the height they take (0 when both
// are empty), including the gap below them.
double title_block_height(const std::string& title, const std::string& subtitle);
void draw_title_block(Canvas& canvas, double x, double y, double width, const std::string& title,
                      const std::string& subtitle);

}  // namespace glassbox::render
