// Chat templates against transformers' apply_chat_template (fixtures/chat/golden.jsonl), byte for byte,
// and the tokenization of the rendered text against its ids.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "base/error.h"
#include "support/temp_dir.h"
#include "support/files.h"
#include "tokenizers.h"

namespace glassbox {
namespace {
using test::read_all;

std::vector<ChatMessage> messages_of(const nlohmann::json& g) {
  std::vector<ChatMessage> m;
  for (const auto& x : g["messages"]) m.push_back({x["role"], x["content"]});
  return m;
}

TEST(ChatTemplate, GoldensByteForByte) {
  // Qwen2.5 has its template in chat_template.jinja and shares Qwen3's vocabulary.
  const ChatTemplate qwen25 =
      ChatTemplate::recognize(read_all(test::shared_path("tokenizers/qwen2.5/chat_template.jinja")), "");
  EXPECT_EQ(qwen25.family(), ChatTemplate::Family::Qwen25);
  EXPECT_EQ(test::shared_tokenizer("qwen3").chat_template().family(), ChatTemplate::Family::Qwen3);
  EXPECT_EQ(test::shared_tokenizer("llama3").chat_template().family(), ChatTemplate::Family::Llama3);

  std::ifstream in(test::shared_path("fixtures/chat/golden.jsonl"));
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto g = nlohmann::json::parse(line);
    const std::string name = g["template"];
    const bool thinking = g["variant"] != "no_think";
    SCOPED_TRACE(line);
    const Tokenizer& tok = test::shared_tokenizer(name == "qwen2.5" ? "qwen3" : name);
    const std::string text =
        name == "qwen2.5" ? qwen25.render(messages_of(g), g["add_generation_prompt"], thinking)
                          : tok.apply_chat_template(messages_of(g), g["add_generation_prompt"], thinking);
    EXPECT_EQ(text, g["text"].get<std::string>());
    EXPECT_EQ(tok.encode(text), g["ids"].get<std::vector<int32_t>>());
    ++cases;
  }
  EXPECT_GE(cases, 30);
}

TEST(ChatTemplate, ChatTemplateJinjaFileIsUsed) {
  // Qwen2.5's layout: the template in chat_template.jinja beside tokenizer_config.json.
  test::TempDir dir;
  std::filesystem::copy_file(test::shared_path("tokenizers/qwen3/tokenizer.json"), dir / "tokenizer.json");
  for (const char* f : {"chat_template.jinja", "tokenizer_config.json"})
    std::filesystem::copy_file(test::shared_path(std::string("tokenizers/qwen2.5/") + f), dir / f);
  const Tokenizer tok = Tokenizer::load(dir.path());
  EXPECT_EQ(tok.chat_template().family(), ChatTemplate::Family::Qwen25);
  EXPECT_EQ(tok.apply_chat_template({{"user", "Hi"}}, true),
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(tok.eos_ids(), (std::vector<int32_t>{151645, 151643}));
}

TEST(ChatTemplate, PlainChatML) {
  const std::string jinja =
      "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
      "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
  const ChatTemplate t = ChatTemplate::recognize(jinja, "");
  EXPECT_EQ(t.family(), ChatTemplate::Family::ChatML);
  EXPECT_EQ(t.render({{"system", "Be brief."}, {"user", "Hi"}}, true),
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(t.render({{"user", "Hi"}}, false), "<|im_start|>user\nHi<|im_end|>\n");
}

TEST(ChatTemplate, DemoStyleTokenizerDirectory) {
  // A byte-level BPE directory like the demo model's: ChatML template in tokenizer_config.json.
  test::TempDir dir;
  std::ofstream(dir / "tokenizer.json") << R"({
    "added_tokens": [
      {"id": 0, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
      {"id": 1, "content": "<|im_start|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
      {"id": 2, "content": "<|im_end|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
    "normalizer": null,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
    "post_processor": null,
    "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
    "model": {"type": "BPE", "vocab": {"<|endoftext|>": 0, "<|im_start|>": 1, "<|im_end|>": 2,
      "h": 3, "i": 4, "Ċ": 5, "u": 6, "s": 7, "e": 8, "r": 9, "a": 10, "t": 11, "n": 12, "hi": 13, "us": 14, "er": 15,
      "user": 16, "use": 17}, "merges": ["h i", "u s", "us e", "use r"]}})";
  std::ofstream(dir / "tokenizer_config.json") << R"({"eos_token": "<|endoftext|>", "bos_token": null,
    "chat_template": "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"})";
  const Tokenizer tok = Tokenizer::load(dir.path());
  ASSERT_TRUE(tok.has_chat_template());
  const std::string text = tok.apply_chat_template({{"user", "hi"}}, false);
  EXPECT_EQ(text, "<|im_start|>user\nhi<|im_end|>\n");
  EXPECT_EQ(tok.encode(text), (std::vector<int32_t>{1, 16, 5, 13, 2, 5}));
  EXPECT_EQ(tok.eos_ids(), (std::vector<int32_t>{0, 2}));
  EXPECT_TRUE(tok.is_special(1));
}

TEST(ChatTemplate, UnknownTemplateSuggestsRaw) {
  try {
    ChatTemplate::recognize("{{ messages[0]['content'] }}", "");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--raw"), std::string::npos) << e.what();
  }
  // ChatML with a built-in system prompt (SmolLM2 style) is not plain ChatML.
  EXPECT_THROW(ChatTemplate::recognize("{% if messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are "
                                       "SmolLM.<|im_end|>\\n' }}{% endif %}{% if add_generation_prompt %}{% endif %}"
                                       "{{ '<|im_start|>' }}",
                                       ""),
               Error);
}

TEST(ChatTemplate, UnrenderableTemplateFailsOnUseNotOnLoad) {
  test::TempDir dir;
  std::filesystem::copy_file(test::shared_path("tokenizers/smollm2/tokenizer.json"), dir / "tokenizer.json");
  std::ofstream(dir / "tokenizer_config.json") << R"({"eos_token": "<|im_end|>", "chat_template": "{{ raise_exception('x') }}"})";
  const Tokenizer tok = Tokenizer::load(dir.path());
  EXPECT_FALSE(tok.encode("hello").empty());
  EXPECT_TRUE(tok.has_chat_template());
  try {
    tok.apply_chat_template({{"user", "hi"}}, true);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--raw"), std::string::npos) << e.what();
  }
}

TEST(ChatTemplate, Qwen3ReasoningInHistory) {
  const Tokenizer& tok = test::shared_tokenizer("qwen3");
  // Reasoning of an assistant turn before the last user query is dropped; after it, kept.
  const std::vector<ChatMessage> m = {{"user", "a"}, {"assistant", "<think>\nr1\n</think>\n\nx"}, {"user", "b"},
                                      {"assistant", "<think>r2</think>y"}};
  EXPECT_EQ(tok.apply_chat_template(m, false),
            "<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\nx<|im_end|>\n<|im_start|>user\nb<|im_end|>\n"
            "<|im_start|>assistant\n<think>\nr2\n</think>\n\ny<|im_end|>\n");
}

}  // namespace
}  // namespace glassbox
