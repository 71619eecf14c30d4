#pragma once
// Every figure type drawn from synthetic data, in PNG and SVG: the `glassbox render-demo` command and
// the renderer's own end-to-end test.
#include <filesystem>
#include <vector>

#include "render/provenance.h"

namespace glassbox::render {

// Writes <dir>/<figure>.png and <dir>/<figure>.svg for every figure type; returns the paths written.
std::vector<std::filesystem::path> write_demo_figures(const std::filesystem::path& dir,
                                                      const Provenance& provenance);

}  // namespace glassbox::render
