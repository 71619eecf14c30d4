// `glassbox tokenize`: the tokens of a text, as a table (index, id, visible piece, bytes, input span, flags)
// or as JSON.
#include <cxxopts.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "base/error.h"
#include "session/options.h"
#include "session/shared_paths.h"
#include "tokenizer/token_table.h"
#include "tokenizer/tokenizer.h"

namespace glassbox::cli {

int run_tokenize(int argc, char** argv) {
  auto options = make_options("tokenize", "Show how a model's tokenizer splits a text into tokens. Input that is not "
                                          "valid UTF-8 is tokenized as if each invalid sequence were U+FFFD.");
  options.add_options()
      ("model", "model directory (its tokenizer.json is used)", cxxopts::value<std::string>())
      ("tokenizer", "directory holding tokenizer.json (and tokenizer_config.json)", cxxopts::value<std::string>())
      ("text", "the text to tokenize", cxxopts::value<std::string>())
      ("file", "tokenize this file's bytes exactly", cxxopts::value<std::string>())
      ("special", "add the post-processor's special tokens (BOS/EOS)")
      ("json", "print {\"ids\", \"tokens\", \"byte_offsets\", \"special\"} as JSON");
  const auto parsed = parse_options(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  if (args.count("model") && args.count("tokenizer")) fail("glassbox tokenize: give --model or --tokenizer, not both");
  if (args.count("text") == args.count("file")) fail("glassbox tokenize: give exactly one of --text and --file");
  const std::filesystem::path dir = args.count("model")       ? args["model"].as<std::string>()
                                    : args.count("tokenizer") ? args["tokenizer"].as<std::string>()
                                                              : default_model_dir().string();
  std::string text;
  if (args.count("file")) {
    const std::string path = args["file"].as<std::string>();
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("--file " + path + ": cannot open");
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  } else {
    text = args["text"].as<std::string>();
  }
  const Tokenizer tokenizer = Tokenizer::load(dir);
  const auto tokens = tokenizer.inspect(text, args.count("special") > 0);
  const std::string out = args.count("json") ? format_token_json(tokens) : format_token_table(tokens);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (!args.count("json"))
    std::printf("%zu tokens, %zu bytes, vocabulary of %d\n", tokens.size(), text.size(), tokenizer.vocab_size());
  return 0;
}

}  // namespace glassbox::cli
