#pragma once
// tokenizer.json "decoder": ByteLevel, Metaspace, and Sequences of Replace / ByteFallback / Fuse / Strip
// (plus those four alone). Turns token pieces back into text.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace glassbox {

namespace json_fields {
class Pattern;
}

class Decoder {
 public:
  // A null component decodes as Hugging Face does without a decoder: pieces joined by spaces.
  static Decoder parse(const nlohmann::json& j, const std::string& where);

  // Hugging Face's decode of a list of pieces: every step's decode_chain in order, then joined.
  std::string decode(std::vector<std::string> pieces) const;
  // The bytes one piece stands for, by the per-piece steps only (byte-level characters to bytes, <0xNN> to
  // its byte, the metaspace to a space); the joining steps (Fuse, Strip) do not apply to a lone piece.
  std::string piece_bytes(const std::string& piece) const;

 private:
  enum class Kind { ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip };
  struct Step {
    Kind kind;
    std::shared_ptr<const json_fields::Pattern> pattern;  // Replace
    std::string text;    // Replace: the content; Metaspace: the replacement; Strip: the character
    bool strip_first_metaspace = false;  // Metaspace with a prepend scheme other than "never"
    size_t start = 0, stop = 0;          // Strip: how many characters to strip at each end
  };
  static void parse_into(const nlohmann::json& j, const std::string& where, std::vector<Step>& steps);
  static void apply(const Step& s, std::vector<std::string>& pieces);

  bool present_ = false;
  std::vector<Step> steps_;
};

}  // namespace glassbox
