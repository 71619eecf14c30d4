// Fuzzes prompt text through encode then decode on the real tokenizers (../shared and the demo model): the
// round trip must give back the text, as Hugging Face's does. Invalid UTF-8 comes back with each invalid
// sequence as U+FFFD; Qwen's NFC normalizer returns the NFC form; SentencePiece-style tokenizers (Metaspace
// or a Replace of " " by "▁") return "▁" as a space, since that is how they spell one. A byte the vocabulary
// cannot spell (SmolLM2 has no token for byte 0x04) is dropped by Hugging Face as by glassbox, so texts with
// such bytes are skipped.
#include <utf8proc.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/utf8.h"
#include "session/shared_paths.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/tokenizer.h"

namespace {

struct Case {
  std::string name;
  std::unique_ptr<glassbox::Tokenizer> tokenizer;
  bool nfc, metaspace;
  std::array<bool, 256> spells{};  // whether the vocabulary has a token for the byte
};
std::vector<Case> cases;

std::string nfc(const std::string& s) {
  utf8proc_uint8_t* out = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(s.c_str()));
  std::string r(reinterpret_cast<char*>(out));
  std::free(out);
  return r;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::filesystem::path shared = glassbox::shared_dir();
  struct Source { const char* name; std::filesystem::path dir; bool nfc, metaspace; };
  for (const Source& s : {Source{"smollm2", shared / "tokenizers/smollm2", false, false},
                          Source{"qwen3", shared / "tokenizers/qwen3", true, false},
                          Source{"llama3", shared / "tokenizers/llama3", false, false},
                          Source{"stories260K", shared / "models/stories260K", false, true},
                          Source{"demo", std::filesystem::path(GLASSBOX_SOURCE_DIR) / "models/glassbox-demo", false, false}}) {
    try {
      Case c{s.name, std::make_unique<glassbox::Tokenizer>(glassbox::Tokenizer::load(s.dir)), s.nfc, s.metaspace, {}};
      for (int b = 0; b < 256; ++b) {
        char fallback[8];
        std::snprintf(fallback, sizeof fallback, "<0x%02X>", b);
        c.spells[size_t(b)] = c.tokenizer->piece_to_id(glassbox::byte_level::char_for_byte(uint8_t(b))) ||
                              c.tokenizer->piece_to_id(fallback);
      }
      cases.push_back(std::move(c));
    } catch (const glassbox::Error& e) {
      std::fprintf(stderr, "cannot load the %s tokenizer (set GLASSBOX_SHARED): %s\n", s.name, e.what());
      std::abort();
    }
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Case& c = cases[data[0] % cases.size()];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (text.find('\0') != std::string::npos) return 0;  // utf8proc's NFC stops at NUL
  for (unsigned char b : text)
    if (!c.spells[b]) return 0;
  std::string expected = glassbox::utf8::to_valid_lossy(text);
  if (c.nfc) expected = nfc(expected);
  if (c.metaspace) expected = replace_all(expected, "\xE2\x96\x81", " ");
  const std::string decoded = c.tokenizer->decode(c.tokenizer->encode(text));
  if (decoded != expected) {
    std::fprintf(stderr, "%s: round trip changed the text\nexpected: %s\ndecoded:  %s\n", c.name.c_str(),
                 glassbox::one_line(expected).c_str(), glassbox::one_line(decoded).c_str());
    std::abort();
  }
  return 0;
}
