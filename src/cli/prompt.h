#pragma once
// The prompt of generate/topk/dump: token ids given directly (--prompt-ids) or text (--prompt) encoded by
// the model's tokenizer, plus how to show generated ids as text.
#include <cstdint>
#include <cxxopts.hpp>
#include <memory>
#include <string>
#include <vector>

#include "model/model.h"

namespace glassbox::cli {

struct Prompt {
  std::vector<int32_t> ids;
  std::vector<int32_t> stop_ids;  // config.json's eos ids

  std::string decode(const std::vector<int32_t>& ids) const;
  std::string token_text(int32_t id) const;
};

void add_prompt_options(cxxopts::Options& options);

// Reads --prompt-ids; every id is checked against the vocabulary and the context length.
Prompt resolve_prompt(const Model& model, const cxxopts::ParseResult& args);

// Streams generated tokens as text.
class TextStream {
 public:
  explicit TextStream(const Prompt& prompt) : prompt_(prompt) {}
  std::string push(int32_t id);
  std::string flush();

 private:
  const Prompt& prompt_;
};

}  // namespace glassbox::cli
