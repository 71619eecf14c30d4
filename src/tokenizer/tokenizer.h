#pragma once
// A Hugging Face tokenizer.json, byte for byte: byte-level BPE (GPT-2, Llama-3, Qwen) and SentencePiece-style
// BPE with byte fallback (Llama, Mistral), with token inspection and chat templates.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/chat_template.h"

namespace glassbox {

// One token of an encoding, for inspection.
struct TokenInfo {
  int32_t id;
  std::string piece;    // as stored in the vocabulary ("Ġthe", "▁the", "<0xE4>", "<|im_start|>")
  std::string bytes;    // the bytes it stands for (" the")
  std::string display;  // bytes made visible (see base/visible_text.h)
  size_t begin, end;    // the input bytes it covers ([0, 0) for BOS/EOS added by the post-processor)
  bool special;         // a special token (BOS/EOS, <|im_start|>, ...)
  bool partial_utf8;    // its bytes are only part of a UTF-8 character
};

class Tokenizer {
 public:
  // tokenizer.json, plus tokenizer_config.json and chat_template.jinja when present, from a model directory.
  static Tokenizer load(const std::filesystem::path& dir);

  // Input that is not valid UTF-8 is encoded as if each invalid sequence were U+FFFD; spans still refer to
  // the original bytes. add_special applies the post-processor's BOS/EOS.
  std::vector<int32_t> encode(std::string_view text, bool add_special = false) const;
  std::vector<TokenInfo> inspect(std::string_view text, bool add_special = false) const;
  std::string decode(const std::vector<int32_t>& ids, bool skip_special = false) const;

  std::string display(int32_t id) const;  // visible form of one token, for tables and figures
  std::string token_bytes(int32_t id) const;
  std::string id_to_piece(int32_t id) const;  // "" for ids outside the vocabulary
  std::optional<int32_t> piece_to_id(std::string_view piece) const;
  int32_t vocab_size() const;
  bool is_special(int32_t id) const;

  // eos_token of tokenizer_config.json, and when chat-templated the end-of-turn tokens
  // (<|im_end|>, <|eot_id|>, <|endoftext|>, <|end_of_text|>) that exist.
  std::vector<int32_t> eos_ids() const;
  std::optional<int32_t> bos_id() const;

  // Whether the model has a chat template; one glassbox cannot render still counts, and using it throws
  // the error that suggests --raw.
  bool has_chat_template() const;
  const ChatTemplate& chat_template() const;  // throws when there is none or it cannot be rendered
  std::string apply_chat_template(const std::vector<ChatMessage>& messages, bool add_generation_prompt,
                                  bool enable_thinking = true) const;

  struct Impl;

 private:
  Tokenizer() = default;  // only load() makes one
  static Tokenizer finish_load(const std::filesystem::path& dir, std::shared_ptr<Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// Turns generated ids into text as they come, never returning half a UTF-8 character.
class StreamDecoder {
 public:
  explicit StreamDecoder(const Tokenizer& tokenizer, bool skip_special = false);
  // `context` is what precedes the stream (the prompt's ids): decoders that drop a leading space at the start
  // of text (SentencePiece style) must know the stream does not start the text.
  StreamDecoder(const Tokenizer& tokenizer, std::vector<int32_t> context, bool skip_special = false);

  std::string push(int32_t id);  // the newly completed text
  std::string flush();           // whatever is held back (incomplete bytes as U+FFFD)

 private:
  const Tokenizer* tokenizer_;
  bool skip_special_;
  std::vector<int32_t> ids_;  // a few tokens of context, then the ones not yet returned
  size_t prefix_ = 0;         // ids_[0, prefix_) are context whose text has been returned already
};

}  // namespace glassbox
