#include "lesson.h"

#include <cstdio>
#include <exception>

#include "session/options.h"
#include "base/error.h"
#include "base/input_file.h"
#include "core/openmp_tuning.h"

namespace glassbox::lesson {

std::optional<Lesson> start(int argc, char** argv, const std::string& name, const std::string& summary,
                            const std::function<void(cxxopts::Options&)>& add_flags) {
  cxxopts::Options options(name, summary);
  options.add_options()("h,help", "show this help");
  add_model_option(options);
  options.add_options()
      ("out", "folder for the figures (default: out/" + name + ")", cxxopts::value<std::string>())
      ("format", "figure format: png, svg or both", cxxopts::value<std::string>()->default_value("png"))
      ("tokenizer", "folder with tokenizer.json, when the model folder has none", cxxopts::value<std::string>());
  if (add_flags) add_flags(options);
  auto args = parse_options(options, argc, argv);
  if (!args) return std::nullopt;

  Lesson l;
  l.name = name;
  l.model_dir = model_dir(*args);
  l.out_dir = args->count("out") ? std::filesystem::path((*args)["out"].as<std::string>()) : std::filesystem::path("out") / name;
  const std::string format = (*args)["format"].as<std::string>();
  if (format != "png" && format != "svg" && format != "both") fail("--format must be png, svg or both, got '" + format + "'");
  l.png = format != "svg";
  l.svg = format != "png";
  for (int i = 0; i < argc; ++i) l.command_line += (i ? " " : "") + std::string(argv[i]);
  l.args = std::move(*args);
  return l;
}

int run(int argc, char** argv, const std::function<int(int, char**)>& body) {
  tune_openmp_waiting(argv);
  try {
    return body(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", one_line(e.what()).c_str());
    return 1;
  }
}

namespace {

std::filesystem::path tokenizer_flag(const Lesson& lesson) {
  return lesson.args.count("tokenizer") ? std::filesystem::path(lesson.args["tokenizer"].as<std::string>())
                                        : std::filesystem::path();
}

}  // namespace

std::function<void(cxxopts::Options&)> prompt_flag(const std::string& help, const std::string& default_text) {
  return [=](cxxopts::Options& o) {
    o.add_options()("prompt", help, cxxopts::value<std::string>()->default_value(default_text));
  };
}

ModelFolder open_model(const Lesson& lesson, const std::filesystem::path& dir) {
  ModelFolder folder = open_model_folder(dir.empty() ? lesson.model_dir : dir, tokenizer_flag(lesson));
  folder.require_tokenizer("--tokenizer");
  return folder;
}

Tokenizer load_tokenizer(const Lesson& lesson) {
  const std::filesystem::path flag = tokenizer_flag(lesson), dir = flag.empty() ? lesson.model_dir : flag;
  if (!input_exists(dir / "tokenizer.json"))
    fail(dir.string() + " has no tokenizer.json; pass --tokenizer DIR with one that matches the model's vocabulary");
  return Tokenizer::load(dir);
}

std::vector<int32_t> encode(const Tokenizer& tokenizer, const std::string& text) { return tokenizer.encode(text, true); }

std::vector<std::string> token_labels(const Tokenizer& tokenizer, const std::vector<int32_t>& ids) {
  std::vector<std::string> labels;
  for (int32_t id : ids) labels.push_back(tokenizer.display(id));
  return labels;
}

std::vector<std::string> token_texts(const Tokenizer& tokenizer, const std::vector<int32_t>& ids) {
  std::vector<std::string> texts;
  for (int32_t id : ids) texts.push_back(tokenizer.token_bytes(id));
  return texts;
}

void section(const std::string& title) { std::printf("\n## %s\n\n", title.c_str()); }

}  // namespace glassbox::lesson
