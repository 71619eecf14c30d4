#pragma once
// Linear probes: "which layer knows this?". For every layer, a logistic-regression classifier is fitted on
// one activation site (resid_post, ...) at the last position or averaged over positions, trained on a seeded
// split of the data and scored on the rest, against the majority-class baseline.
//
// Activations are streamed: each pass over the data hooks only a group of layers, each hook reducing its
// activation to one vector per sample as the forward pass goes by; the pass then fits those layers' probes and
// frees them, so memory is bounded by a budget whatever the model's depth and the texts' length (an 8B model
// with many samples makes several passes; a small one, one).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "eval/logistic_regression.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace glassbox {

struct ProbeData {
  std::vector<std::vector<int32_t>> ids;  // per sample
  std::vector<int> labels;                // per sample, an index into label_names
  std::vector<std::string> label_names;   // sorted
};

// {"text" or "messages", "label"} per line; two or more distinct labels. A "text" is encoded as plain text
// (with the tokenizer's BOS, if it adds one), "messages" through the chat template.
ProbeData read_probe_data(const std::filesystem::path& path, const Model& model, const Tokenizer& tokenizer);

struct Split {
  std::vector<int> train, test;  // sample indices
};

// A shuffle of 0..n-1 by our own Fisher-Yates over mt19937_64(seed), identical on every platform; the first
// round(n * test_fraction) indices are the test set.
Split seeded_split(int64_t n, double test_fraction, uint64_t seed);

enum class ProbePosition { Last, Mean };

struct ProbeOptions {
  std::string site = "resid_post";  // any per-layer site kind with one vector per position (model/site.h)
  ProbePosition position = ProbePosition::Last;
  double test_fraction = 0.25;
  uint64_t seed = 0;
  LogisticOptions logistic;
  int64_t memory_budget_bytes = int64_t(256) << 20;  // reduced activations held at once
};

struct LayerProbe {
  int layer = 0;  // -1: the embedding (probed with resid_post, as the residual stream before layer 0)
  double train_accuracy = 0, test_accuracy = 0;
  int iterations = 0;
  bool converged = false;
};

struct ProbeReport {
  std::vector<LayerProbe> layers;
  int64_t train = 0, test = 0;
  int baseline_label = 0;     // the most frequent label of the training set
  double baseline = 0;        // test accuracy of always answering it
  int layers_per_pass = 0, passes = 0;  // activations (the embedding counts as one) recorded per pass
};

// The width of a site kind's activation, or an error naming --site for one that is unknown, not per layer, or
// an attention pattern.
int64_t site_width(const ModelConfig& config, const std::string& site);

// `on_sample(done, total)` is called after each forward pass, for progress bars.
ProbeReport run_probes(const Model& model, const ProbeData& data, const ProbeOptions& options,
                       const std::function<void(int64_t, int64_t)>& on_sample = {});

// The same for several labelings of the same texts (the data's own labels, shuffled controls, ...), each
// activation recorded once for all of them; one report per labeling, in order.
std::vector<ProbeReport> run_probes(const Model& model, const ProbeData& data,
                                    const std::vector<std::vector<int>>& labelings, const ProbeOptions& options,
                                    const std::function<void(int64_t, int64_t)>& on_sample = {});

}  // namespace glassbox
