#pragma once
// Horizontal bars, largest first as given, each with its label and printed value; one bar can be
// highlighted (the chosen next token in a top-k figure).
//
//   render::BarChart b;
//   b.labels = {" Paris", " the", " a"};
//   b.values = {0.61, 0.07, 0.04};
//   b.highlight = 0;
//   b.title = "Next-token probabilities after \"The capital of France is\"";
//   render::save(b, "out/topk.png", provenance);
#include <filesystem>
#include <string>
#include <vector>

#include "render/provenance.h"

namespace glassbox::render {

enum class ValueFormat {
  Probability,  // "61.0%"
  Number,       // "0.61"
  Count,        // "494M"
};

struct BarChart {
  std::vector<std::string> labels;
  std::vector<double> values;  // finite, >= 0
  int highlight = -1;          // index of the highlighted bar; -1 for none
  std::string title, subtitle;
  ValueFormat format = ValueFormat::Probability;
  bool show_share = false;         // also print each value's percentage of the total
  bool labels_are_tokens = true;   // show whitespace and raw bytes in labels visibly
  int width_px = 800;
};

// Fails on no bars, labels and values of different lengths, or a negative or non-finite value.
void save(const BarChart& chart, const std::filesystem::path& path, const Provenance& provenance = {});

}  // namespace glassbox::render
