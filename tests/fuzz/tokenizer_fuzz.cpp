// Fuzzes tokenizer.json, every component: model (BPE vocab, merges, byte fallback, unk), normalizer,
// pre_tokenizer, post_processor, decoder and added_tokens. A tokenizer glassbox accepts must encode,
// inspect and decode any text without crashing, with ids inside its vocabulary and spans inside the text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "tokenizer/tokenizer.h"

namespace {

const char* const kTexts[] = {
    "Hello world! The cat sat on the mat.",
    "  leading spaces, tabs\tand\nnewlines\r\n",
    "Ünïcödé 你好 こんにちは 🦀 \u2581\u0120",
    "<s></s><|im_start|>user<|im_end|><|endoftext|>",
    "1234567890 3.14159 ',.;:!?-\"'",
    "\xff\xfe invalid \xc3 utf-8 \xe4\xbd",
    "",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace glassbox;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const Tokenizer t = Tokenizer::parse(input, "tokenizer.json");
    const int32_t vocab = t.vocab_size();
    std::vector<std::string_view> texts(std::begin(kTexts), std::end(kTexts));
    texts.push_back(input.substr(0, 256));  // the file's own bytes reach its added tokens and merges
    for (std::string_view text : texts)
      for (bool special : {false, true}) {
        const std::vector<TokenInfo> tokens = t.inspect(text, special);
        std::vector<int32_t> ids;
        size_t last_end = 0;
        for (const TokenInfo& k : tokens) {
          if (k.id < 0 || k.id >= vocab) {
            std::fprintf(stderr, "id %d outside the vocabulary of %d\n", k.id, vocab);
            std::abort();
          }
          if (k.begin > k.end || k.end > text.size()) std::abort();
          last_end = std::max(last_end, size_t(k.end));
          ids.push_back(k.id);
        }
        (void)last_end;
        t.decode(ids, false);
        t.decode(ids, true);
        StreamDecoder stream(t, true);
        for (int32_t id : ids) stream.push(id);
        stream.flush();
      }
    for (int32_t id = 0; id < std::min(vocab, 300); ++id) t.display(id);
  } catch (const Error&) {
  }
  return 0;
}
