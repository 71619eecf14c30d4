#pragma once
// A tree drawn left to right: each node a chip with its label, each edge carrying a value (a probability),
// and named paths through the tree highlighted in their own colours with a legend (greedy, beam, ...).
//
//   render::TreeChart t;
//   t.nodes = {{-1, "prompt", 0}, {0, " cat", 0.6}, {0, " dog", 0.3}, {1, " sat", 0.9}};
//   t.paths = {{"greedy", {0, 1, 3}}};
//   t.title = "Decoding tree";
//   render::save(t, "out/tree.png", provenance);
#include <filesystem>
#include <string>
#include <vector>

#include "render/provenance.h"

namespace glassbox::render {

struct TreeChartNode {
  int parent = -1;        // -1 for the root, nodes[0]; otherwise an earlier node
  std::string label;      // a token's bytes (made visible) unless labels_are_tokens is false; the root's is plain text
  double edge_value = 0;  // on the edge from the parent: a probability in [0, 1], printed as a percentage
};

struct TreeChartPath {
  std::string name;        // in the legend
  std::vector<int> nodes;  // each node a child of the one before
};

struct TreeChart {
  std::vector<TreeChartNode> nodes;
  std::vector<TreeChartPath> paths;  // drawn in the series colours, in order
  std::string title, subtitle;
  bool labels_are_tokens = true;
};

// One row per leaf: more leaves than this would not fit a figure's height.
inline constexpr int kMaxTreeLeaves = 1200;

// Fails on no nodes, a parent that is not an earlier node, a value outside [0, 1], a path that is empty or not
// a chain of parent and child, or more than kMaxTreeLeaves leaves.
void save(const TreeChart& chart, const std::filesystem::path& path, const Provenance& provenance = {});

}  // namespace glassbox::render
