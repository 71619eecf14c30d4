// `glassbox render-demo --out DIR`: every figure type from synthetic data, as PNG and SVG, to check the
// renderer and to see what the figures look like.
#include <cxxopts.hpp>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "render/demo.h"
#include "session/options.h"

namespace glassbox::cli {

int run_render_demo(int argc, char** argv) {
  auto options = make_options("render-demo", "Write every figure type, as PNG and SVG, from synthetic data");
  options.add_options()("out", "output directory", cxxopts::value<std::string>()->default_value("out/render-demo"));
  const auto parsed = parse_options(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "glassbox ") + std::string(argv[i]);
  render::Provenance provenance;
  provenance.command_line = command_line;
  for (const auto& path : render::write_demo_figures(args["out"].as<std::string>(), provenance))
    std::printf("%s\n", path.string().c_str());
  return 0;
}

}  // namespace glassbox::cli
