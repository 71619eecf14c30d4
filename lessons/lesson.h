#pragma once
// What every lesson shares: the common flags (--model, --out, --format), headings, and saving figures.
#include <cstdio>
#include <cxxopts.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "session/model_folder.h"
#include "session/options.h"
#include "render/figure.h"
#include "tokenizer/tokenizer.h"

namespace glassbox::lesson {

struct Lesson {
  std::string name;                  // "05_attention"
  std::filesystem::path model_dir;   // --model, or the default model
  std::filesystem::path out_dir;     // --out, default out/<name>
  bool png = true, svg = false;      // --format png|svg|both
  cxxopts::ParseResult args;         // the lesson's own flags too
  std::string command_line;          // stored in every figure as provenance
};

// Parses the common flags plus those `add_flags` declares. Returns nullopt after printing --help.
std::optional<Lesson> start(int argc, char** argv, const std::string& name, const std::string& summary,
                            const std::function<void(cxxopts::Options&)>& add_flags = {});

// The add_flags of a lesson whose own flag is one --prompt.
std::function<void(cxxopts::Options&)> prompt_flag(const std::string& help, const std::string& default_text);

// The model folder `dir` (default: --model) with its tokenizer, or the one in --tokenizer DIR (checkpoints
// without tokenizer.json, such as the random-weight test fixtures, borrow one with the same vocabulary).
ModelFolder open_model(const Lesson& lesson, const std::filesystem::path& dir = {});

// Only the tokenizer, for lessons that need no weights; --tokenizer as above.
Tokenizer load_tokenizer(const Lesson& lesson);

// Encodes text as the model sees it in a plain (non-chat) prompt: with the tokenizer's BOS if it adds one.
std::vector<int32_t> encode(const Tokenizer& tokenizer, const std::string& text);

// Each token's visible form (␣ for a space, ↵ for a newline, <E4 BD> for part of a character), for printed
// tables; figures show the same form (base/visible_text.h).
std::vector<std::string> token_labels(const Tokenizer& tokenizer, const std::vector<int32_t>& ids);

// Each token's own bytes, for figure labels that render/ makes visible by the same rule.
std::vector<std::string> token_texts(const Tokenizer& tokenizer, const std::vector<int32_t>& ids);

// Writes a figure as out_dir/stem.png and/or .svg, with the model, prompt and command line inside.
template <typename Figure>
void save(const Lesson& lesson, const Figure& figure, const std::string& stem, const std::string& prompt = "") {
  const render::Provenance provenance{lesson.model_dir.string(), prompt, lesson.command_line, {}};
  for (const char* ext : {".png", ".svg"}) {
    if ((ext[1] == 'p' && !lesson.png) || (ext[1] == 's' && !lesson.svg)) continue;
    const std::filesystem::path path = lesson.out_dir / (stem + ext);
    save(figure, path, provenance);  // found by argument-dependent lookup in glassbox::render
    std::printf("figure: %s\n", path.c_str());
  }
}

// Runs a lesson's body, turning errors into one line on stderr and exit code 1.
int run(int argc, char** argv, const std::function<int(int, char**)>& body);

// A numbered section heading, so the printed output reads like the tutorial's sections.
void section(const std::string& title);

}  // namespace glassbox::lesson
