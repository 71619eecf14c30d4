// `glassbox template` and the chat flags of generate (--messages, --system, --var) end to end, and
// generation_config.json's eos ids stopping generation.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/chat_checkpoint.h"
#include "support/run.h"
#include "support/shared.h"

namespace glassbox {
namespace {
using nlohmann::json;

std::string chat_template(const std::string& name) {
  return test::shared_path("fixtures/chat-templates/templates/" + name + ".jinja").string();
}

// A messages file in a fresh folder (kept alive by the returned TempDir).
struct MessagesFile {
  explicit MessagesFile(const std::string& text) { std::ofstream(dir / "messages.json") << text; }
  std::string path() const { return (dir / "messages.json").string(); }
  test::TempDir dir;
};

const char* kSystemUser = R"([{"role": "system", "content": "You are a helpful assistant."},
                              {"role": "user", "content": "What is the capital of France?"}])";

TEST(Template, ReproducesTransformersExactlyWithNoNewlineAdded) {
  // golden.jsonl: llama-3.2-3b-instruct, system_user, add_generation_prompt=true.
  const MessagesFile m(kSystemUser);
  const auto r = test::glassbox({"template", "--chat-template", chat_template("llama-3.2-3b-instruct"), "--messages", m.path(),
                                 "--var", "bos_token=\"<|begin_of_text|>\"", "--var", "eos_token=\"<|eot_id|>\"",
                                 "--var", "date_string=\"26 Jul 2024\"", "--now", "2024-07-26T12:00:00"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday "
            "Date: 26 Jul 2024\n\nYou are a helpful assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWhat "
            "is the capital of France?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST(Template, NowPinsStrftimeNowAndNoGenerationPromptDropsTheHeader) {
  const MessagesFile m(R"([{"role": "user", "content": "Hi"}])");
  const auto r = test::glassbox({"template", "--chat-template", chat_template("smollm3-3b"), "--messages", m.path(),
                                 "--now", "2025-03-01T08:00:00", "--no-generation-prompt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Today Date: 01 March 2025\n"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.ends_with("\n\n<|im_start|>user\nHi<|im_end|>\n")) << r.out;
}

TEST(Template, RaisedExceptionExitsOneWithTheTemplatesMessage) {
  const MessagesFile m(kSystemUser);
  const auto r = test::glassbox({"template", "--chat-template", chat_template("gemma-2-2b-it"), "--messages", m.path()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("gemma-2-2b-it.jinja:1: System role not supported\n"), std::string::npos) << r.err;
}

TEST(Template, ModelFolderGivesTemplateAndSpecialTokensAndJsonHasIds) {
  test::TempDir model;
  test::make_llama32_chat_checkpoint(model.path());
  const MessagesFile m(R"([{"role": "user", "content": "Hi", "extra": [1, {"b": 2, "a": 1}]}])");
  const auto r = test::glassbox({"template", "--model", model.path().string(), "--messages", m.path(), "--json",
                                 "--var", "date_string=\"26 Jul 2024\""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  const std::string text = out["text"];
  EXPECT_EQ(text.rfind("<|begin_of_text|><|start_header_id|>system<|end_header_id|>", 0), 0u) << text;  // bos_token
  EXPECT_NE(text.find("Today Date: 26 Jul 2024"), std::string::npos);
  EXPECT_EQ(out["template"], (model / "tokenizer_config.json").string() + " (chat_template)");
  EXPECT_EQ(out["ids"][0], 256);  // <|begin_of_text|>
}

TEST(Template, ToolCallsAndOtherKeysPassThroughInOrder) {
  const MessagesFile m(R"([{"role": "user", "content": "Weather?"},
    {"role": "assistant", "content": null, "tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris", "unit": "C"}}}]}])");
  const auto l = test::glassbox({"template", "--chat-template", chat_template("llama-3.1-8b-instruct"), "--messages", m.path(),
                                 "--no-generation-prompt", "--var", "date_string=\"1 Jan 2025\""});
  ASSERT_EQ(l.exit_code, 0) << l.err;
  EXPECT_NE(l.out.find(R"({"name": "get_weather", "parameters": {"city": "Paris", "unit": "C"}})"), std::string::npos) << l.out;
}

TEST(Template, BadInputIsOneLineNamingTheFlagOrFile) {
  const MessagesFile m(R"([{"role": "user", "content": "Hi"}])");
  const std::string llama = chat_template("llama-3.2-3b-instruct");
  test::TempDir dir;
  std::ofstream(dir / "broken.jinja") << "line one\n{% for x in %}";
  std::ofstream(dir / "not_a_list.json") << R"({"role": "user"})";
  const struct {
    std::vector<std::string> args;
    std::string error;
  } cases[] = {
      {{"template", "--messages", m.path()}, "give exactly one of --model and --chat-template"},
      {{"template", "--chat-template", llama}, "--messages FILE.json is required"},
      {{"template", "--chat-template", llama, "--messages", m.path(), "--var", "x"}, "--var: expected NAME=JSON"},
      {{"template", "--chat-template", llama, "--messages", m.path(), "--var", "date_string=26 Jul"}, "--var date_string: '26 Jul' is not JSON"},
      {{"template", "--chat-template", llama, "--messages", m.path(), "--now", "2024-13-01T00:00:00"}, "--now: expected a date and time"},
      {{"template", "--chat-template", llama, "--messages", (dir / "none.json").string()}, "none.json: not found"},
      {{"template", "--chat-template", llama, "--messages", (dir / "not_a_list.json").string()}, "not_a_list.json: expected a JSON list"},
      {{"template", "--chat-template", (dir / "missing.jinja").string(), "--messages", m.path()}, "--chat-template " + (dir / "missing.jinja").string() + ": not found"},
      {{"template", "--chat-template", (dir / "broken.jinja").string(), "--messages", m.path()}, "broken.jinja:2: expected an expression"},
      {{"template", "--chat-template", "/dev/null", "--messages", "/dev/zero"}, "/dev/zero: not found (or not a regular file)"},
  };
  for (const auto& c : cases) {
    const auto r = test::glassbox(c.args);
    EXPECT_EQ(r.exit_code, 1) << c.error;
    EXPECT_NE(r.err.find(c.error), std::string::npos) << "expected '" << c.error << "' in: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(ChatFlags, GenerateTakesMessagesSystemAndVar) {
  test::TempDir model;
  test::make_llama32_chat_checkpoint(model.path());
  const MessagesFile m(kSystemUser);
  const auto r = test::glassbox({"generate", "--model", model.path().string(), "--messages", m.path(), "--max-tokens", "3",
                                 "--var", "date_string=\"26 Jul 2024\"", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto p = test::glassbox({"generate", "--model", model.path().string(), "--prompt", "Hi", "--system", "Be brief.",
                                 "--var", "date_string=\"26 Jul 2024\"", "--max-tokens", "3", "--json"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  // The same prompts through topk: the template text changes the prompt's length.
  const auto short_prompt = test::glassbox({"topk", "--model", model.path().string(), "--prompt", "Hi", "--json"});
  const auto long_prompt = test::glassbox({"topk", "--model", model.path().string(), "--prompt", "Hi", "--system", "Be brief.", "--json"});
  ASSERT_EQ(short_prompt.exit_code, 0) << short_prompt.err;
  ASSERT_EQ(long_prompt.exit_code, 0) << long_prompt.err;
  EXPECT_EQ(json::parse(long_prompt.out)["position"].get<int>() - json::parse(short_prompt.out)["position"].get<int>(),
            int(std::string("Be brief.").size()));  // one byte-level token per byte, at the last position
}

TEST(ChatFlags, MisusedChatFlagsAreErrors) {
  test::TempDir model;
  test::make_llama32_chat_checkpoint(model.path());
  const MessagesFile m(kSystemUser);
  const std::string dir = model.path().string(), stories = test::shared_path("models/stories260K").string();
  const struct {
    std::vector<std::string> args;
    std::string error;
  } cases[] = {
      {{"generate", "--model", dir, "--prompt", "Hi", "--messages", m.path()}, "--prompt, --prompt-ids or --messages: give exactly one"},
      {{"generate", "--model", dir, "--prompt-ids", "1,2", "--var", "x=1"}, "--var: needs --prompt or --messages"},
      {{"generate", "--model", dir, "--messages", m.path(), "--system", "x"}, "--system: give the system message inside --messages"},
      {{"generate", "--model", dir, "--prompt", "Hi", "--raw", "--var", "x=1"}, "--var: this model has no chat template (or --raw was given)"},
      {{"generate", "--model", stories, "--messages", m.path()}, "--messages: this model has no chat template"},
      {{"generate", "--model", dir, "--prompt", "Hi", "--var", "messages=[]"}, "--var messages: set by --messages or --prompt"},
  };
  for (const auto& c : cases) {
    const auto r = test::glassbox(c.args);
    EXPECT_EQ(r.exit_code, 1) << c.error;
    EXPECT_NE(r.err.find(c.error), std::string::npos) << "expected '" << c.error << "' in: " << r.err;
  }
}

TEST(ChatFlags, GenerationConfigEosIdsStopGeneration) {
  // stories260K's greedy continuation starts 410, 408, 419: with 408 as generation_config.json's eos id,
  // generation stops right after it.
  test::TempDir model;
  const std::filesystem::path stories = test::shared_path("models/stories260K");
  for (const auto& f : std::filesystem::directory_iterator(stories)) std::filesystem::copy_file(f.path(), model / f.path().filename());
  std::filesystem::permissions(model / "generation_config.json", std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::ofstream(model / "generation_config.json") << R"({"bos_token_id": 1, "eos_token_id": [2, 408]})";
  const std::string prompt = "1,403,407,261,378,432,383,286,261,376,298,315,421,395,317,426,338,401,396,267,337";
  const auto r = test::glassbox({"generate", "--model", model.path().string(), "--prompt-ids", prompt, "--max-tokens", "10", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["ids"], json::parse("[410, 408]"));

  std::ofstream(model / "generation_config.json") << R"({"eos_token_id": "408"})";
  const auto bad = test::glassbox({"generate", "--model", model.path().string(), "--prompt-ids", "1,2", "--max-tokens", "2"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("generation_config.json: field eos_token_id must hold integers"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace glassbox
