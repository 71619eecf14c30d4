#include "session/prompt.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "session/options.h"
#include "base/error.h"
#include "base/input_file.h"

namespace glassbox {

namespace {

// Whether the tokenizer has text for `id`. A model's vocabulary may be larger than its tokenizer's (Qwen pads
// its embedding to a multiple of 128), and a model may still sample one of those rows.
bool has_text(const Tokenizer* tokenizer, int32_t id) { return tokenizer && id < tokenizer->vocab_size(); }

std::string placeholder(int32_t id) { return "[" + std::to_string(id) + "]"; }

}  // namespace

std::string Prompt::decode(const std::vector<int32_t>& ids) const {
  // Runs of ids the tokenizer knows decode together; the others show as "[id]", as without a tokenizer.
  std::string text;
  for (size_t i = 0; i < ids.size();) {
    size_t j = i;
    while (j < ids.size() && has_text(tokenizer.get(), ids[j])) ++j;
    if (j > i) text += tokenizer->decode({ids.begin() + long(i), ids.begin() + long(j)});
    if (j < ids.size()) text += placeholder(ids[j++]);
    i = j;
  }
  return text;
}

std::string Prompt::display(int32_t id) const {
  return has_text(tokenizer.get(), id) ? tokenizer->display(id) : placeholder(id);
}

void add_prompt_options(cxxopts::Options& options) {
  options.add_options()
      ("prompt", "the prompt text (through the chat template when the model has one)", cxxopts::value<std::string>())
      ("prompt-ids", "the prompt as comma-separated token ids, e.g. 1,403,407", cxxopts::value<std::string>())
      ("raw", "encode --prompt as plain text, without the chat template");
  add_chat_options(options);
}

std::vector<int32_t> encode_chat(const Tokenizer& tokenizer, ChatRequest request) {
  request.add_generation_prompt = true;
  return tokenizer.encode(tokenizer.apply_chat_template(request), /*add_special=*/false);
}

std::vector<int32_t> encode_message(const Tokenizer& tokenizer, const std::string& text, bool chat,
                                    const std::string& system) {
  if (!chat) return tokenizer.encode(text, /*add_special=*/true);
  ChatRequest request;
  std::vector<jinja::Value> messages;
  if (!system.empty()) messages.push_back(chat_message("system", system));
  messages.push_back(chat_message("user", text));
  request.messages = jinja::Value::list(std::move(messages));
  return encode_chat(tokenizer, std::move(request));
}

Prompt resolve_prompt(const ModelFolder& folder, const cxxopts::ParseResult& args) {
  const Model& model = folder.model;
  Prompt p;
  p.tokenizer = folder.tokenizer;
  const bool has_text = args.count("prompt") > 0, has_ids = args.count("prompt-ids") > 0;
  const bool has_messages = args.count("messages") > 0;
  if (int(has_text) + int(has_ids) + int(has_messages) != 1) fail("--prompt, --prompt-ids or --messages: give exactly one");
  std::string flag = "--prompt-ids";
  if (has_ids) {
    if (!chat_flag_given(args).empty()) fail(chat_flag_given(args) + ": needs --prompt or --messages, not --prompt-ids");
    p.ids = parse_id_list(args["prompt-ids"].as<std::string>(), flag);
  } else {
    flag = has_text ? "--prompt" : "--messages";
    folder.require_tokenizer(flag);
    const bool chat = p.tokenizer->has_chat_template() && !args.count("raw");
    const std::string chat_flag = chat_flag_given(args);
    if (!chat && !chat_flag.empty()) fail(chat_flag + ": this model has no chat template (or --raw was given)");
    if (chat) p.ids = encode_chat(*p.tokenizer, chat_request(args, has_text ? args["prompt"].as<std::string>() : ""));
    else p.ids = p.tokenizer->encode(args["prompt"].as<std::string>(), /*add_special=*/true);
  }
  if (p.ids.empty()) fail(flag + ": the prompt is empty (it encodes to no tokens)");
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

std::string TextStream::push(int32_t id) {
  if (!has_text(prompt_.tokenizer.get(), id)) return (decoder_ ? decoder_->flush() : "") + placeholder(id);
  return decoder_->push(id);
}

std::string TextStream::flush() { return decoder_ ? decoder_->flush() : ""; }

}  // namespace glassbox
