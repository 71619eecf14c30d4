// Lesson 05: attention. Each token asks a question (its query), every earlier token offers a key and a
// value; how well a query matches each key decides how much of each value the token takes in.
#include <cmath>
#include <cstdio>

#include "lesson.h"
#include "model/capture.h"
#include "render/heatmap.h"
#include "render/heatmap_grid.h"

using namespace glassbox;

namespace {

// One head's [T, T] attention map out of attn_probs [heads, T, T].
render::Matrix head_map(const CapturedTensor& probs, int64_t head) {
  const int T = int(probs.shape[1]);
  const auto begin = probs.values.begin() + head * T * T;
  return render::Matrix(T, T, std::vector<float>(begin, begin + T * T));
}

int attention(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "05_attention", "Queries, keys, values and the attention maps they make.",
                         lesson::prompt_flag("the text to look at", "The cat sat on the mat because the cat was tired."));
  if (!l) return 0;
  const ModelFolder folder = lesson::open_model(*l);
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;
  const ModelConfig& c = model.config();
  const std::string prompt = l->args["prompt"].as<std::string>();
  const std::vector<int32_t> ids = lesson::encode(tokenizer, prompt);
  const std::vector<std::string> labels = lesson::token_labels(tokenizer, ids);
  const int64_t T = int64_t(ids.size());
  // Every head of every layer is recorded and drawn as a T x T map: at 512 tokens that is already 1 MB per
  // head and cells of 1 pixel. Refused here, before any work, rather than after minutes and gigabytes.
  constexpr int64_t kMaxTokens = 512;
  if (T > kMaxTokens)
    fail("--prompt: " + std::to_string(T) + " tokens; this lesson draws every head's attention as a T x T map, "
         "readable up to " + std::to_string(kMaxTokens) + " tokens");

  // Only what the lesson shows: the embeddings and their normed form, layer 0's q/k/v and attention scores,
  // and every layer's attention maps.
  std::vector<Site> shown{{SiteKind::embed, -1}, {SiteKind::attn_in, 0}, {SiteKind::q, 0},
                          {SiteKind::k, 0},      {SiteKind::v, 0},       {SiteKind::attn_scores, 0}};
  for (int64_t layer = 0; layer < c.n_layers; ++layer) shown.push_back({SiteKind::attn_probs, layer});
  const Capture capture = run_with_cache(model, ids, shown);

  lesson::section("1. Layer 0 starts with RMSNorm");
  // RMSNorm divides each token's vector by its root-mean-square, then scales each dimension by a learned
  // weight: every token enters attention at a comparable size. Measured on the model's own activations:
  // undoing the learned weight on attn_in.0 gives rms 1, or just under: the norm divides by
  // sqrt(mean square + rms_norm_eps), and eps matters when the embedding rows are this small.
  const CapturedTensor &embed = capture.get("embed"), &normed = capture.get("attn_in.0");
  const std::vector<float>& weight = model.layer(0).attn_norm;
  auto rms = [&](auto value) {
    double ss = 0;
    for (int64_t i = 0; i < c.hidden; ++i) ss += value(i) * value(i);
    return std::sqrt(ss / double(c.hidden));
  };
  for (int64_t t = 0; t < std::min<int64_t>(T, 4); ++t)
    std::printf("%-12s rms %.4f before the norm, %.4f after (%.4f without the learned weight)\n",
                labels[size_t(t)].c_str(), rms([&](int64_t i) { return double(embed.at(t, i)); }),
                rms([&](int64_t i) { return double(normed.at(t, i)); }),
                rms([&](int64_t i) { return double(normed.at(t, i)) / weight[size_t(i)]; }));

  lesson::section("2. Queries, keys and values");
  const CapturedTensor &q = capture.get("q.0"), &k = capture.get("k.0"), &v = capture.get("v.0");
  std::printf("q.0 [%lld, %lld] = %lld tokens x (%lld query heads x head_dim %lld)\n", (long long)q.shape[0],
              (long long)q.shape[1], (long long)T, (long long)c.n_heads, (long long)c.head_dim);
  std::printf("k.0 [%lld, %lld], v.0 [%lld, %lld] = %lld key/value heads x head_dim %lld\n", (long long)k.shape[0],
              (long long)k.shape[1], (long long)v.shape[0], (long long)v.shape[1], (long long)c.n_kv_heads,
              (long long)c.head_dim);
  std::printf("\nfirst 4 values of head 0 (before RoPE rotates q and k by position):\n");
  for (int64_t t = 0; t < std::min<int64_t>(T, 3); ++t)
    std::printf("%-12s q %+.3f %+.3f %+.3f %+.3f | k %+.3f %+.3f %+.3f %+.3f\n", labels[size_t(t)].c_str(), q.at(t, 0),
                q.at(t, 1), q.at(t, 2), q.at(t, 3), k.at(t, 0), k.at(t, 1), k.at(t, 2), k.at(t, 3));

  lesson::section("3. The causal mask");
  // A token may look at itself and the past, never the future: the model's scores (q.k / sqrt(head_dim))
  // for future keys are -inf before the softmax, so their weights come out exactly 0. Layer 0, head 0:
  const CapturedTensor& scores = capture.get("attn_scores.0");
  for (int64_t i = 0; i < std::min<int64_t>(T, 6); ++i) {
    for (int64_t j = 0; j < std::min<int64_t>(T, 6); ++j) std::printf("%8.2f", scores.at(i, j));
    std::printf("   weights:");
    for (int64_t j = 0; j < std::min<int64_t>(T, 6); ++j) std::printf(" %.2f", capture.get("attn_probs.0").at(i, j));
    std::printf("\n");
  }

  lesson::section("4. One head's attention map");
  const int64_t last_layer = c.n_layers - 1;
  const CapturedTensor& probs0 = capture.get("attn_probs.0");
  render::Heatmap map;
  map.matrix = head_map(probs0, 0);
  map.row_labels = map.col_labels = lesson::token_texts(tokenizer, ids);
  map.mask = render::causal_mask(int(T));
  map.x_label = "key (attended to)";
  map.y_label = "query (attending)";
  map.colorbar_label = "attention weight";
  map.title = "Layer 0, head 0: where each token looks";
  map.subtitle = "each row sums to 1; grey cells are the future, hidden by the causal mask";
  lesson::save(*l, map, "layer0_head0", prompt);
  std::printf("row of the last token (%s), heaviest weights:\n", labels.back().c_str());
  for (int64_t j = 0; j < T; ++j)
    if (map.matrix.at(int(T - 1), int(j)) > 0.1f)
      std::printf("  %-12s %.3f\n", labels[size_t(j)].c_str(), map.matrix.at(int(T - 1), int(j)));

  lesson::section("5. Every head of the last layer, every layer");
  render::HeatmapGrid heads;
  heads.grid_rows = 1;
  heads.grid_cols = int(c.n_heads);
  for (int64_t h = 0; h < c.n_heads; ++h) {
    heads.panels.push_back(head_map(capture.get(Site{SiteKind::attn_probs, last_layer}), h));
    heads.col_labels.push_back("head " + std::to_string(h));
  }
  heads.mask = render::causal_mask(int(T));
  heads.title = "Layer " + std::to_string(last_layer) + ": the attention map of each head";
  heads.colorbar_label = "attention weight";
  lesson::save(*l, heads, "last_layer_heads", prompt);

  render::HeatmapGrid grid = heads;
  grid.panels.clear();
  grid.row_labels.clear();
  grid.grid_rows = int(c.n_layers);
  for (int64_t layer = 0; layer < c.n_layers; ++layer) {
    grid.row_labels.push_back("layer " + std::to_string(layer));
    for (int64_t h = 0; h < c.n_heads; ++h) grid.panels.push_back(head_map(capture.get(Site{SiteKind::attn_probs, layer}), h));
  }
  grid.title = "Attention maps of every layer (rows) and head (columns)";
  lesson::save(*l, grid, "all_heads", prompt);
  std::printf("%lld layers x %lld heads = %lld maps of %lld x %lld\n", (long long)c.n_layers, (long long)c.n_heads,
              (long long)(c.n_layers * c.n_heads), (long long)T, (long long)T);

  lesson::section("6. Grouped-query attention: heads share keys and values");
  // Read from the weights themselves: q_proj has n_heads x head_dim rows, k_proj n_kv_heads x head_dim.
  const int64_t q_heads = model.layer(0).q.rows() / c.head_dim, kv_heads = model.layer(0).k.rows() / c.head_dim;
  std::printf("q_proj %lld rows / head_dim %lld = %lld query heads; k_proj %lld rows = %lld key/value heads\n",
              (long long)model.layer(0).q.rows(), (long long)c.head_dim, (long long)q_heads,
              (long long)model.layer(0).k.rows(), (long long)kv_heads);
  for (int64_t kv = 0; kv < kv_heads; ++kv) {
    std::printf("KV head %lld serves query heads", (long long)kv);
    for (int64_t h = kv * (q_heads / kv_heads); h < (kv + 1) * (q_heads / kv_heads); ++h) std::printf(" %lld", (long long)h);
    std::printf("\n");
  }
  std::printf("the KV cache is %lldx smaller than with one key/value head per query head\n", (long long)(q_heads / kv_heads));
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, attention); }
