#pragma once
// What the analysis commands (lens, heads, ablate-sweep, patch-sweep) share: where their figures go, token
// flags such as --target, prompts given as text or ids, and progress on a terminal.
#include <cstdint>
#include <cstdio>
#include <cxxopts.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "render/provenance.h"
#include "session/model_folder.h"

namespace glassbox::cli {

// --out DIR (default out/<command>) and --format png|svg|both.
void add_figure_options(cxxopts::Options& options, const std::string& command);

struct FigureOutput {
  std::filesystem::path dir;
  bool png = true, svg = false;
  bool quiet = false;  // with --json: the figure lines go to stderr, so stdout is only JSON
  render::Provenance provenance;

  // Writes dir/stem.png and/or .svg and says where.
  template <typename Figure>
  void write(const Figure& figure, const std::string& stem) const {
    for (const char* ext : {".png", ".svg"}) {
      if ((ext[1] == 'p' && !png) || (ext[1] == 's' && !svg)) continue;
      const std::filesystem::path path = dir / (stem + ext);
      save(figure, path, provenance);  // found by argument-dependent lookup in glassbox::render
      std::fprintf(quiet ? stderr : stdout, "figure: %s\n", path.c_str());
    }
  }
};

FigureOutput read_figure_output(const cxxopts::ParseResult& args, const std::string& command, int argc, char** argv,
                                const std::filesystem::path& model_dir, const std::string& prompt);

// --prompt TEXT or --prompt-ids IDS. The analyses read --prompt as plain text with the tokenizer's BOS,
// never through a chat template: their figures show the prompt's own tokens, as TransformerLens does.
void add_plain_prompt_options(cxxopts::Options& options);
struct PlainPrompt {
  std::vector<int32_t> ids;
  std::string text;  // --prompt, or "--prompt-ids"
};
PlainPrompt read_plain_prompt(const ModelFolder& folder, const cxxopts::ParseResult& args);

// --NAME TEXT (one token of the tokenizer, e.g. " earth") or --NAME-id ID; -1 when neither is given.
void add_token_option(cxxopts::Options& options, const std::string& name, const std::string& help);
int32_t read_token(const ModelFolder& folder, const cxxopts::ParseResult& args, const std::string& name);

// Exactly one of --NAME TEXT (plain text, with the tokenizer's BOS) or --NAME-ids IDS.
std::vector<int32_t> read_text_or_ids(const ModelFolder& folder, const cxxopts::ParseResult& args, const std::string& name);

// The prompt of heads and ablate-sweep: --prompt TEXT | --prompt-ids IDS [--period N], or --random N
// [--seed S]: BOS + N random ordinary tokens + the same N again, with period N.
void add_repeat_prompt_options(cxxopts::Options& options);
struct RepeatPrompt {
  std::vector<int32_t> ids;
  int64_t period = 0;       // 0: none given
  std::string description;  // for figure subtitles and provenance
};
RepeatPrompt read_repeat_prompt(const ModelFolder& folder, const cxxopts::ParseResult& args);

// "done/total" on stderr, rewritten in place, only when stderr is a terminal.
void show_progress(const std::string& what, int64_t done, int64_t total);

// A token's bytes for figure labels, and its visible form for printed text; "[id]" without a tokenizer.
std::string token_bytes(const ModelFolder& folder, int32_t id);
std::string token_display(const ModelFolder& folder, int32_t id);

}  // namespace glassbox::cli
