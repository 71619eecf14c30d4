#include "session/prompt.h"

#include "session/options.h"
#include "base/error.h"

namespace glassbox {

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

std::vector<int32_t> encode_message(const Tokenizer& tokenizer, const std::string& text, bool chat,
                                    const std::string& system) {
  if (!chat) return tokenizer.encode(text, /*add_special=*/true);
  std::vector<ChatMessage> messages;
  if (!system.empty()) messages.push_back({"system", system});
  messages.push_back({"user", text});
  return tokenizer.encode(tokenizer.apply_chat_template(messages, /*add_generation_prompt=*/true), false);
}

Prompt resolve_prompt(const ModelFolder& folder, const cxxopts::ParseResult& args) {
  const Model& model = folder.model;
  Prompt p;
  p.tokenizer = folder.tokenizer;
  const bool has_text = args.count("prompt") > 0, has_ids = args.count("prompt-ids") > 0;
  if (has_text == has_ids) fail("--prompt or --prompt-ids: give exactly one");
  std::string flag = "--prompt-ids";
  if (has_ids) {
    p.ids = parse_id_list(args["prompt-ids"].as<std::string>(), flag);
  } else {
    flag = "--prompt";
    folder.require_tokenizer("--prompt");
    const bool chat = p.tokenizer->has_chat_template() && !args.count("raw");
    if (args.count("system") && !chat) fail("--system: this model has no chat template (or --raw was given)");
    p.ids = encode_message(*p.tokenizer, args["prompt"].as<std::string>(), chat,
                           args.count("system") ? args["system"].as<std::string>() : "");
  }
  model.check_ids(p.ids, flag);
  if (int64_t(p.ids.size()) > model.config().max_positions)
    fail(flag + ": prompt of " + std::to_string(p.ids.size()) +
         " tokens is longer than the model's context (max_position_embeddings = " +
         std::to_string(model.config().max_positions) + ")");
  return p;
}

TextStream::TextStream(const Prompt& prompt) : prompt_(prompt) {
  // The prompt is the stream's context, so a SentencePiece decoder keeps the space before the first word.
  if (prompt.tokenizer) decoder_ = std::make_unique<StreamDecoder>(*prompt.tokenizer, prompt.ids, /*skip_special=*/true);
}

std::string TextStream::push(int32_t id) { return decoder_ ? decoder_->push(id) : prompt_.decode({id}); }

std::string TextStream::flush() { return decoder_ ? decoder_->flush() : ""; }

}  // namespace glassbox
