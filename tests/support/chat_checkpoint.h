#pragma once
// A model folder as a user downloads one for a Llama-3.2 chat model, small enough for tests: the weights of
// the tiny-llama3-rope fixture (vocabulary 512, Llama-3 rope scaling), a byte-level tokenizer whose 512
// entries are the 256 bytes plus Llama-3's special and reserved tokens, and tokenizer_config.json holding the real
// Llama-3.2-3B-Instruct chat template (fixtures/chat-templates).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "support/files.h"
#include "support/shared.h"

namespace glassbox::test {

// GPT-2's byte-to-character table: printable bytes stand for themselves, the others for U+0100 onwards.
inline std::string byte_level_char(int b) {
  const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  int cp = b;
  if (!printable) {
    int n = 0;
    for (int x = 0; x < b; ++x)
      if (!((x >= '!' && x <= '~') || (x >= 0xA1 && x <= 0xAC) || (x >= 0xAE && x <= 0xFF))) ++n;
    cp = 256 + n;
  }
  std::string s;
  if (cp < 0x80) s += char(cp);
  else {
    s += char(0xC0 | (cp >> 6));
    s += char(0x80 | (cp & 0x3F));
  }
  return s;
}

inline void make_llama32_chat_checkpoint(const std::filesystem::path& dir) {
  const std::filesystem::path weights = shared_path("fixtures/tiny/tiny-llama3-rope");
  for (const char* f : {"config.json", "generation_config.json", "model.safetensors"})
    std::filesystem::copy_file(weights / f, dir / f);
  nlohmann::ordered_json vocab = nlohmann::ordered_json::object(), added = nlohmann::ordered_json::array();
  for (int b = 0; b < 256; ++b) vocab[byte_level_char(b)] = b;
  const char* specials[] = {"<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
                            "<|eot_id|>", "<|eom_id|>", "<|python_tag|>"};
  std::vector<std::string> names(std::begin(specials), std::end(specials));
  while (names.size() < 256) names.push_back("<|reserved_special_token_" + std::to_string(names.size() - 7) + "|>");
  int id = 256;
  for (const std::string& s : names) {  // the model's 512 ids all have a token
    vocab[s] = id;
    added.push_back({{"id", id++}, {"content", s}, {"single_word", false}, {"lstrip", false}, {"rstrip", false},
                     {"normalized", false}, {"special", true}});
  }
  const nlohmann::ordered_json byte_level = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
  const nlohmann::ordered_json tokenizer = {
      {"version", "1.0"}, {"added_tokens", added}, {"normalizer", nullptr}, {"pre_tokenizer", byte_level},
      {"post_processor", nullptr}, {"decoder", byte_level},
      {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", nlohmann::ordered_json::array()}}}};
  std::ofstream(dir / "tokenizer.json") << tokenizer.dump();
  const nlohmann::ordered_json config = {
      {"bos_token", "<|begin_of_text|>"}, {"eos_token", "<|eot_id|>"},
      {"chat_template", read_all(shared_path("fixtures/chat-templates/templates/llama-3.2-3b-instruct.jinja"))}};
  std::ofstream(dir / "tokenizer_config.json") << config.dump();
}

}  // namespace glassbox::test
