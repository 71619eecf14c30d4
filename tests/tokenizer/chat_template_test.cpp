// Chat templates of real tokenizers against transformers' apply_chat_template (fixtures/chat/golden.jsonl),
// byte for byte, and the tokenization of the rendered text against its ids; where templates and special
// tokens come from in a model folder.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "base/error.h"
#include "support/files.h"
#include "support/temp_dir.h"
#include "tokenizer/jinja/json.h"
#include "tokenizers.h"

namespace glassbox {
namespace {
using test::read_all;

ChatRequest conversation(std::initializer_list<std::pair<const char*, const char*>> messages, bool add_generation_prompt = true) {
  std::vector<jinja::Value> list;
  for (const auto& [role, content] : messages) list.push_back(chat_message(role, content));
  ChatRequest r;
  r.messages = jinja::Value::list(std::move(list));
  r.add_generation_prompt = add_generation_prompt;
  return r;
}

std::string variable(const Tokenizer& tok, const std::string& name) {
  for (const auto& [n, v] : tok.special_tokens())
    if (n == name) return v.str();
  return "<unset>";
}

TEST(ChatTemplate, GoldensByteForByte) {
  // Qwen2.5 has its template in chat_template.jinja and shares Qwen3's vocabulary.
  const ChatTemplate qwen25(read_all(test::shared_path("tokenizers/qwen2.5/chat_template.jinja")), "qwen2.5/chat_template.jinja");
  std::ifstream in(test::shared_path("fixtures/chat/golden.jsonl"));
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto g = nlohmann::ordered_json::parse(line);
    const std::string name = g["template"];
    SCOPED_TRACE(line);
    ChatRequest request;
    request.messages = jinja::from_json(g["messages"]);
    request.add_generation_prompt = g["add_generation_prompt"];
    if (g["variant"] == "no_think") request.variables.emplace_back("enable_thinking", jinja::Value::boolean(false));
    const Tokenizer& tok = test::shared_tokenizer(name == "qwen2.5" ? "qwen3" : name);
    const std::string text = name == "qwen2.5" ? qwen25.render(request) : tok.apply_chat_template(request);
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
  EXPECT_EQ(tok.chat_template().file(), (dir / "chat_template.jinja").string());
  EXPECT_EQ(tok.apply_chat_template(conversation({{"user", "Hi"}})),
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(tok.eos_ids(), (std::vector<int32_t>{151645, 151643}));
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
  const std::string text = tok.apply_chat_template(conversation({{"user", "hi"}}, false));
  EXPECT_EQ(text, "<|im_start|>user\nhi<|im_end|>\n");
  EXPECT_EQ(tok.encode(text), (std::vector<int32_t>{1, 16, 5, 13, 2, 5}));
  EXPECT_EQ(tok.eos_ids(), (std::vector<int32_t>{0, 2}));
  EXPECT_TRUE(tok.is_special(1));
}

TEST(ChatTemplate, SpecialTokensComeFromConfigAndMapAndUnsetOnesAreUndefined) {
  test::TempDir dir;
  std::filesystem::copy_file(test::shared_path("tokenizers/smollm2/tokenizer.json"), dir / "tokenizer.json");
  std::ofstream(dir / "tokenizer_config.json") << R"({"bos_token": {"content": "<|im_start|>", "__type": "AddedToken"},
    "eos_token": "<|im_end|>", "pad_token": null, "unk_token": "",
    "chat_template": "{{ bos_token }}|{{ eos_token }}|{{ pad_token is defined }}|{{ unk_token is defined }}|{{ sep_token }}|{{ additional_special_tokens }}"})";
  std::ofstream(dir / "special_tokens_map.json") << R"({"eos_token": {"content": "<|endoftext|>"}, "sep_token": null,
    "additional_special_tokens": ["<|im_start|>", {"content": "<|im_end|>"}]})";
  const Tokenizer tok = Tokenizer::load(dir.path());
  EXPECT_EQ(variable(tok, "bos_token"), "<|im_start|>");
  EXPECT_EQ(variable(tok, "eos_token"), "<|endoftext|>");  // special_tokens_map.json wins, as in transformers
  EXPECT_EQ(variable(tok, "pad_token"), "<unset>");
  EXPECT_EQ(tok.apply_chat_template(conversation({{"user", "x"}})),
            "<|im_start|>|<|endoftext|>|False|False||['<|im_start|>', '<|im_end|>']");
  // A caller's variable overrides a special token.
  ChatRequest r = conversation({{"user", "x"}});
  r.variables.emplace_back("bos_token", jinja::Value::string("<s>"));
  EXPECT_EQ(tok.apply_chat_template(r).substr(0, 4), "<s>|");
}

TEST(ChatTemplate, AnyTemplateRenders) {
  // What the fingerprinting used to refuse: a template it had never seen.
  const ChatTemplate t("{% for m in messages %}[{{ m.role | upper }}] {{ m.content }}\n{% endfor %}", "custom.jinja");
  EXPECT_EQ(t.render(conversation({{"system", "Be brief."}, {"user", "Hi"}})), "[SYSTEM] Be brief.\n[USER] Hi\n");
}

TEST(ChatTemplate, TemplateErrorsFailOnUseNotOnLoadAndNameFileAndLine) {
  test::TempDir dir;
  std::filesystem::copy_file(test::shared_path("tokenizers/smollm2/tokenizer.json"), dir / "tokenizer.json");
  std::ofstream(dir / "tokenizer_config.json") << R"({"eos_token": "<|im_end|>", "chat_template": "line 1\n{% if x %}\nunclosed"})";
  const Tokenizer tok = Tokenizer::load(dir.path());
  EXPECT_FALSE(tok.encode("hello").empty());
  EXPECT_TRUE(tok.has_chat_template());
  try {
    tok.apply_chat_template(conversation({{"user", "hi"}}));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find((dir / "tokenizer_config.json").string() + " (chat_template):3: "), std::string::npos) << what;
    EXPECT_NE(what.find("the {% if %} on line 2 is never closed (expected {% endif %})"), std::string::npos) << what;
  }
}

TEST(ChatTemplate, RaisedErrorCarriesTheTemplatesMessage) {
  const ChatTemplate t("{% if messages[0].role == 'system' %}\n{{ raise_exception('System role not supported') }}{% endif %}", "gemma.jinja");
  try {
    t.render(conversation({{"system", "x"}, {"user", "y"}}));
    FAIL() << "expected an error";
  } catch (const jinja::Error& e) {
    EXPECT_TRUE(e.raised());
    EXPECT_EQ(e.message(), "System role not supported");
    EXPECT_EQ(std::string(e.what()), "gemma.jinja:2: System role not supported");
  }
}

TEST(ChatTemplate, Qwen3ReasoningInHistory) {
  const Tokenizer& tok = test::shared_tokenizer("qwen3");
  // Reasoning of an assistant turn before the last user query is dropped; after it, kept.
  const ChatRequest r = conversation({{"user", "a"}, {"assistant", "<think>\nr1\n</think>\n\nx"}, {"user", "b"},
                                      {"assistant", "<think>r2</think>y"}}, false);
  EXPECT_EQ(tok.apply_chat_template(r),
            "<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\nx<|im_end|>\n<|im_start|>user\nb<|im_end|>\n"
            "<|im_start|>assistant\n<think>\nr2\n</think>\n\ny<|im_end|>\n");
}

TEST(ChatTemplate, MessagesFileKeepsExtraKeysInOrderAndChecksRoles) {
  const jinja::Value m = parse_messages(R"([{"role": "assistant", "content": null, "tool_calls": [{"id": "a", "function": {"name": "f"}}]}])", "m.json");
  const ChatTemplate t("{{ messages[0].content }}|{{ messages[0].tool_calls | tojson }}", "t.jinja");
  ChatRequest r;
  r.messages = m;
  EXPECT_EQ(t.render(r), R"(None|[{"id": "a", "function": {"name": "f"}}])");
  EXPECT_THROW(parse_messages(R"({"role": "user"})", "m.json"), Error);
  EXPECT_THROW(parse_messages(R"([{"content": "no role"}])", "m.json"), Error);
  EXPECT_THROW(parse_messages("[", "m.json"), Error);
}

TEST(ChatTemplate, ParsesPinnedClock) {
  const auto m = parse_moment("2024-07-26T12:00:00");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->time.tm_wday, 5);  // a Friday
  EXPECT_EQ(m->time.tm_yday, 207);
  for (const char* bad : {"2024-02-30T00:00:00", "2023-02-29T00:00:00", "2024-07-26 12:00:00", "2024-07-26T24:00:00", "x"})
    EXPECT_FALSE(parse_moment(bad)) << bad;
  EXPECT_TRUE(parse_moment("2024-02-29T23:59:59"));
}

}  // namespace
}  // namespace glassbox
