#include "cli/analysis_flags.h"

#include <unistd.h>

#include <cstdio>

#include "base/error.h"
#include "base/visible_text.h"
#include "analysis/head_census.h"
#include "session/options.h"

namespace glassbox::cli {

void add_figure_options(cxxopts::Options& options, const std::string& command) {
  options.add_options()
      ("out", "folder for the figures (default: out/" + command + ")", cxxopts::value<std::string>())
      ("format", "figure format: png, svg or both", cxxopts::value<std::string>()->default_value("png"));
}

FigureOutput read_figure_output(const cxxopts::ParseResult& args, const std::string& command, int argc, char** argv,
                                const std::filesystem::path& model_dir, const std::string& prompt) {
  FigureOutput out;
  out.dir = args.count("out") ? std::filesystem::path(args["out"].as<std::string>()) : std::filesystem::path("out") / command;
  const std::string format = args["format"].as<std::string>();
  if (format != "png" && format != "svg" && format != "both") fail("--format must be png, svg or both, got '" + format + "'");
  out.png = format != "svg";
  out.svg = format != "png";
  out.quiet = args.count("json") > 0;
  std::string command_line = "glassbox";
  for (int i = 0; i < argc; ++i) command_line += " " + std::string(argv[i]);
  out.provenance = {model_dir.string(), prompt, command_line, {}};
  return out;
}

void add_token_option(cxxopts::Options& options, const std::string& name, const std::string& help) {
  options.add_options()
      (name, help + " (one token's text, e.g. \" earth\" with its leading space)", cxxopts::value<std::string>())
      (name + "-id", "--" + name + " as a token id", cxxopts::value<std::string>());
}

int32_t read_token(const ModelFolder& folder, const cxxopts::ParseResult& args, const std::string& name) {
  const std::string id_flag = name + "-id";
  if (args.count(name) && args.count(id_flag)) fail("--" + name + ": give --" + name + " or --" + id_flag + ", not both");
  if (args.count(id_flag)) {
    const std::vector<int32_t> ids = parse_id_list(args[id_flag].as<std::string>(), "--" + id_flag);
    if (ids.size() != 1) fail("--" + id_flag + ": give one token id");
    folder.model.check_ids(ids, "--" + id_flag);
    return ids[0];
  }
  if (!args.count(name)) return -1;
  const std::string text = args[name].as<std::string>();
  const Tokenizer& tokenizer = folder.require_tokenizer("--" + name);
  const std::vector<int32_t> ids = tokenizer.encode(text);
  if (ids.size() == 1) return ids[0];
  std::string pieces;
  for (int32_t id : ids) pieces += (pieces.empty() ? "" : " ") + tokenizer.display(id);
  std::string hint;
  if (!text.empty() && text[0] != ' ' && tokenizer.encode(" " + text).size() == 1)
    hint = "; with a leading space, \" " + text + "\", it is one token";
  fail("--" + name + ": '" + text + "' is " + std::to_string(ids.size()) + " tokens (" + pieces + "), not one" + hint);
}

void add_plain_prompt_options(cxxopts::Options& options) {
  options.add_options()
      ("prompt", "the prompt, as plain text (the tokenizer's BOS, no chat template)", cxxopts::value<std::string>())
      ("prompt-ids", "the prompt as comma-separated token ids, e.g. 1,403,407", cxxopts::value<std::string>());
}

PlainPrompt read_plain_prompt(const ModelFolder& folder, const cxxopts::ParseResult& args) {
  return {read_text_or_ids(folder, args, "prompt"), args.count("prompt") ? args["prompt"].as<std::string>() : "--prompt-ids"};
}

std::vector<int32_t> read_text_or_ids(const ModelFolder& folder, const cxxopts::ParseResult& args, const std::string& name) {
  const std::string ids_flag = name + "-ids";
  if ((args.count(name) > 0) == (args.count(ids_flag) > 0)) fail("--" + name + ": give exactly one of --" + name + " or --" + ids_flag);
  const std::vector<int32_t> ids = args.count(name)
                                       ? folder.require_tokenizer("--" + name).encode(args[name].as<std::string>(), true)
                                       : parse_id_list(args[ids_flag].as<std::string>(), "--" + ids_flag);
  if (ids.empty()) fail("--" + name + ": the text encodes to no tokens");
  folder.model.check_ids(ids, args.count(name) ? "--" + name : "--" + ids_flag);
  if (int64_t(ids.size()) > folder.model.config().max_positions)
    fail("--" + name + ": " + std::to_string(ids.size()) + " tokens are more than the model's context (" +
         std::to_string(folder.model.config().max_positions) + ")");
  return ids;
}

void add_repeat_prompt_options(cxxopts::Options& options) {
  add_plain_prompt_options(options);
  options.add_options()
      ("period", "the prompt repeats with this period: token t equals token t-N in the repeat", cxxopts::value<std::string>())
      ("random", "instead of a prompt: BOS, N random tokens, the same N again (period N)", cxxopts::value<std::string>())
      ("seed", "seed of --random", cxxopts::value<std::string>()->default_value("0"));
}

RepeatPrompt read_repeat_prompt(const ModelFolder& folder, const cxxopts::ParseResult& args) {
  const ModelConfig& c = folder.model.config();
  RepeatPrompt p;
  if (args.count("period")) {
    p.period = flag<int64_t>(args, "period");
    if (p.period < 1) fail("--period must be at least 1");
  }
  if (!args.count("random")) {
    if (args.count("seed")) fail("--seed: only with --random");
    const PlainPrompt prompt = read_plain_prompt(folder, args);
    p.ids = prompt.ids;
    p.description = prompt.text;
    return p;
  }
  if (args.count("prompt") || args.count("prompt-ids")) fail("--random: replaces --prompt and --prompt-ids; give one of them");
  const int64_t n = flag<int64_t>(args, "random");
  if (n < 1 || 2 * n + 1 > c.max_positions)
    fail("--random: " + std::to_string(n) + " is outside 1.." + std::to_string((c.max_positions - 1) / 2) +
         " (twice N plus BOS must fit the model's context)");
  if (p.period && p.period != n) fail("--period: --random " + std::to_string(n) + " sets the period to " + std::to_string(n));
  std::vector<int32_t> avoid;  // special tokens never appear in ordinary text
  int64_t bos = c.bos_id;
  if (folder.tokenizer) {
    for (int32_t id = 0; id < int32_t(c.vocab); ++id)
      if (folder.tokenizer->is_special(id)) avoid.push_back(id);
    if (bos < 0 && folder.tokenizer->bos_id()) bos = *folder.tokenizer->bos_id();
  }
  for (int64_t id : c.eos_ids) avoid.push_back(int32_t(id));
  if (bos >= 0) avoid.push_back(int32_t(bos));
  const uint64_t seed = flag<uint64_t>(args, "seed");
  p.ids = repeated_random_tokens(int32_t(bos < c.vocab ? bos : -1), n, seed, c.vocab, avoid);
  p.period = n;
  p.description = (bos >= 0 ? "BOS + " : "") + std::to_string(n) + " random tokens, twice (seed " + std::to_string(seed) + ")";
  return p;
}

void show_progress(const std::string& what, int64_t done, int64_t total) {
  static const bool terminal = isatty(STDERR_FILENO);
  if (!terminal) return;
  std::fprintf(stderr, "\r%s %lld/%lld%s", what.c_str(), (long long)done, (long long)total, done == total ? "\n" : "");
  std::fflush(stderr);
}

std::string token_bytes(const ModelFolder& folder, int32_t id) {
  return folder.tokenizer ? folder.tokenizer->token_bytes(id) : "[" + std::to_string(id) + "]";
}

std::string token_display(const ModelFolder& folder, int32_t id) {
  return folder.tokenizer ? folder.tokenizer->display(id) : "[" + std::to_string(id) + "]";
}

}  // namespace glassbox::cli
