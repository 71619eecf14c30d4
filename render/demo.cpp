#include "render/demo.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "render/bar_chart.h"
#include "render/heatmap.h"
#include "render/heatmap_grid.h"
#include "render/histogram.h"
#include "render/line_chart.h"
#include "render/param_chart.h"
#include "render/token_strip.h"
#include "render/vector_strip.h"

namespace glassbox::render {
namespace {

// A fixed-seed generator of our own, so the demo draws the same figures on every platform.
class Random {
 public:
  double uniform() {  // [0, 1)
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return double(state_ >> 11) / double(1ull << 53);
  }
  double normal() {  // Box-Muller
    const double u = 1 - uniform(), v = uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * v);
  }

 private:
  std::uint64_t state_ = 0x9e3779b97f4a7c15ull;
};

const std::vector<std::string> kTokens = {"<s>",  "The",   " quick", " brown", " fox",   " jumps", " over",
                                          " the", " lazy", " dog",   ".",      "\n",     "It",     " was",
                                          " not", " at",   " all",   "\t",     "amused", "!"};

// Causal attention weights: a sink on the first token, a pull towards recent tokens, and noise; each row
// is a softmax over the visible positions.
Matrix attention(int n, double sink, double recency, Random& rng) {
  Matrix m(n, n);
  for (int q = 0; q < n; ++q) {
    double sum = 0;
    for (int k = 0; k <= q; ++k) {
      const double logit = (k == 0 ? sink : 0) - recency * (q - k) + 0.6 * rng.normal();
      m.at(q, k) = float(std::exp(logit));
      sum += m.at(q, k);
    }
    for (int k = 0; k <= q; ++k) m.at(q, k) = float(m.at(q, k) / sum);
  }
  return m;
}

template <typename Figure>
void save_both(const Figure& f, const std::filesystem::path& dir, const std::string& name,
               const Provenance& provenance, std::vector<std::filesystem::path>& written) {
  for (const char* ext : {".png", ".svg"}) {
    const std::filesystem::path p = dir / (name + ext);
    save(f, p, provenance);
    written.push_back(p);
  }
}

}  // namespace

std::vector<std::filesystem::path> write_demo_figures(const std::filesystem::path& dir,
                                                      const Provenance& provenance) {
  std::vector<std::filesystem::path> written;
  Random rng;
  const int n = int(kTokens.size());

  Heatmap attn;
  attn.matrix = attention(n, 2.5, 0.35, rng);
  attn.row_labels = attn.col_labels = kTokens;
  attn.mask = causal_mask(n);
  attn.title = "Attention weights, layer 3 head 5 (synthetic)";
  attn.subtitle = "Each row is a query token's distribution over the tokens it can see";
  attn.x_label = "key token";
  attn.y_label = "query token";
  attn.colorbar_label = "attention weight";
  attn.vmin = 0;  // weights are probabilities: the scale starts at zero, not at the smallest weight
  save_both(attn, dir, "heatmap", provenance, written);

  Heatmap small;
  const std::vector<std::string> few(kTokens.begin(), kTokens.begin() + 8);
  small.matrix = attention(int(few.size()), 1.5, 0.5, rng);
  small.row_labels = small.col_labels = few;
  small.mask = causal_mask(int(few.size()));
  small.show_values = true;
  small.vmin = 0;
  small.title = "Attention weights with values, 8 tokens (synthetic)";
  small.x_label = "key token";
  small.y_label = "query token";
  small.colorbar_label = "attention weight";
  save_both(small, dir, "heatmap_values", provenance, written);

  Heatmap log_attn = attn;
  log_attn.vmin.reset();
  log_attn.scale = ScaleKind::Log;
  log_attn.colormap = Colormap::Magma;
  log_attn.title = "Attention weights on a log scale (synthetic)";
  log_attn.subtitle = "Small weights become visible; grey cells are future positions";
  save_both(log_attn, dir, "heatmap_log", provenance, written);

  Heatmap diff = attn;
  const Matrix other = attention(n, 0.5, 0.8, rng);
  for (std::size_t i = 0; i < diff.matrix.values.size(); ++i) diff.matrix.values[i] -= other.values[i];
  diff.vmin.reset();
  diff.colormap = Colormap::Diverging;
  diff.title = "Difference between two heads' attention (synthetic)";
  diff.subtitle = "Red: head 5 attends more; blue: head 2 attends more";
  diff.colorbar_label = "weight difference";
  save_both(diff, dir, "heatmap_signed", provenance, written);

  HeatmapGrid grid;
  grid.grid_rows = 4;
  grid.grid_cols = 6;
  const int m = 12;
  for (int layer = 0; layer < grid.grid_rows; ++layer) {
    grid.row_labels.push_back("layer " + std::to_string(layer));
    for (int head = 0; head < grid.grid_cols; ++head)
      grid.panels.push_back(attention(m, 0.5 + 0.8 * head, 0.15 * (layer + 1) + 0.1 * head, rng));
  }
  for (int head = 0; head < grid.grid_cols; ++head) grid.col_labels.push_back("head " + std::to_string(head));
  grid.mask = causal_mask(m);
  grid.title = "Attention patterns per layer and head (synthetic)";
  grid.subtitle = "12 tokens; one colour scale for all panels";
  grid.colorbar_label = "attention weight";
  grid.vmin = 0;
  save_both(grid, dir, "heatmap_grid", provenance, written);

  TokenStrip strip;
  const std::vector<std::string> pieces = {
      "The", " quick", " brown", " fox", "\n", "\t", "def", " main", "():", "  ", "return", " 42",
      "\xE4\xBD", "\xA0", "你好", "世界", " 🙂", " naïve", " café", "<|endoftext|>", "", " supercalifragilistic"};
  for (std::size_t i = 0; i < pieces.size(); ++i) strip.tokens.push_back({pieces[i], int(1000 + 37 * i)});
  strip.title = "How a prompt is split into tokens (synthetic)";
  strip.subtitle = "␣ space, ↵ newline, ⇥ tab, <E4 BD> bytes of an incomplete character, ∅ empty";
  save_both(strip, dir, "token_strip", provenance, written);

  BarChart topk;
  topk.labels = {" Paris", " the", " a", " located", " France", " Lyon", " one", " known", " not", " called"};
  topk.values = {0.612, 0.081, 0.052, 0.041, 0.029, 0.018, 0.012, 0.009, 0.007, 0.004};
  topk.highlight = 0;
  topk.title = "Next-token probabilities (synthetic)";
  topk.subtitle = "After \"The capital of France is\"; the sampled token is highlighted";
  save_both(topk, dir, "topk", provenance, written);

  ParamChart params;
  params.groups = {{"embed_tokens", 136134656}, {"attention (24 layers)", 44040192},
                   {"mlp (24 layers)", 313786368}, {"norms", 1152}, {"lm_head (tied)", 0}};
  params.title = "Parameters per weight group (synthetic)";
  save_both(params, dir, "params", provenance, written);

  LineChart lines;
  for (const char* name : {"residual norm", "attention output", "MLP output"}) {
    Series s{name, {}, {}};
    const double scale = lines.series.empty() ? 4 : lines.series.size() == 1 ? 1.2 : 2.0;
    for (int layer = 0; layer < 24; ++layer)
      s.y.push_back(scale * (1 + 0.15 * layer) + 0.3 * rng.normal() + (layer == 23 ? 3 * scale : 0));
    lines.series.push_back(std::move(s));
  }
  lines.title = "Activation norms by layer (synthetic)";
  lines.subtitle = "Mean L2 norm over the prompt's tokens";
  lines.x_label = "layer";
  lines.y_label = "L2 norm";
  save_both(lines, dir, "line_chart", provenance, written);

  Histogram hist;
  for (int i = 0; i < 5000; ++i) hist.values.push_back(rng.normal() * (i % 10 == 0 ? 3 : 1));
  hist.title = "Distribution of MLP activations (synthetic)";
  hist.x_label = "activation";
  save_both(hist, dir, "histogram", provenance, written);

  VectorStrip vectors;
  const int dims = 16;
  vectors.vectors = Matrix(6, dims);
  for (int r = 0; r < 6; ++r) {
    vectors.labels.push_back(kTokens[std::size_t(r + 1)]);
    for (int c = 0; c < dims; ++c) vectors.vectors.at(r, c) = float(0.5 * rng.normal());
  }
  vectors.title = "Embedding rows of six tokens, first 16 dimensions (synthetic)";
  vectors.colorbar_label = "value";
  save_both(vectors, dir, "vector_strip", provenance, written);
  return written;
}

}  // namespace glassbox::render
