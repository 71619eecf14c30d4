// Bad input never crashes and never passes silently: one line on stderr naming what is wrong, non-zero exit.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/shared.h"

namespace glassbox {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

// A writable copy of tiny-llama to break in one way per test.
class BrokenModel : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path src = test::shared_path("fixtures/tiny/tiny-llama");
    for (const char* f : {"config.json", "model.safetensors"}) fs::copy_file(src / f, dir_ / f);
  }

  json config() {
    std::ifstream f(dir_ / "config.json");
    return json::parse(f);
  }
  void write_config(const json& j) { std::ofstream(dir_ / "config.json") << j.dump(); }

  std::string weights() { return test::read_all(dir_ / "model.safetensors"); }
  void write_weights(const std::string& bytes) {
    std::ofstream(dir_ / "model.safetensors", std::ios::binary) << bytes;
  }

  // Runs `glassbox params` and `glassbox topk` on the broken model; both must fail with one line naming `needle`.
  void expect_error(const std::string& needle) {
    for (auto args : {std::vector<std::string>{"topk", "--model", dir_.path().string(), "--prompt-ids", "1,2,3"},
                      std::vector<std::string>{"generate", "--model", dir_.path().string(), "--prompt-ids", "1,2", "--max-tokens", "2"}}) {
      const auto r = test::glassbox(args);
      EXPECT_GT(r.exit_code, 0) << args[0] << " (exit " << r.exit_code << ", -1 is a crash)";
      EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
      EXPECT_NE(r.err.find(needle), std::string::npos) << "wanted '" << needle << "' in: " << r.err;
    }
  }

  test::TempDir dir_;
};

// Rewrites the safetensors header (keeping the data) after `edit` changed it.
std::string with_header(const std::string& file, const std::function<void(json&)>& edit) {
  uint64_t len;
  std::memcpy(&len, file.data(), 8);
  json header = json::parse(file.substr(8, len));
  edit(header);
  std::string text = header.dump();
  const uint64_t new_len = text.size();
  return std::string(reinterpret_cast<const char*>(&new_len), 8) + text + file.substr(8 + len);
}

TEST_F(BrokenModel, TruncatedFile) {
  write_weights(weights().substr(0, 5));
  expect_error("model.safetensors: truncated");
}

TEST_F(BrokenModel, TruncatedData) {
  const std::string w = weights();
  write_weights(w.substr(0, w.size() - 100));
  expect_error("past the data area");
}

TEST_F(BrokenModel, HeaderLengthPastEnd) {
  std::string w = weights();
  const uint64_t huge = w.size();
  std::memcpy(w.data(), &huge, 8);
  write_weights(w);
  expect_error("past the end of the file");
}

TEST_F(BrokenModel, OverlappingOffsets) {
  write_weights(with_header(weights(), [](json& h) {
    h["model.norm.weight"]["data_offsets"] = h["model.layers.0.input_layernorm.weight"]["data_offsets"];
  }));
  expect_error("overlap");
}

TEST_F(BrokenModel, ByteSizeThatDoesNotMatchShape) {
  write_weights(with_header(weights(), [](json& h) { h["model.norm.weight"]["shape"] = {65}; }));
  expect_error("'model.norm.weight': byte size 256 does not match shape [65]");
}

TEST_F(BrokenModel, MissingTensor) {
  write_weights(with_header(weights(), [](json& h) { h.erase("model.layers.1.mlp.up_proj.weight"); }));
  expect_error("missing tensor 'model.layers.1.mlp.up_proj.weight'");
}

TEST_F(BrokenModel, TensorShapeContradictsConfig) {
  json c = config();
  c["intermediate_size"] = 128;
  write_config(c);
  expect_error("'model.layers.0.mlp.gate_proj.weight' has shape [160, 64] but config.json needs [128, 64]");
}

TEST_F(BrokenModel, MissingConfig) {
  fs::remove(dir_ / "config.json");
  expect_error("config.json: cannot open");
}

TEST_F(BrokenModel, UnknownArchitecture) {
  json c = config();
  c["architectures"] = {"GPTNeoXForCausalLM"};
  write_config(c);
  expect_error("architecture GPTNeoXForCausalLM is not supported (supported: LlamaForCausalLM, MistralForCausalLM, "
               "Qwen2ForCausalLM, Qwen3ForCausalLM)");
}

TEST_F(BrokenModel, NonNumericConfigField) {
  json c = config();
  c["num_hidden_layers"] = "three";
  write_config(c);
  expect_error("config.json: field num_hidden_layers must be an integer");
}

TEST_F(BrokenModel, InvalidJsonConfig) {
  std::ofstream(dir_ / "config.json") << "{\"architectures\": [";
  expect_error("config.json: not valid JSON");
}

TEST(BadInput, PromptIdOutsideVocabulary) {
  const auto r = test::glassbox({"generate", "--model", test::shared_path("models/stories260K").string(),
                                 "--prompt-ids", "1,512"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: --prompt-ids: token id 512 is outside the vocabulary (0..511)\n");
}

TEST(BadInput, PromptLongerThanContext) {
  std::string ids = "1";
  for (int i = 0; i < 512; ++i) ids += ",300";
  const auto r = test::glassbox({"topk", "--model", test::shared_path("models/stories260K").string(), "--prompt-ids", ids});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "error: --prompt-ids: prompt of 513 tokens is longer than the model's context (max_position_embeddings = 512)\n");
}

TEST(BadInput, MalformedIdsAndFlags) {
  const std::string model = test::shared_path("models/stories260K").string();
  struct Case { std::vector<std::string> args; std::string needle; };
  for (const Case& c : std::vector<Case>{
           {{"generate", "--model", model, "--prompt-ids", "1,x"}, "--prompt-ids: expected comma-separated token ids"},
           {{"generate", "--model", model, "--prompt-ids", "1", "--temp", "hot"}, "--temp: 'hot' is not a valid value"},
           {{"generate", "--model", model, "--prompt-ids", "1", "--top-p", "2"}, "--top-p must be in (0, 1]"},
           {{"generate", "--model", model, "--prompt-ids", "1", "--bogus"}, "bogus"},
           {{"topk", "--model", model, "--prompt-ids", "1,2", "--position", "5"}, "--position 5 is outside the prompt"},
           {{"dump", "--model", model, "--prompt-ids", "1", "--names", "q.9", "--out", "/tmp/x.safetensors"}, "--names: unknown activation 'q.9'"},
           {{"frobnicate"}, "unknown command 'frobnicate'"},
           {{"params", "--model", "/nonexistent/model"}, "/nonexistent/model/config.json: cannot open"},
       }) {
    const auto r = test::glassbox(c.args);
    EXPECT_GT(r.exit_code, 0) << c.needle;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << "wanted '" << c.needle << "' in: " << r.err;
  }
}

}  // namespace
}  // namespace glassbox
