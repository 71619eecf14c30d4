// Lesson 03: embeddings. The first thing a model does with a token id is look up one row of a big table:
// that row is the token's vector. The same id always gets the same row; only the layers above make a
// token's vector depend on its neighbours.
#include <cmath>
#include <cstdio>

#include "lesson.h"
#include "base/error.h"
#include "model/model.h"
#include "render/heatmap.h"
#include "render/vector_strip.h"

using namespace glassbox;

namespace {

std::vector<float> embedding_row(const Model& model, int32_t id) {
  std::vector<float> row(size_t(model.config().hidden));
  model.embedding().dequantize_row(id, row.data());
  return row;
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) dot += double(a[i]) * b[i], na += double(a[i]) * a[i], nb += double(b[i]) * b[i];
  return dot / std::sqrt(na * nb);
}

// Runs the sentence and returns the residual stream after `layer` at every position.
CapturedTensor residual(const Model& model, const std::vector<int32_t>& ids, int64_t layer) {
  const std::string name = "resid_post." + std::to_string(layer);
  Capture capture({name});
  KVCache cache = model.new_cache(int64_t(ids.size()));
  model.forward(ids, cache, &capture);
  return capture.get(name);
}

int embeddings(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "03_embeddings", "Token ids become vectors.");
  if (!l) return 0;
  const ModelFolder folder = lesson::open_model(*l);
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;
  const int64_t hidden = model.config().hidden;

  lesson::section("1. The embedding table");
  std::printf("one row per token id, one column per hidden dimension: [%lld, %lld] stored as %s\n",
              (long long)model.config().vocab, (long long)hidden, model.embedding().format_name().c_str());

  lesson::section("2. The rows of a sentence's tokens");
  const std::string sentence = "The cat sat on the mat.";
  const std::vector<int32_t> ids = lesson::encode(tokenizer, sentence);
  const std::vector<std::string> labels = lesson::token_labels(tokenizer, ids);
  render::VectorStrip strip;
  strip.vectors = render::Matrix(int(ids.size()), int(hidden));
  for (size_t t = 0; t < ids.size(); ++t) {
    const std::vector<float> row = embedding_row(model, ids[t]);
    std::copy(row.begin(), row.end(), strip.vectors.values.begin() + long(t * size_t(hidden)));
    std::printf("%-12s id %6d:", labels[t].c_str(), ids[t]);
    for (int i = 0; i < std::min<int>(10, int(hidden)); ++i) std::printf(" %+.4f", row[size_t(i)]);
    std::printf(" ...\n");
  }
  strip.labels = lesson::token_texts(tokenizer, ids);
  strip.title = "Embedding rows of \"" + sentence + "\"";
  strip.colorbar_label = "value";
  lesson::save(*l, strip, "embedding_rows", sentence);

  lesson::section("3. Same token, same row; different context, different residual");
  // " cat" appears in both sentences. Its embedding rows are the same row of the table, so they differ
  // by exactly 0. After a few layers, attention has mixed in the neighbours and the vectors differ.
  const std::string other = "A cat is a small animal.";
  const std::vector<int32_t> ids2 = lesson::encode(tokenizer, other);
  // The first ordinary token the two sentences share (" cat" with most tokenizers).
  long pos1 = 0, pos2 = -1;
  for (; pos1 < long(ids.size()) && pos2 < 0; ++pos1) {
    if (tokenizer.is_special(ids[size_t(pos1)])) continue;
    const auto it = std::find(ids2.begin(), ids2.end(), ids[size_t(pos1)]);
    if (it != ids2.end()) pos2 = long(it - ids2.begin());
  }
  --pos1;
  if (pos2 < 0) fail("the two sentences share no token with this tokenizer");
  const int32_t shared = ids[size_t(pos1)];
  const std::vector<float> a = embedding_row(model, shared), b = embedding_row(model, ids2[size_t(pos2)]);
  double max_diff = 0;
  for (size_t i = 0; i < a.size(); ++i) max_diff = std::max(max_diff, double(std::fabs(a[i] - b[i])));
  std::printf("token \"%s\" (id %d) at position %ld of \"%s\" and %ld of \"%s\"\n", tokenizer.display(shared).c_str(),
              shared, pos1, sentence.c_str(), pos2, other.c_str());
  std::printf("embedding rows: max |difference| = %g\n", max_diff);
  for (int64_t layer = 0; layer < model.config().n_layers; ++layer) {
    const CapturedTensor r1 = residual(model, ids, layer), r2 = residual(model, ids2, layer);
    const std::vector<float> v1(r1.values.begin() + pos1 * hidden, r1.values.begin() + (pos1 + 1) * hidden);
    const std::vector<float> v2(r2.values.begin() + pos2 * hidden, r2.values.begin() + (pos2 + 1) * hidden);
    double diff = 0;
    for (size_t i = 0; i < v1.size(); ++i) diff = std::max(diff, double(std::fabs(v1[i] - v2[i])));
    std::printf("residual after layer %lld: max |difference| = %.4f, cosine similarity %.4f\n", (long long)layer, diff,
                cosine(v1, v2));
  }

  lesson::section("4. Which words have similar vectors?");
  const std::vector<std::string> words = {" king", " queen", " man", " woman", " cat", " dog", " red", " blue"};
  std::vector<std::vector<float>> rows;
  std::vector<std::string> word_labels;
  for (const std::string& w : words) {
    const std::vector<int32_t> w_ids = tokenizer.encode(w);  // a word may take several tokens: use the first
    rows.push_back(embedding_row(model, w_ids.front()));
    word_labels.push_back(w.substr(1) + (w_ids.size() > 1 ? "*" : ""));
  }
  render::Heatmap sim;
  sim.matrix = render::Matrix(int(words.size()), int(words.size()));
  std::printf("%8s", "");
  for (const auto& w : word_labels) std::printf("%8s", w.c_str());
  std::printf("\n");
  for (size_t i = 0; i < words.size(); ++i) {
    std::printf("%8s", word_labels[i].c_str());
    for (size_t j = 0; j < words.size(); ++j) {
      sim.matrix.at(int(i), int(j)) = float(cosine(rows[i], rows[j]));
      std::printf("%8.3f", sim.matrix.at(int(i), int(j)));
    }
    std::printf("\n");
  }
  std::printf("(* = the word takes several tokens; its first token is compared)\n");
  sim.row_labels = sim.col_labels = word_labels;
  sim.labels_are_tokens = false;
  sim.colormap = render::Colormap::Diverging;
  sim.vmin = -1;
  sim.vmax = 1;
  sim.title = "Cosine similarity of embedding rows";
  sim.colorbar_label = "cosine similarity";
  lesson::save(*l, sim, "similarity");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, embeddings); }
