// glassbox params: where a model's parameters live, per weight group, per layer and in total.
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "session/options.h"
#include "model/config.h"
#include "core/safetensors.h"
#include "model/param_groups.h"

namespace glassbox::cli {

int run_params(int argc, char** argv) {
  auto options = make_options("params", "Parameter counts per weight group, per layer and in total.");
  add_model_option(options);
  options.add_options()("json", "print JSON");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;

  const auto dir = model_dir(*args);
  const ModelConfig config = load_config(dir);
  const TensorStore store = TensorStore::open_dir(dir);
  const ParamReport report = count_parameters(config, store);

  // Groups that repeat in every layer are shown once with their per-layer and all-layer counts.
  std::vector<std::string> layer_groups;
  std::map<std::string, int64_t> per_layer;
  for (const ParamGroup& g : report.groups) {
    if (g.layer < 0) continue;
    if (!per_layer.count(g.name)) layer_groups.push_back(g.name);
    per_layer[g.name] = g.count;
  }

  if (args->count("json")) {
    nlohmann::json groups = nlohmann::json::array();
    for (const ParamGroup& g : report.groups) groups.push_back({{"group", g.name}, {"layer", g.layer}, {"params", g.count}});
    nlohmann::json layers = nlohmann::json::array();
    for (int64_t l = 0; l < config.n_layers; ++l) layers.push_back(report.per_layer(l));
    nlohmann::json out = {{"groups", groups}, {"per_layer", layers}, {"tied_lm_head", report.tied_lm_head},
                          {"total", report.total}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("%-32s %14s %16s\n", "group", "per layer", "total");
  std::printf("%-32s %14s %16lld\n", "embedding", "", (long long)report.group_total("embedding"));
  for (const std::string& name : layer_groups)
    std::printf("%-32s %14lld %16lld\n", ("layers." + name).c_str(), (long long)per_layer[name],
                (long long)report.group_total(name));
  std::printf("%-32s %14s %16lld\n", "final_norm", "", (long long)report.group_total("final_norm"));
  if (report.tied_lm_head) std::printf("%-32s %14s %16s\n", "lm_head", "", "tied (0)");
  else std::printf("%-32s %14s %16lld\n", "lm_head", "", (long long)report.group_total("lm_head"));
  std::printf("%-32s %14lld %16s\n", "one layer", (long long)report.per_layer(0), "");
  std::printf("%-32s %14s %16lld\n", "total", "", (long long)report.total);
  return 0;
}

}  // namespace glassbox::cli
