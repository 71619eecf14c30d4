#pragma once
// tokenizer.json "added_tokens": strings (special like <|im_start|> or not) that are cut out of the text
// before the model sees it, honoring their lstrip / rstrip / single_word / normalized flags.
#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "tokenizer/aligned_string.h"
#include "tokenizer/normalizer.h"

namespace glassbox {

struct AddedToken {
  std::string content;
  int32_t id;
  bool special, lstrip, rstrip, single_word, normalized;
};

// A part of the text: either an added token (token set) or text still to be encoded.
struct Segment {
  AlignedString text;
  std::optional<int32_t> token;
};

class AddedTokens {
 public:
  AddedTokens() = default;
  // `normalizer` is applied to the content of tokens flagged normalized, since they are matched in
  // normalized text.
  AddedTokens(const nlohmann::json& list, const Normalizer& normalizer, const std::string& where);

  // Splits s at the tokens whose `normalized` flag is `normalized`; appends the parts to out.
  void split(AlignedString s, bool normalized, std::vector<Segment>& out) const;

  const std::vector<AddedToken>& tokens() const { return tokens_; }
  const AddedToken* find(int32_t id) const;

 private:
  struct Matcher {
    std::vector<std::string> patterns;     // the content to match, per token (normalized where flagged)
    std::array<std::vector<size_t>, 256> by_first_byte;  // token indices, longest pattern first
  };
  std::optional<size_t> longest_at(const Matcher& m, std::string_view text, size_t at) const;

  std::vector<AddedToken> tokens_;
  Matcher raw_, normalized_;
};

}  // namespace glassbox
