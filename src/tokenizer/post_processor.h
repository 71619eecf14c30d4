#pragma once
// tokenizer.json "post_processor": TemplateProcessing (BOS/EOS around the text), ByteLevel (offset trimming)
// and Sequences of them.
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "tokenizer/aligned_string.h"

namespace glassbox {

// One token of an encoding: its id, the input bytes it covers, and whether it is a special token.
struct EncodedToken {
  int32_t id;
  Span span;
  bool special;
};

class PostProcessor {
 public:
  static PostProcessor parse(const nlohmann::json& j, const std::string& where);
  // `piece` gives a token's vocabulary string (for offset trimming). Special tokens are added only when
  // add_special is true; offsets are trimmed either way, as Hugging Face does.
  void process(std::vector<EncodedToken>& tokens, bool add_special,
               const std::function<std::string(int32_t)>& piece) const;
  // Every id a template inserts, to be checked against the vocabulary.
  std::vector<int32_t> special_ids() const;

 private:
  struct Step {
    bool is_template = false;
    // TemplateProcessing "single": the ids to insert before and after the sequence.
    std::vector<int32_t> before, after;
    // ByteLevel
    bool trim_offsets = false, add_prefix_space = false;
  };
  static void parse_into(const nlohmann::json& j, const std::string& where, std::vector<Step>& steps);
  std::vector<Step> steps_;
};

}  // namespace glassbox
