// llama.cpp's tokenizer test vectors: texts separated by __ggml_vocab_test__ lines, expected ids per line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/files.h"
#include "tokenizers.h"

namespace glassbox {
namespace {
using test::read_all;

void check_vectors(const std::string& vocab, const std::string& tokenizer) {
  const Tokenizer& tok = test::shared_tokenizer(tokenizer);
  const auto dir = test::shared_path("fixtures/tokenizer/llamacpp-vectors");
  const std::string inp = read_all(dir / ("ggml-vocab-" + vocab + ".gguf.inp"));
  std::istringstream out(read_all(dir / ("ggml-vocab-" + vocab + ".gguf.out")));
  const std::string sep = "\n__ggml_vocab_test__\n";
  size_t start = 0, cases = 0;
  for (size_t p = inp.find(sep); p != std::string::npos; p = inp.find(sep, start)) {
    const std::string text = inp.substr(start, p - start);
    start = p + sep.size();
    std::string line;
    ASSERT_TRUE(std::getline(out, line)) << "fewer expected lines than texts";
    std::istringstream ids_line(line);
    std::vector<int32_t> expected;
    for (int32_t id; ids_line >> id;) expected.push_back(id);
    EXPECT_EQ(tok.encode(text), expected) << "text: '" << text << "'";
    ++cases;
  }
  EXPECT_GT(cases, 40u);
}

TEST(LlamaCppVectors, Qwen2WithQwen3Tokenizer) { check_vectors("qwen2", "qwen3"); }
TEST(LlamaCppVectors, LlamaBpeWithLlama3Tokenizer) { check_vectors("llama-bpe", "llama3"); }

}  // namespace
}  // namespace glassbox
