// glassbox probe: one logistic-regression probe per layer on an activation site, trained on a seeded split of
// labelled texts and scored on the rest against the majority baseline: which layer knows the label?
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "core/memory.h"
#include "eval/probe.h"
#include "render/line_chart.h"
#include "session/model_folder.h"
#include "session/options.h"

namespace glassbox::cli {

int run_probe(int argc, char** argv) {
  auto options = make_options("probe", "Per-layer logistic-regression probes on a model's activations.");
  add_model_option(options);
  options.add_options()
      ("data", "JSONL file: {\"text\" or \"messages\", \"label\"} per line, two or more labels", cxxopts::value<std::string>())
      ("site", "activation kind: resid_post, resid_mid, attn_out, mlp_out, z, q, ... (one vector per position)", cxxopts::value<std::string>()->default_value("resid_post"))
      ("position", "last (the last token's activation) or mean (averaged over the tokens)", cxxopts::value<std::string>()->default_value("last"))
      ("test-fraction", "share of the samples held out for testing", cxxopts::value<std::string>()->default_value("0.25"))
      ("seed", "seed of the shuffle that splits train and test", cxxopts::value<std::string>()->default_value("0"))
      ("l2", "L2 penalty: ½·l2·‖W‖² plus the summed cross-entropy (scikit-learn's 1/C)", cxxopts::value<std::string>()->default_value("1"))
      ("memory-mb", "reduced activations held at once; more layers per pass over the data when larger", cxxopts::value<std::string>()->default_value("256"))
      ("figure", "accuracy-by-layer figure, .png or .svg", cxxopts::value<std::string>()->default_value("probe.png"))
      ("json", "print the results as JSON");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  if (!args->count("data")) fail("--data: no data file given");
  ProbeOptions po;
  po.site = (*args)["site"].as<std::string>();
  const std::string position = (*args)["position"].as<std::string>();
  if (position != "last" && position != "mean") fail("--position must be last or mean, got '" + position + "'");
  po.position = position == "last" ? ProbePosition::Last : ProbePosition::Mean;
  po.test_fraction = flag<double>(*args, "test-fraction");
  if (!(po.test_fraction > 0 && po.test_fraction < 1)) fail("--test-fraction must be between 0 and 1");
  po.seed = flag<uint64_t>(*args, "seed");
  po.logistic.l2 = flag<double>(*args, "l2");
  if (!(po.logistic.l2 > 0) || !std::isfinite(po.logistic.l2)) fail("--l2 must be a positive number");
  const int64_t memory_mb = flag<int64_t>(*args, "memory-mb");
  if (memory_mb < 1 || memory_mb > (int64_t(1) << 30)) fail("--memory-mb must be between 1 and 2^30");
  po.memory_budget_bytes = memory_mb << 20;

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  site_width(model.config(), po.site);  // an unknown --site fails before the data is read
  const std::filesystem::path dir = model.config().dir;
  const Tokenizer& tokenizer = folder.require_tokenizer("--data");
  const std::string data_path = (*args)["data"].as<std::string>();
  const ProbeData data = read_probe_data(data_path, model, tokenizer);

  ProbeReport report;
  {
    ProgressBar bar("probe");
    report = run_probes(model, data, po, [&](int64_t done, int64_t total) { bar.update(done, total); });
  }
  const LayerProbe* best = &report.layers.front();
  for (const LayerProbe& l : report.layers)
    if (l.test_accuracy > best->test_accuracy) best = &l;

  render::LineChart chart;
  render::Series test{"test accuracy", {}, {}}, train{"train accuracy", {}, {}}, baseline{"majority baseline", {}, {}};
  for (const LayerProbe& l : report.layers) {
    for (render::Series* s : {&test, &train, &baseline}) s->x.push_back(l.layer);
    test.y.push_back(l.test_accuracy);
    train.y.push_back(l.train_accuracy);
    baseline.y.push_back(report.baseline);
  }
  chart.series = {test, train, baseline};
  chart.title = "Which layer knows the label? Linear probe accuracy on " + po.site;
  chart.subtitle = std::to_string(report.train) + " training and " + std::to_string(report.test) +
                   " test samples, " + position + " position, " + std::to_string(data.label_names.size()) + " labels";
  chart.x_label = po.site == "resid_post" ? "layer (-1: the embedding, before layer 0)" : "layer";
  chart.y_label = "accuracy";
  render::Provenance provenance{dir.string(), data_path, "glassbox", {}};
  for (int i = 0; i < argc; ++i) provenance.command_line += " " + std::string(argv[i]);
  const std::string figure = (*args)["figure"].as<std::string>();
  render::save(chart, figure, provenance);

  std::vector<int> counts(data.label_names.size(), 0);
  for (int y : data.labels) ++counts[size_t(y)];
  if (args->count("json")) {
    nlohmann::json layers = nlohmann::json::array(), labels = nlohmann::json::object();
    for (const LayerProbe& l : report.layers)
      layers.push_back({{"layer", l.layer}, {"train_accuracy", l.train_accuracy}, {"test_accuracy", l.test_accuracy},
                        {"iterations", l.iterations}, {"converged", l.converged}});
    for (size_t i = 0; i < counts.size(); ++i) labels[data.label_names[i]] = counts[i];
    const nlohmann::json out = {{"site", po.site}, {"position", position}, {"labels", labels},
                                {"train", report.train}, {"test", report.test}, {"baseline", report.baseline},
                                {"baseline_label", data.label_names[size_t(report.baseline_label)]},
                                {"layers", layers}, {"best_layer", best->layer},
                                {"layers_per_pass", report.layers_per_pass}, {"passes", report.passes},
                                {"peak_memory_gb", double(peak_rss_bytes()) / 1e9}, {"figure", figure}};
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("%s at the %s position; %zu samples (%lld train, %lld test); labels:", po.site.c_str(),
              position.c_str(), data.labels.size(), (long long)report.train, (long long)report.test);
  for (size_t i = 0; i < counts.size(); ++i) std::printf(" %s (%d)", data.label_names[i].c_str(), counts[i]);
  std::printf("\nactivations: %d per pass (the embedding counts as one), %d pass(es) over the data\n\n", report.layers_per_pass, report.passes);
  std::printf("| layer | train acc | test acc |\n|-------|-----------|----------|\n");
  for (const LayerProbe& l : report.layers)
    std::printf("| %5s | %8.1f%% | %7.1f%% |%s\n", l.layer < 0 ? "embed" : std::to_string(l.layer).c_str(),
                100 * l.train_accuracy, 100 * l.test_accuracy, l.converged ? "" : "  (did not converge)");
  std::printf("\nmajority baseline: %.1f%% (always \"%s\")\n", 100 * report.baseline,
              data.label_names[size_t(report.baseline_label)].c_str());
  std::printf("best: %s, %.1f%% test accuracy\n", best->layer < 0 ? "the embedding" : ("layer " + std::to_string(best->layer)).c_str(),
              100 * best->test_accuracy);
  std::printf("Peak memory: %.3f GB\nfigure: %s\n", double(peak_rss_bytes()) / 1e9, figure.c_str());
  return 0;
}

}  // namespace glassbox::cli
