#pragma once
// Parameter counts per group (embeddings, attention, MLP, norms, ...) as bars with K/M/B totals and
// each group's share; the subtitle states the total.
//
//   render::ParamChart p;
//   p.groups = {{"embed_tokens", 136134656}, {"attention", 55050240}, {"mlp", 313786368}};
//   p.title = "Qwen2.5-0.5B: where the parameters are";
//   render::save(p, "out/params.png", provenance);
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "render/provenance.h"

namespace glassbox::render {

struct ParamGroup {
  std::string name;
  std::uint64_t count = 0;
};

struct ParamChart {
  std::vector<ParamGroup> groups;
  std::string title, subtitle;  // "total N parameters" is appended to the subtitle
  int width_px = 800;
};

void save(const ParamChart& chart, const std::filesystem::path& path, const Provenance& provenance = {});

}  // namespace glassbox::render
