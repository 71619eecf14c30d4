#pragma once
// Distinct colours for categorical series, in the order series are drawn.
#include <cstddef>

#include "render/colormap.h"

namespace glassbox::render {

inline Rgb series_color(std::size_t i) {
  static constexpr std::uint32_t kColors[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                              0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
  return Rgb::hex(kColors[i % (sizeof kColors / sizeof kColors[0])]);
}

}  // namespace glassbox::render
