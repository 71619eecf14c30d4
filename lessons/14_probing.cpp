// Lesson 14: linear probes. Which layer knows whether a sentence comes from the Bible or from a dictionary?
// Record one activation per sentence and layer, fit a logistic regression on most sentences, and test it on the
// rest: a layer "knows" the label when a straight line through its activations separates the two kinds.
#include <algorithm>
#include <cstdio>
#include <random>

#include "eval/jsonl.h"
#include "eval/probe.h"
#include "lesson.h"
#include "render/line_chart.h"

using namespace glassbox;

namespace {

// The mean over several reports of each layer's test accuracy and of the baseline.
ProbeReport average(const std::vector<ProbeReport>& reports) {
  ProbeReport mean = reports.front();
  for (size_t i = 0; i < mean.layers.size(); ++i) {
    mean.layers[i].test_accuracy = 0;
    for (const ProbeReport& r : reports) mean.layers[i].test_accuracy += r.layers[i].test_accuracy / double(reports.size());
  }
  mean.baseline = 0;
  for (const ProbeReport& r : reports) mean.baseline += r.baseline / double(reports.size());
  return mean;
}

int probing(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "14_probing", "Which layer knows the label? Linear probes per layer.",
                         [](cxxopts::Options& o) {
                           o.add_options()("data", "JSONL file of {\"text\", \"label\"}",
                                           cxxopts::value<std::string>()->default_value(GLASSBOX_LESSON_DATA "/bible_or_dictionary.jsonl"));
                         });
  if (!l) return 0;
  const ModelFolder folder = lesson::open_model(*l);
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;
  const std::string path = l->args["data"].as<std::string>();

  lesson::section("1. The data");
  const ProbeData data = read_probe_data(path, model, tokenizer);
  const std::vector<JsonlRecord> records = read_jsonl(path);
  for (size_t i = 0; i < 4 && i < records.size(); ++i)
    std::printf("%-10s %s\n", records[i].string_or_integer("label").c_str(), records[i].string("text").c_str());
  std::printf("... %zu sentences; every one ends in \".\", so at the last token they all look alike\n", data.ids.size());

  lesson::section("2. One probe per layer, at the last token and over the mean of the tokens");
  // resid_post is the residual stream after each layer; "embed" is the stream before the first.
  ProbeOptions last, mean;
  mean.position = ProbePosition::Mean;
  // The control: the same sentences with their labels shuffled (five ways). Nothing in a sentence predicts
  // such a label, so accuracy above the baseline would be the probe memorizing, not the model knowing. The
  // activations are recorded once and probed for every labeling.
  constexpr int kShuffles = 5;
  std::vector<std::vector<int>> labelings = {data.labels};
  for (int seed = 1; seed <= kShuffles; ++seed) {
    labelings.push_back(data.labels);
    std::shuffle(labelings.back().begin(), labelings.back().end(), std::mt19937_64(uint64_t(seed)));
  }
  std::vector<ProbeReport> at_last_all = run_probes(model, data, labelings, last);
  const ProbeReport at_last = at_last_all.front(), at_mean = run_probes(model, data, mean);
  const ProbeReport control = average(std::vector<ProbeReport>(at_last_all.begin() + 1, at_last_all.end()));
  std::printf("%lld training and %lld test sentences (a seeded split); majority baseline %.0f%%\n\n",
              (long long)at_last.train, (long long)at_last.test, 100 * at_last.baseline);
  std::printf("| layer | last token | mean of tokens | shuffled labels |\n|-------|------------|----------------|-----------------|\n");
  for (size_t i = 0; i < at_last.layers.size(); ++i) {
    const int layer = at_last.layers[i].layer;
    std::printf("| %5s | %9.0f%% | %13.0f%% | %14.0f%% |\n", layer < 0 ? "embed" : std::to_string(layer).c_str(),
                100 * at_last.layers[i].test_accuracy, 100 * at_mean.layers[i].test_accuracy,
                100 * control.layers[i].test_accuracy);
  }
  double control_mean = 0;
  for (const LayerProbe& p : control.layers) control_mean += p.test_accuracy / double(control.layers.size());
  std::printf("\nshuffled labels (mean of %d shuffles, last token): %.0f%% over the layers; their majority baseline %.0f%%\n",
              kShuffles, 100 * control_mean, 100 * control.baseline);

  render::LineChart chart;
  const std::vector<std::pair<std::string, const ProbeReport*>> lines = {
      {"last token", &at_last}, {"mean of tokens", &at_mean}, {"shuffled labels", &control}};
  for (const auto& [name, report] : lines) {
    render::Series s{name, {}, {}};
    for (const LayerProbe& p : report->layers) s.x.push_back(p.layer), s.y.push_back(p.test_accuracy);
    chart.series.push_back(s);
  }
  chart.series.push_back({"majority baseline", chart.series[0].x, std::vector<double>(chart.series[0].x.size(), at_last.baseline)});
  chart.title = "Which layer knows Bible from dictionary? Probe test accuracy";
  chart.subtitle = "Logistic regression on resid_post; layer -1 is the embedding; shuffled labels: 5 shuffles, last token";
  chart.x_label = "layer";
  chart.y_label = "test accuracy";
  lesson::save(*l, chart, "accuracy");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, probing); }
