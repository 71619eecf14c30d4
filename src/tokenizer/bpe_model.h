#pragma once
// tokenizer.json "model" of type BPE: vocab, merges (as "a b" strings or [a, b] pairs), byte_fallback,
// ignore_merges, unk_token/fuse_unk, continuing_subword_prefix, end_of_word_suffix.
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace glassbox {

// Hashes std::string and std::string_view alike, so maps keyed by string can be searched with a view.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using StringIdMap = std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>>;

class BpeModel {
 public:
  static BpeModel from_json(const nlohmann::json& model, const std::string& where);

  struct Token {
    int32_t id;
    uint32_t begin, end;  // byte range in the word
  };
  // Appends the tokens of one pre-tokenized piece.
  void tokenize(std::string_view word, std::vector<Token>& out) const;

  std::optional<int32_t> token_to_id(std::string_view piece) const;
  // The vocabulary entry of id, or nullptr when id is not in the model's vocabulary.
  const std::string* id_to_token(int32_t id) const;
  int32_t id_limit() const { return static_cast<int32_t>(pieces_.size()); }
  bool byte_fallback() const { return byte_fallback_; }

 private:
  struct Merge {
    int32_t rank, id;
  };
  static uint64_t pair_key(int32_t a, int32_t b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  }
  void merge_word(std::string_view word, std::vector<Token>& out) const;

  StringIdMap vocab_;
  std::vector<std::string> pieces_;
  std::vector<bool> has_piece_;
  std::unordered_map<uint64_t, Merge> merges_;
  std::array<int32_t, 256> byte_ids_{};  // <0xNN> tokens for byte fallback, -1 where absent
  std::optional<int32_t> unk_id_;
  bool fuse_unk_ = false, byte_fallback_ = false, ignore_merges_ = false;
  std::string continuing_prefix_, end_suffix_;

  // Words repeat constantly in real text; remembering their tokens makes encoding several times faster.
  struct Cache {
    std::mutex mutex;
    std::unordered_map<std::string, std::vector<Token>, StringHash, std::equal_to<>> words;
  };
  std::shared_ptr<Cache> cache_ = std::make_shared<Cache>();
};

}  // namespace glassbox
