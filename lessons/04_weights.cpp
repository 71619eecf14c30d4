// Lesson 04: the weights. A checkpoint is a dictionary of named tensors. Reading their names and shapes
// tells you the whole architecture; counting their elements tells you where the parameters are.
#include <algorithm>
#include <cstdio>
#include <map>

#include "lesson.h"
#include "model/model.h"
#include "model/param_groups.h"
#include "render/param_chart.h"

using namespace glassbox;

namespace {

// The coarse groups a parameter chart shows: where in the architecture a tensor sits.
std::string coarse_group(const std::string& group) {
  if (group == "embedding" || group == "lm_head") return group;
  if (group.find("norm") != std::string::npos) return "norms";
  if (group.find("proj") != std::string::npos)
    return group.rfind("gate", 0) == 0 || group.rfind("up", 0) == 0 || group.rfind("down", 0) == 0 ? "MLP" : "attention";
  return group;
}

int weights(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "04_weights", "Every tensor of a checkpoint and where the parameters are.");
  if (!l) return 0;
  const Model model = Model::load(l->model_dir);
  const ModelConfig& c = model.config();
  const TensorStore& store = model.tensors();

  lesson::section("1. Every tensor");
  // Layer tensors repeat with only the layer number changing; their shapes follow from config.json.
  int64_t tensor_sum = 0;
  std::printf("%-52s %-14s %-5s %12s\n", "name", "shape", "dtype", "parameters");
  for (const std::string& name : store.names()) {
    const TensorView& t = store.get(name);
    const int64_t n = logical_params(c, store, name);
    tensor_sum += n;
    std::printf("%-52s %-14s %-5s %12lld\n", name.c_str(), t.shape_string().c_str(),
                std::string(dtype_name(t.dtype)).c_str(), (long long)n);
  }
  std::printf("\n%zu tensors, %.2f MB on disk\n", store.names().size(), double(store.total_bytes()) / 1e6);

  lesson::section("2. Parameters per group");
  const ParamReport report = count_parameters(c, store);
  std::map<std::string, int64_t> coarse;
  std::printf("%-32s %12s %14s\n", "group", "per layer", "all layers");
  std::string last_group;
  for (const ParamGroup& g : report.groups) {
    coarse[coarse_group(g.name)] += g.count;
    if (g.layer > 0 || g.name == last_group) continue;
    last_group = g.name;
    const int64_t total = report.group_total(g.name);
    if (g.layer == 0) std::printf("%-32s %12lld %14lld\n", g.name.c_str(), (long long)g.count, (long long)total);
    else std::printf("%-32s %12s %14lld\n", g.name.c_str(), "", (long long)total);
  }
  if (report.tied_lm_head)
    std::printf("%-32s %12s %14s\n", "lm_head", "", "tied: reuses the embedding table");

  lesson::section("3. The total");
  const int64_t layer = report.per_layer(0);
  std::printf("one layer:           %lld parameters x %lld layers = %lld\n", (long long)layer, (long long)c.n_layers,
              (long long)(layer * c.n_layers));
  std::printf("total:               %lld\n", (long long)report.total);
  std::printf("sum of tensor sizes: %lld (%s)\n", (long long)tensor_sum, tensor_sum == report.total ? "equal" : "DIFFERENT");
  for (const auto& [group, n] : coarse)
    std::printf("%-20s %5.1f%%\n", group.c_str(), 100.0 * double(n) / double(report.total));

  render::ParamChart chart;
  for (const auto& [group, n] : coarse) chart.groups.push_back({group, uint64_t(n)});
  std::sort(chart.groups.begin(), chart.groups.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  chart.title = c.architecture + ": where the parameters are";
  chart.subtitle = std::to_string(c.n_layers) + " layers, hidden " + std::to_string(c.hidden) + ", vocab " +
                   std::to_string(c.vocab) + (report.tied_lm_head ? ", tied LM head" : "");
  lesson::save(*l, chart, "parameters");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, weights); }
