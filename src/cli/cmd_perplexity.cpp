// glassbox perplexity: how surprised a model is by a text, over token-weighted sliding windows, printed as
// mlx-lm's "Perplexity: X ± Y" line.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/input_file.h"
#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "eval/perplexity.h"
#include "session/model_folder.h"
#include "session/options.h"

namespace glassbox::cli {
namespace {

constexpr uint64_t kMaxTextBytes = uint64_t(1) << 30;

std::string read_text_file(const std::filesystem::path& path) {
  try {
    return read_input_file(path, kMaxTextBytes);
  } catch (const Error& e) {
    fail(std::string("--file ") + e.what());
  }
}

}  // namespace

int run_perplexity(int argc, char** argv) {
  auto options = make_options("perplexity", "Perplexity of a text over token-weighted sliding windows.");
  add_model_option(options);
  options.add_options()
      ("file", "the text to score", cxxopts::value<std::string>())
      ("text", "the text to score, given inline", cxxopts::value<std::string>())
      ("context", "window length N in tokens (default 512, capped at the model's context)", cxxopts::value<std::string>())
      ("stride", "tokens between window starts S, 1..N (default N: windows do not overlap)", cxxopts::value<std::string>())
      ("json", "print {\"tokens\", \"nll\", \"ppl\", \"ppl_se\", \"tokens_per_sec\", \"peak_memory_gb\"}");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  if (args->count("file") == args->count("text")) fail("--file or --text: give exactly one");

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const int64_t max_positions = model.config().max_positions;
  int64_t context = std::min<int64_t>(512, max_positions);
  if (args->count("context")) {
    context = flag<int64_t>(*args, "context");
    if (context < 2) fail("--context must be at least 2");
    if (context > max_positions)
      fail("--context " + std::to_string(context) + " is longer than the model's context (max_position_embeddings = " +
           std::to_string(max_positions) + ")");
  }
  const int64_t stride = args->count("stride") ? flag<int64_t>(*args, "stride") : context;
  if (stride < 1 || stride > context) fail("--stride must be between 1 and --context (" + std::to_string(context) + ")");

  const Tokenizer& tokenizer = folder.require_tokenizer(args->count("file") ? "--file" : "--text");
  const std::string text = args->count("file") ? read_text_file((*args)["file"].as<std::string>()) : (*args)["text"].as<std::string>();
  const std::vector<int32_t> ids = tokenizer.encode(text, /*add_special=*/true);
  if (ids.size() < 2) fail(std::string(args->count("file") ? "--file" : "--text") + ": the text is " +
                           std::to_string(ids.size()) + " token(s); perplexity needs at least 2");

  PerplexityResult r;
  {
    ProgressBar bar("perplexity");
    r = perplexity(model, ids, context, stride, [&](int64_t done, int64_t total) { bar.update(done, total); });
  }
  if (args->count("json")) {
    const nlohmann::json out = {{"tokens", r.tokens}, {"nll", r.nll}, {"ppl", r.ppl}, {"ppl_se", r.ppl_se},
                                {"tokens_per_sec", r.tokens_per_sec()}, {"peak_memory_gb", r.peak_memory_gb},
                                {"context", context}, {"stride", stride}, {"windows", r.windows}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("Perplexity: %.3f ± %.3f\n", r.ppl, r.ppl_se);
  std::printf("Scored tokens: %lld of %zu, in %lld windows of up to %lld tokens every %lld (nll %.5f nats/token)\n",
              (long long)r.tokens, ids.size(), (long long)r.windows, (long long)context, (long long)stride, r.nll);
  std::printf("Evaluation time: %.2f seconds\n", r.seconds);
  std::printf("Tokens per second: %.0f\n", r.tokens_per_sec());
  std::printf("Peak memory: %.3f GB\n", r.peak_memory_gb);
  return 0;
}

}  // namespace glassbox::cli
