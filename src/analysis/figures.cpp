#include "analysis/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "base/visible_text.h"

namespace glassbox {
namespace {

std::vector<std::string> numbered(const std::string& what, int64_t n) {
  std::vector<std::string> labels;
  for (int64_t i = 0; i < n; ++i) labels.push_back(what + " " + std::to_string(i));
  return labels;
}

std::vector<std::string> visible(const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  for (const std::string& t : tokens) out.push_back(visible_token(t));
  return out;
}

// Layers down, heads across: the frame of every per-head figure.
render::Heatmap layer_by_head(int64_t layers, int64_t heads, std::vector<float> values) {
  render::Heatmap h;
  h.matrix = render::Matrix(int(layers), int(heads), std::move(values));
  h.row_labels = numbered("layer", layers);
  h.col_labels = numbered("head", heads);
  h.labels_are_tokens = false;
  h.show_values = true;  // drawn where cells are wide enough (small models)
  return h;
}

}  // namespace

render::Heatmap lens_heatmap(const LensGrid& g, const std::vector<std::string>& input_tokens, const TokenText& text) {
  if (int64_t(input_tokens.size()) != g.positions) fail("lens figure: one input token per position is needed");
  render::Heatmap h;
  h.matrix = render::Matrix(int(g.layers), int(g.positions), g.top_prob);
  for (int32_t id : g.top_id) h.cell_labels.push_back(visible_token(text(id)));
  h.row_labels = numbered("layer", g.layers);
  h.row_labels.back() += " = output";
  h.col_labels = visible(input_tokens);
  h.labels_are_tokens = false;  // made visible above; "layer 0" keeps its space
  h.vmin = 0;
  h.vmax = 1;
  h.x_label = "input token at each position";
  h.colorbar_label = "probability";
  h.title = "Logit lens: the next token each layer would predict";
  h.subtitle = "cell: the most likely next token when layer L's residual is unembedded, coloured by its probability";
  return h;
}

render::LineChart lens_target_chart(const LensGrid& g, int64_t position, LensMeasure measure,
                                    const std::string& target_text, const std::string& position_token) {
  if (g.target < 0) fail("lens chart: no target token");
  if (position < 0 || position >= g.positions) fail("lens chart: position outside the prompt");
  render::Series target{"'" + visible_token(target_text) + "'", {}, {}}, top{"the layer's top token", {}, {}};
  for (int64_t l = 0; l < g.layers; ++l) {
    const size_t cell = g.at(l, position);
    target.x.push_back(double(l));
    target.y.push_back(measure == LensMeasure::rank ? double(g.target_rank[cell]) : double(g.target_prob[cell]));
    top.x.push_back(double(l));
    top.y.push_back(double(g.top_prob[cell]));
  }
  render::LineChart c;
  c.series.push_back(std::move(target));
  if (measure == LensMeasure::probability) c.series.push_back(std::move(top));  // how sure each layer is of anything
  c.markers = true;
  c.x_label = "layer";
  c.log_y = measure == LensMeasure::rank;
  c.y_label = c.log_y ? "rank among all tokens (1 = first choice; log scale)" : "probability";
  c.title = std::string(c.log_y ? "Rank" : "Probability") + " of '" + visible_token(target_text) + "' through the layers";
  c.subtitle = "logit lens at position " + std::to_string(position) + " (input token '" + visible_token(position_token) +
               "'); the last layer is the model's output";
  return c;
}

const char* head_score_name(HeadScore score) {
  switch (score) {
    case HeadScore::previous_token: return "previous_token";
    case HeadScore::first_token: return "first_token";
    case HeadScore::duplicate: return "duplicate";
    case HeadScore::induction: return "induction";
  }
  return "";
}

std::optional<double> head_score(const HeadScores& head, HeadScore score) {
  switch (score) {
    case HeadScore::previous_token: return head.previous_token;
    case HeadScore::first_token: return head.first_token;
    case HeadScore::duplicate: return head.duplicate;
    case HeadScore::induction: return head.induction;
  }
  return std::nullopt;
}

render::Heatmap head_score_heatmap(const std::vector<HeadScores>& census, HeadScore score, int64_t layers, int64_t heads) {
  static const char* const kMeaning[] = {
      "attention from each position to the one before it",
      "attention from each position to position 0",
      "attention to the earlier copy of the current token",
      "attention to the token after the earlier copy (what comes next)"};
  std::vector<float> values;
  for (const HeadScores& h : census) {
    const std::optional<double> v = head_score(h, score);
    if (!v) fail(std::string("heads figure: no ") + head_score_name(score) + " score without a period");
    values.push_back(float(*v));
  }
  render::Heatmap h = layer_by_head(layers, heads, std::move(values));
  h.vmin = 0;
  h.vmax = 1;  // one scale for every score: 1 = the head does only this
  std::string name = head_score_name(score);
  std::replace(name.begin(), name.end(), '_', '-');
  h.title = "Head census: " + name + " score";
  h.subtitle = kMeaning[int(score)];
  h.colorbar_label = name + " score";
  return h;
}

render::Heatmap ablation_heatmap(const AblationSweep& sweep, const std::string& objective_name) {
  render::Heatmap h = layer_by_head(sweep.layers, sweep.heads, std::vector<float>(sweep.change.begin(), sweep.change.end()));
  h.colormap = render::Colormap::Diverging;
  char baseline[64];
  std::snprintf(baseline, sizeof baseline, "%.3f", sweep.baseline);
  h.title = "Ablating one head at a time: change of the " + objective_name;
  h.subtitle = std::string("each cell: the value with that head's output removed minus ") + baseline +
               " with every head; red = higher without the head";
  h.colorbar_label = "change";
  return h;
}

render::Heatmap patch_heatmap(const PatchSweep& sweep, const std::vector<std::string>& clean_tokens,
                              const std::vector<std::string>& corrupt_tokens, const std::string& target_text,
                              const std::string& wrong_text) {
  if (int64_t(clean_tokens.size()) != sweep.positions || corrupt_tokens.size() != clean_tokens.size())
    fail("patch figure: one clean and one corrupt token per position are needed");
  render::Heatmap h;
  h.matrix = render::Matrix(int(sweep.layers), int(sweep.positions),
                            std::vector<float>(sweep.restored.begin(), sweep.restored.end()));
  h.row_labels = numbered("layer", sweep.layers);
  for (size_t p = 0; p < clean_tokens.size(); ++p)
    h.col_labels.push_back(clean_tokens[p] == corrupt_tokens[p]
                               ? visible_token(clean_tokens[p])
                               : visible_token(clean_tokens[p]) + " / " + visible_token(corrupt_tokens[p]));
  h.labels_are_tokens = false;
  h.colormap = render::Colormap::Diverging;
  double largest = 1;
  for (double v : sweep.restored) largest = std::max(largest, std::fabs(v));
  h.vmin = -largest;
  h.vmax = largest;
  h.show_values = true;
  h.x_label = "position (clean token / corrupt token where they differ)";
  h.title = std::string("Activation patching: ") + kind_name(sweep.kind) + " from the clean run into the corrupt run";
  h.subtitle = "share of logit('" + visible_token(target_text) + "') - logit('" + visible_token(wrong_text) +
               "') restored by patching one layer at one position";
  h.colorbar_label = "restored (0: corrupt, 1: clean)";
  return h;
}

}  // namespace glassbox
