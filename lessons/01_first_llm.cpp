// Lesson 01: your first local LLM. Load a checkpoint, give it a prompt, watch it write token by token,
// and measure what everybody measures first: tokens per second and memory.
#include <chrono>
#include <cstdio>

#include "session/prompt.h"
#include "generate/generate.h"
#include "lesson.h"
#include "model/param_groups.h"
#include "render/token_strip.h"

using namespace glassbox;

namespace {

struct Run {
  std::string model_name, text;
  int64_t params = 0;
  double load_ms = 0;
  GenerationResult result;
};

// Load, build the prompt (through the chat template when the model has one), and stream the answer.
Run run_model(const lesson::Lesson& l, const std::filesystem::path& dir, std::string prompt, int max_tokens) {
  Run run;
  run.model_name = dir.filename().string();
  const auto t0 = std::chrono::steady_clock::now();
  const ModelFolder folder = lesson::open_model(l, dir);
  run.load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;
  run.params = count_parameters(model.config(), model.tensors()).total;

  // A chat model answers questions; a base model continues text. Without --prompt, ask each what suits it.
  const bool chat = tokenizer.has_chat_template() && !l.args.count("raw");
  if (prompt.empty()) prompt = chat ? "What does \"light\" mean?" : "Once upon a time";
  const std::vector<int32_t> ids = encode_message(tokenizer, prompt, chat);
  // The chat template wraps the question in the special tokens the model was trained with.
  if (chat) std::printf("the chat template turns the question into what the model reads:\n%s\n", tokenizer.decode(ids).c_str());
  std::printf("%s: %lld parameters, loaded in %.1f ms; prompt is %zu tokens\n\n", run.model_name.c_str(),
              (long long)run.params, run.load_ms, ids.size());

  GenerationSettings settings;
  settings.max_tokens = max_tokens;
  settings.sampler.temperature = flag<float>(l.args, "temp");
  settings.stop_ids = folder.stop_ids;
  StreamDecoder stream(tokenizer, ids, /*skip_special=*/true);
  std::printf("%s", chat ? ("user: " + prompt + "\nassistant: ").c_str() : prompt.c_str());
  run.result = generate(model, ids, settings, [&](int32_t id) {
    std::fputs(stream.push(id).c_str(), stdout);
    std::fflush(stdout);
  });
  std::printf("%s\n", stream.flush().c_str());
  run.text = tokenizer.decode(run.result.ids, /*skip_special=*/true);

  // The generated tokens as the model produced them: one chip per token.
  render::TokenStrip strip;
  for (int32_t id : run.result.ids) strip.tokens.push_back({tokenizer.token_bytes(id), id});
  strip.title = "What " + run.model_name + " wrote, token by token";
  strip.subtitle = "prompt: \"" + prompt + "\"";
  lesson::save(l, strip, "generation_" + run.model_name, prompt);
  return run;
}

void print_stats(const Run& r) {
  std::printf("Prompt: %lld tokens, %.3f tokens-per-sec\n", (long long)r.result.prompt_tokens, r.result.prompt_tps());
  std::printf("Generation: %zu tokens, %.3f tokens-per-sec\n", r.result.ids.size(), r.result.generation_tps());
  std::printf("Peak memory: %.3f GB\n", r.result.peak_memory_gb);
}

int first_llm(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "01_first_llm", "Load a model, stream a generation, measure its speed.",
                         [](cxxopts::Options& o) {
                           o.add_options()
                               ("prompt", "what to ask (default: a question for chat models, a story opening for others)",
                                cxxopts::value<std::string>()->default_value(""))
                               ("max-tokens", "how many tokens to generate", cxxopts::value<std::string>()->default_value("60"))
                               ("temp", "sampling temperature (0: greedy)", cxxopts::value<std::string>()->default_value("0"))
                               ("raw", "do not apply the chat template")
                               ("compare", "a second model folder to run side by side", cxxopts::value<std::string>());
                         });
  if (!l) return 0;
  const std::string prompt = l->args["prompt"].as<std::string>();
  const int max_tokens = flag<int>(l->args, "max-tokens");

  lesson::section("1. Load the model and generate");
  const Run first = run_model(*l, l->model_dir, prompt, max_tokens);

  lesson::section("2. How fast was it?");
  // Prompt tokens are processed all at once (one big matrix multiply per weight), generated tokens one at
  // a time (every weight read from memory once per token), so the two speeds differ a lot.
  print_stats(first);
  if (!l->args.count("compare")) return 0;

  lesson::section("3. The same prompt on a second model");
  const Run second = run_model(*l, l->args["compare"].as<std::string>(), prompt, max_tokens);
  print_stats(second);
  std::printf("\n| %-24s | %12s | %10s | %10s | %10s |\n", "model", "parameters", "prompt t/s", "gen t/s", "peak GB");
  for (const Run* r : {&first, &second})
    std::printf("| %-24s | %12lld | %10.1f | %10.1f | %10.3f |\n", r->model_name.c_str(), (long long)r->params,
                r->result.prompt_tps(), r->result.generation_tps(), r->result.peak_memory_gb);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, first_llm); }
