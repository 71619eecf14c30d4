#include "render/token_strip.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "base/visible_text.h"
#include "render/figure.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr double kTokenSize = 14;
constexpr double kChipHeight = 26, kChipPad = 7, kChipGap = 5, kChipRadius = 4;
constexpr double kIdGap = 13;    // from a chip's bottom to the middle of its id
constexpr double kLineGap = 14;  // between the id of one line and the chips of the next
const Rgb kChipColors[2] = {Rgb::hex(0xdbe8f6), Rgb::hex(0xfce3c9)};

struct Chip {
  std::string text, id;
  Rect box;
};

struct Layout {
  Size canvas;
  std::vector<Chip> chips;
};

Layout layout(const TokenStrip& s) {
  if (s.tokens.empty()) fail("token strip: no tokens");
  if (s.width_px < 200) fail("token strip: width_px must be at least 200");
  const bool any_id = std::any_of(s.tokens.begin(), s.tokens.end(), [](const StripToken& t) { return t.id >= 0; });
  const double line_height = kChipHeight + (any_id ? kIdGap + style::kSmallSize : 0) + kLineGap;
  const double left = style::kMargin, right = s.width_px - style::kMargin;
  const double top = style::kMargin + title_block_height(s.title, s.subtitle);
  Layout l;
  double x = left, y = top;
  for (const StripToken& t : s.tokens) {
    Chip chip;
    chip.text = fit_text(visible_token(t.bytes), right - left - 2 * kChipPad, kTokenSize);
    chip.id = t.id >= 0 ? std::to_string(t.id) : "";
    const double w = std::ceil(std::max(text_width(chip.text, kTokenSize), text_width(chip.id, style::kSmallSize)) +
                               2 * kChipPad);
    if (x > left && x + w > right) {  // wrap before a chip that would cross the right margin
      x = left;
      y += line_height;
    }
    chip.box = {x, y, w, kChipHeight};
    x += w + kChipGap;
    l.chips.push_back(std::move(chip));
  }
  l.canvas = {s.width_px, int(std::ceil(y + line_height - kLineGap + style::kMargin))};
  return l;
}

void draw(const TokenStrip& s, const Layout& l, Canvas& canvas) {
  draw_title_block(canvas, style::kMargin, style::kMargin, l.canvas.width - 2 * style::kMargin, s.title, s.subtitle);
  for (std::size_t i = 0; i < l.chips.size(); ++i) {
    const Chip& chip = l.chips[i];
    canvas.fill_rounded_rect(chip.box, kChipRadius, kChipColors[i % 2]);
    canvas.text(chip.box.center(), chip.text, {.size = kTokenSize, .anchor = Anchor::Middle});
    if (!chip.id.empty())
      canvas.text({chip.box.center().x, chip.box.bottom() + kIdGap}, chip.id,
                  {.size = style::kSmallSize, .color = style::kMuted, .anchor = Anchor::Middle});
  }
}

}  // namespace

void save(const TokenStrip& strip, const std::filesystem::path& path, const Provenance& provenance) {
  const Layout l = layout(strip);
  save_figure(path, l.canvas, strip.title, provenance, [&](Canvas& canvas) { draw(strip, l, canvas); });
}

}  // namespace glassbox::render
