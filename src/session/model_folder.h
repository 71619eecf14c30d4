#pragma once
// A Hugging Face model folder as the glassbox command and the lessons open it: the model, its tokenizer and
// chat template, and the ids that end a generation.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace glassbox {

struct ModelFolder {
  Model model;
  std::shared_ptr<const Tokenizer> tokenizer;  // null when the folder has no tokenizer.json
  // config.json's and generation_config.json's eos ids, and the tokenizer's end-of-turn tokens.
  std::vector<int32_t> stop_ids;

  // The tokenizer, or an error naming the missing tokenizer.json and `flag`, the option that needed it.
  const Tokenizer& require_tokenizer(const std::string& flag) const;
};

// Opens `dir`. `tokenizer_dir`, when not empty, lends a tokenizer to a checkpoint that has none (the
// random-weight test fixtures borrow one of the same vocabulary size).
ModelFolder open_model_folder(const std::filesystem::path& dir, const std::filesystem::path& tokenizer_dir = {});

}  // namespace glassbox
