#pragma once
// The prompts of an evaluation run: a JSON Lines file of {"id", "prompt" or "messages", optional "expected"},
// checked whole (every line, unique ids, prompts that encode and fit the model's context) before any sample
// runs, so a bad line 180 does not surface after an hour of generating.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace glassbox {

struct EvalSample {
  int64_t line = 0;
  nlohmann::json id;  // as written: a string or an integer
  std::string key;    // id.dump(): how results are matched to samples ("7" and 7 differ)
  std::optional<std::string> expected;
  std::vector<int32_t> prompt_ids;
};

// "prompt" goes through the chat template when the model has one and `raw` is false; "messages" always do.
std::vector<EvalSample> read_eval_set(const std::filesystem::path& path, const Model& model,
                                      const Tokenizer& tokenizer, bool raw);

}  // namespace glassbox
