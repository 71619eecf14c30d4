#include "cli/prompt.h"

#include <filesystem>

#include "cli/options.h"
#include "core/error.h"

namespace glassbox::cli {

std::string Prompt::decode(const std::vector<int32_t>& ids) const {
  if (tokenizer) return tokenizer->decode(ids);
  std::string text;
  for (int32_t id : ids) text += "[" + std::to_string(id) + "]";
  return text;
}

std::string Prompt::display(int32_t id) const { return tokenizer ? tokenizer->display(id) : decode({id}); }

void add_prompt_options(cxxopts::Options& options) {
  options.add_options()
      ("prompt", "the prompt text (through the chat template when the model has one)", cxxopts::value<std::string>())
      ("prompt-ids", "the prompt as comma-separated token ids, e.g. 1,403,407", cxxopts::value<std::string>())
      ("raw", "encode --prompt as plain text, without the chat template")
      ("system", "system message for the chat template", cxxopts::value<std::string>());
}

Prompt resolve_prompt(const Model& model, const cxxopts::ParseResult& args) {
  Prompt p;
  const std::filesystem::path dir = model.config().dir;
  if (std::filesystem::exists(dir / "tokenizer.json")) p.tokenizer = std::make_shared<const Tokenizer>(Tokenizer::load(dir));
  const bool has_text = args.count("prompt") > 0, has_ids = args.count("prompt-ids") > 0;
  if (has_text == has_ids) fail("--prompt or --prompt-ids: give exactly one");
  std::string flag = "--prompt-ids";
  if (has_ids) {
    p.ids = parse_id_list(args["prompt-ids"].as<std::string>(), flag);
  } else {
    flag = "--prompt";
    if (!p.tokenizer) fail("--prompt: " + (dir / "tokenizer.json").string() + " does not exist; use --prompt-ids");
    const std::string text = args["prompt"].as<std::string>();
    if (p.tokenizer->has_chat_template() && !args.count("raw")) {
      std::vector<ChatMessage> messages;
      if (args.count("system")) messages.push_back({"system", args["system"].as<std::string>()});
      messages.push_back({"user", text});
      p.ids = p.tokenizer->encode(p.tokenizer->apply_chat_template(messages, /*add_generation_prompt=*/true), false);
    } else {
      if (args.count("system")) fail("--system: this model has no chat template (or --raw was given)");
      p.ids = p.tokenizer->encode(text, /*add_special=*/true);
    }
  }
  model.check_ids(p.ids, flag);
  if (int64_t(p.ids.size()) > model.config().max_positions)
    fail(flag + ": prompt of " + std::to_string(p.ids.size()) +
         " tokens is longer than the model's context (max_position_embeddings = " +
         std::to_string(model.config().max_positions) + ")");
  for (int64_t id : model.config().eos_ids) p.stop_ids.push_back(int32_t(id));
  if (p.tokenizer)
    for (int32_t id : p.tokenizer->eos_ids()) p.stop_ids.push_back(id);
  return p;
}

TextStream::TextStream(const Prompt& prompt) : prompt_(prompt) {
  // The prompt is the stream's context, so a SentencePiece decoder keeps the space before the first word.
  if (prompt.tokenizer) decoder_ = std::make_unique<StreamDecoder>(*prompt.tokenizer, prompt.ids, /*skip_special=*/true);
}

std::string TextStream::push(int32_t id) { return decoder_ ? decoder_->push(id) : prompt_.decode({id}); }

std::string TextStream::flush() { return decoder_ ? decoder_->flush() : ""; }

}  // namespace glassbox::cli
