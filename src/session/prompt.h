#pragma once
// The prompt of generate/topk/dump: token ids given directly (--prompt-ids) or text (--prompt) encoded by
// the model's tokenizer, through its chat template unless --raw, plus how to show ids as text.
#include <cstdint>
#include <cxxopts.hpp>
#include <memory>
#include <string>
#include <vector>

#include "session/model_folder.h"
#include "tokenizer/tokenizer.h"

namespace glassbox {

struct Prompt {
  std::vector<int32_t> ids;
  std::shared_ptr<const Tokenizer> tokenizer;  // the folder's; null when it has no tokenizer.json

  std::string decode(const std::vector<int32_t>& ids) const;  // text, or "[id][id]" without a tokenizer
  std::string display(int32_t id) const;                       // visible whitespace, for tables
};

void add_prompt_options(cxxopts::Options& options);

// One user message as the model should read it: through the chat template (with `system` first when it is
// not empty) when `chat`, else the plain text with the tokenizer's BOS, if it adds one.
std::vector<int32_t> encode_message(const Tokenizer& tokenizer, const std::string& text, bool chat,
                                    const std::string& system = "");

// Reads --prompt or --prompt-ids (with --raw, --system); every id is checked against the vocabulary and
// the prompt against the context length.
Prompt resolve_prompt(const ModelFolder& folder, const cxxopts::ParseResult& args);

// Streams generated tokens as text, never splitting a UTF-8 character.
class TextStream {
 public:
  explicit TextStream(const Prompt& prompt);
  std::string push(int32_t id);
  std::string flush();

 private:
  const Prompt& prompt_;
  std::unique_ptr<StreamDecoder> decoder_;
};

}  // namespace glassbox
