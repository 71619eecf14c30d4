// tokenize-bench DIR [FILE]: encoding speed of the tokenizer in DIR, in MB/s of input, on FILE or on a
// built-in English paragraph repeated to 4 MB. Prints one line per pass; the first pass fills the word cache.
#include <chrono>
#include <cstdio>
#include <string>

#include "base/error.h"
#include "base/input_file.h"
#include "tokenizer/tokenizer.h"

namespace {

constexpr const char* kProse =
    "It was a bright cold day in April, and the clocks were striking thirteen. The hallway smelt of boiled "
    "cabbage and old rag mats. At one end of it a coloured poster, too large for indoor display, had been "
    "tacked to the wall. It depicted simply an enormous face, more than a metre wide: the face of a man of "
    "about forty-five, with a heavy black moustache and ruggedly handsome features. Winston made for the "
    "stairs. It was no use trying the lift. Even at the best of times it was seldom working, and at present "
    "the electric current was cut off during daylight hours. It was part of the economy drive in preparation "
    "for Hate Week. The flat was seven flights up, and Winston, who was thirty-nine and had a varicose ulcer "
    "above his right ankle, went slowly, resting several times on the way.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tokenize-bench MODEL_OR_TOKENIZER_DIR [TEXT_FILE]\n");
    return 2;
  }
  try {
    std::string text;
    if (argc > 2) {
      text = glassbox::read_input_file(argv[2], 1 << 30);
    } else {
      // Distinct numbers per paragraph keep the text from being one cached word list over and over.
      for (int i = 0; text.size() < 4'000'000; ++i) text += std::to_string(i) + ". " + kProse;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const glassbox::Tokenizer tok = glassbox::Tokenizer::load(argv[1]);
    const auto t1 = std::chrono::steady_clock::now();
    std::printf("load: %.3f s\n", std::chrono::duration<double>(t1 - t0).count());
    for (int pass = 0; pass < 3; ++pass) {
      const auto a = std::chrono::steady_clock::now();
      const size_t n = tok.encode(text).size();
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
      std::printf("pass %d: %.2f MB in %.3f s = %.2f MB/s, %zu tokens\n", pass, text.size() / 1e6, s,
                  text.size() / 1e6 / s, n);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", glassbox::one_line(e.what()).c_str());
    return 1;
  }
  return 0;
}
