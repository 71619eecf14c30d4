// `glassbox COMMAND [flags]`: dispatches to one subcommand and turns every error into one line on stderr
// and a non-zero exit.
#include <cxxopts.hpp>
#include <cstdio>
#include <cstring>
#include <exception>

#include "cli/commands.h"
#include "base/error.h"
#include "core/openmp_tuning.h"

namespace {
using glassbox::cli::Command;

constexpr Command kCommands[] = {
    {"generate", "stream a continuation of a prompt, with tokens/sec and peak memory", glassbox::cli::run_generate},
    {"topk", "the next-token probability table at one position", glassbox::cli::run_topk},
    {"params", "parameter counts per weight group, per layer and in total", glassbox::cli::run_params},
    {"dump", "write named activations of one forward pass to a safetensors file", glassbox::cli::run_dump},
    {"steer-vector", "a steering vector from two prompts, for --steer", glassbox::cli::run_steer_vector},
    {"lens", "the logit lens: the next token each layer would predict, drawn", glassbox::cli::run_lens},
    {"heads", "head census: previous-token, first-token, duplicate and induction scores", glassbox::cli::run_heads},
    {"ablate-sweep", "ablate each head in turn: change of the loss or a logit difference", glassbox::cli::run_ablate_sweep},
    {"patch-sweep", "patch each layer and position from a clean run into a corrupt one", glassbox::cli::run_patch_sweep},
    {"render-demo", "write every figure type, as PNG and SVG, from synthetic data", glassbox::cli::run_render_demo},
    {"tokenize", "the tokens of a text: ids, pieces, bytes and byte spans", glassbox::cli::run_tokenize},
    {"template", "a chat template rendered for a conversation, exactly as transformers does", glassbox::cli::run_template},
    {"convert", "write a checkpoint quantized to 4 or 8 bits (MLX layout) or cast to another dtype", glassbox::cli::run_convert},
    {"bench", "prompt and generation speed, llama-bench style (--synthetic: no download needed)", glassbox::cli::run_bench},
    {"perplexity", "perplexity of a text over sliding windows, mlx-lm style", glassbox::cli::run_perplexity},
    {"eval", "generate for every prompt of a JSONL file: time, memory, scores; resumable", glassbox::cli::run_eval},
    {"tree", "the top-K continuations as a tree: greedy, beam search and the most likely path", glassbox::cli::run_tree},
    {"probe", "per-layer linear probes on activations: which layer knows the label?", glassbox::cli::run_probe},
};

void print_usage(FILE* out) {
  std::fprintf(out, "usage: glassbox COMMAND [flags]   (glassbox COMMAND --help for its flags)\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-12s %s\n", c.name, c.summary);
}
}  // namespace

int main(int argc, char** argv) {
  glassbox::tune_openmp_waiting(argv);
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    print_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (const Command& c : kCommands) {
    if (std::strcmp(argv[1], c.name) != 0) continue;
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const glassbox::Error& e) {
      std::fprintf(stderr, "error: %s\n", glassbox::one_line(e.what()).c_str());
    } catch (const std::exception& e) {  // cxxopts' flag errors, std::bad_alloc
      std::fprintf(stderr, "error: glassbox %s: %s\n", c.name, glassbox::one_line(e.what()).c_str());
    }
    return 1;
  }
  std::fprintf(stderr, "error: unknown command '%s'\n", glassbox::one_line(argv[1]).c_str());
  print_usage(stderr);
  return 2;
}
