// `glassbox template`: a chat template rendered for a conversation, exactly as transformers'
// apply_chat_template(tokenize=False) renders it, printed with no newline added.
#include <cxxopts.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "base/error.h"
#include "cli/commands.h"
#include "session/chat_options.h"
#include "session/options.h"
#include "tokenizer/jinja/limits.h"
#include "tokenizer/tokenizer.h"

namespace glassbox::cli {
namespace {

std::string read_template(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) fail("--chat-template " + file.string() + ": not found (or not a regular file)");
  if (std::filesystem::file_size(file, ec) > jinja::limits::kTemplateBytes)
    fail("--chat-template " + file.string() + ": larger than " + std::to_string(jinja::limits::kTemplateBytes >> 20) + " MiB");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail("--chat-template " + file.string() + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int run_template(int argc, char** argv) {
  auto options = make_options("template", "Render a chat template for a conversation, byte for byte as transformers' "
                                          "apply_chat_template(tokenize=False) does. Prints the text with no newline added.");
  options.add_options()
      ("model", "model folder: its chat template and special tokens (bos_token, eos_token, ...)", cxxopts::value<std::string>())
      ("chat-template", "a chat template file instead; special tokens then come from --var", cxxopts::value<std::string>())
      ("messages", "the conversation: a JSON list of {\"role\", \"content\"} messages", cxxopts::value<std::string>())
      ("no-generation-prompt", "leave out the assistant header at the end (add_generation_prompt=false)")
      ("var", "a template variable NAME=JSON, e.g. enable_thinking=false or bos_token='\"<s>\"' (repeatable)",
       cxxopts::value<std::string>())
      ("now", "pin the clock of strftime_now(): YYYY-MM-DDTHH:MM:SS", cxxopts::value<std::string>())
      ("json", "print {\"template\", \"text\"} (and \"ids\" with --model) as JSON");
  const auto parsed = parse_options(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  if (args.count("model") == args.count("chat-template")) fail("glassbox template: give exactly one of --model and --chat-template");
  if (!args.count("messages")) fail("glassbox template: --messages FILE.json is required");

  ChatRequest request;
  request.messages = read_messages(args["messages"].as<std::string>());
  request.add_generation_prompt = !args.count("no-generation-prompt");
  request.variables = template_variables(args);
  if (args.count("now")) {
    request.now = parse_moment(args["now"].as<std::string>());
    if (!request.now) fail("--now: expected a date and time like 2024-07-26T12:00:00, got '" + args["now"].as<std::string>() + "'");
  }

  std::optional<Tokenizer> tokenizer;
  std::optional<ChatTemplate> own_template;
  const ChatTemplate* chat = nullptr;
  std::string text;
  if (args.count("model")) {
    tokenizer.emplace(Tokenizer::load(args["model"].as<std::string>()));
    chat = &tokenizer->chat_template();
    text = tokenizer->apply_chat_template(request);
  } else {
    const std::string file = args["chat-template"].as<std::string>();
    own_template.emplace(read_template(file), file);
    chat = &*own_template;
    text = chat->render(request);
  }
  if (args.count("json")) {
    nlohmann::ordered_json out = {{"template", chat->file()}, {"text", text}};
    if (tokenizer) out["ids"] = tokenizer->encode(text, /*add_special=*/false);
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace glassbox::cli
