// glassbox steer-vector: a steering direction from two prompts (the difference of their activations at one
// site), written where --steer NAME=FILE[:SCALE] reads it.
#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "cli/commands.h"
#include "session/interventions.h"
#include "session/options.h"

namespace glassbox::cli {
namespace {

std::vector<int32_t> read_side(const Model& model, const Prompt& prompt, const cxxopts::ParseResult& args,
                               const std::string& side) {
  const std::string ids_flag = side + "-ids";
  if ((args.count(side) > 0) == (args.count(ids_flag) > 0)) fail("--" + side + ": give exactly one of --" + side + " or --" + ids_flag);
  const std::vector<int32_t> ids = args.count(side) ? encode_like_prompt(prompt, args, args[side].as<std::string>(), "--" + side)
                                                    : parse_id_list(args[ids_flag].as<std::string>(), "--" + ids_flag);
  model.check_ids(ids, "--" + side);
  if (int64_t(ids.size()) > model.config().max_positions) fail("--" + side + ": longer than the model's context");
  return ids;
}

}  // namespace

int run_steer_vector(int argc, char** argv) {
  auto options = make_options("steer-vector", "A steering vector: the difference of two prompts' activations at one site.");
  add_model_option(options);
  options.add_options()
      ("positive", "the prompt to steer towards", cxxopts::value<std::string>())
      ("negative", "the prompt to steer away from", cxxopts::value<std::string>())
      ("positive-ids", "--positive as token ids", cxxopts::value<std::string>())
      ("negative-ids", "--negative as token ids", cxxopts::value<std::string>())
      ("raw", "encode the prompts as plain text, without the chat template")
      ("system", "system message for the chat template", cxxopts::value<std::string>())
      ("site", "where to read the activations, e.g. resid_post.3", cxxopts::value<std::string>())
      ("mean", "average each prompt's activations over its positions instead of taking the last position")
      ("out", "output .safetensors file (tensor 'vector')", cxxopts::value<std::string>());
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  if (!args->count("site")) fail("--site: say where to read the activations, e.g. --site resid_post.3");
  if (!args->count("out")) fail("--out: no output file given");

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const Site site = parse_site((*args)["site"].as<std::string>(), model.config().n_layers, "--site");
  if (is_attention_pattern(site.kind) || site.kind == SiteKind::lens)
    fail("--site: " + site_name(site) + " cannot be steered; use a [T, width] activation such as resid_post.L");
  Prompt prompt;
  prompt.tokenizer = folder.tokenizer;
  const std::vector<int32_t> positive = read_side(model, prompt, *args, "positive");
  const std::vector<int32_t> negative = read_side(model, prompt, *args, "negative");
  const bool mean = args->count("mean") > 0;

  const std::vector<float> v = steering_vector(model, site, positive, negative, mean);
  double norm = 0;
  for (float x : v) norm += double(x) * x;
  const std::string out = (*args)["out"].as<std::string>();
  write_steering_vector(out, v, {{"model", model.config().dir.string()}, {"site", site_name(site)},
                                 {"positions", mean ? "mean" : "last"}});
  std::printf("wrote %s: vector [%zu] at %s (%s position%s), norm %.4f\n", out.c_str(), v.size(), site_name(site).c_str(),
              mean ? "mean over" : "last", mean ? "s" : "", std::sqrt(norm));
  return 0;
}

}  // namespace glassbox::cli
