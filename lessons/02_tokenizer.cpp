// Lesson 02: how the model sees text. A model never sees letters: a tokenizer cuts text into pieces from a
// fixed vocabulary and the model sees only their ids. The cuts are often surprising.
#include <cstdio>

#include "lesson.h"
#include "render/token_strip.h"

using namespace glassbox;

namespace {

render::TokenStrip strip_of(const Tokenizer& tokenizer, const std::vector<int32_t>& ids, const std::string& title) {
  render::TokenStrip strip;
  for (int32_t id : ids) strip.tokens.push_back({tokenizer.token_bytes(id), id});
  strip.title = title;
  return strip;
}

void print_tokens(const Tokenizer& tokenizer, const std::string& text) {
  const std::vector<TokenInfo> tokens = tokenizer.inspect(text);
  std::printf("%-22s %2zu tokens:", ("\"" + text + "\"").c_str(), tokens.size());
  for (const TokenInfo& t : tokens) std::printf(" [%s]", t.display.c_str());
  std::printf("\n");
}

int tokenizer_lesson(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "02_tokenizer", "How text becomes token ids.", [](cxxopts::Options& o) {
    o.add_options()("text", "the sentence to split",
                    cxxopts::value<std::string>()->default_value("Tokenizers split text into pieces, not words!"));
  });
  if (!l) return 0;
  const Tokenizer tokenizer = lesson::load_tokenizer(*l);
  const std::string text = l->args["text"].as<std::string>();

  lesson::section("1. A sentence, split into tokens");
  // Each token is a piece of the vocabulary with an id; its bytes cover a span of the input.
  const std::vector<TokenInfo> tokens = tokenizer.inspect(text);
  std::printf("%5s  %7s  %-18s  %-10s\n", "index", "id", "piece", "bytes");
  for (size_t i = 0; i < tokens.size(); ++i)
    std::printf("%5zu  %7d  %-18s  %zu..%zu%s\n", i, tokens[i].id, tokens[i].display.c_str(), tokens[i].begin,
                tokens[i].end, tokens[i].partial_utf8 ? "  (part of a character)" : "");
  std::printf("\n%zu characters of text became %zu tokens.\n", text.size(), tokens.size());
  std::vector<int32_t> ids;
  for (const TokenInfo& t : tokens) ids.push_back(t.id);
  lesson::save(*l, strip_of(tokenizer, ids, "\"" + text + "\" as the model sees it"), "sentence", text);

  lesson::section("2. Surprises");
  // Capitals, a leading space, rare words, new names, emoji and digits all change the split: the model
  // sees "Hello" and " hello" as unrelated ids, and learns their relation only from data.
  const std::vector<std::string> cases = {"Hello", "hello", " hello", "Rust", " Rust", "tokenization",
                                          "MLX", "🦀", "12345", "3.14159"};
  std::string joined;
  for (const std::string& c : cases) {
    print_tokens(tokenizer, c);
    joined += (joined.empty() ? "" : " | ") + c;
  }
  lesson::save(*l, strip_of(tokenizer, tokenizer.encode(joined), "Surprises: the same word, split differently"),
               "surprises", joined);

  lesson::section("3. The vocabulary");
  const int32_t vocab = tokenizer.vocab_size();
  std::printf("vocabulary size: %d\n\n", vocab);
  std::printf("%7s  %-20s %s\n", "id", "piece", "special");
  for (int32_t id : {0, 1, 2, 3, vocab / 4, vocab / 2, vocab * 3 / 4, vocab - 2, vocab - 1})
    std::printf("%7d  %-20s %s\n", id, tokenizer.display(id).c_str(), tokenizer.is_special(id) ? "yes" : "");
  const std::string word = " the";
  if (const auto id = tokenizer.piece_to_id(tokenizer.id_to_piece(tokenizer.encode(word).back())))
    std::printf("\nlookup both ways: \"%s\" -> id %d -> \"%s\"\n", word.c_str(), *id, tokenizer.decode({*id}).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, tokenizer_lesson); }
