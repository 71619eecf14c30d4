// Opening a model folder: the tokenizer comes along (or is borrowed), and generation stops on the eos ids of
// config.json, generation_config.json and the tokenizer's end-of-turn tokens.
#include "session/model_folder.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/error.h"
#include "support/files.h"
#include "support/shared.h"
#include "support/temp_dir.h"

namespace glassbox {
namespace {
namespace fs = std::filesystem;

bool contains(const std::vector<int32_t>& ids, int32_t id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

// stories260K with a generation_config.json that names one more eos id, 7, than config.json (2).
fs::path folder_with_generation_eos(const test::TempDir& dir, const std::string& generation_config) {
  const fs::path src = test::shared_path("models/stories260K");
  for (const char* f : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"})
    fs::copy_file(src / f, dir / f);
  test::write_file(dir / "generation_config.json", generation_config);
  return dir.path();
}

TEST(ModelFolder, StopsOnGenerationConfigEosIdsToo) {
  test::TempDir dir;
  const ModelFolder f = open_model_folder(folder_with_generation_eos(dir, R"({"eos_token_id": [2, 7]})"));
  ASSERT_NE(f.tokenizer, nullptr);
  EXPECT_TRUE(contains(f.stop_ids, 2));
  EXPECT_TRUE(contains(f.stop_ids, 7));
  EXPECT_EQ(std::count(f.stop_ids.begin(), f.stop_ids.end(), 2), 1);  // listed once though named twice
}

TEST(ModelFolder, BadGenerationConfigNamesTheFile) {
  test::TempDir dir;
  const fs::path model = folder_with_generation_eos(dir, R"({"eos_token_id": "two"})");
  try {
    open_model_folder(model);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("generation_config.json: field eos_token_id"), std::string::npos) << e.what();
  }
}

TEST(ModelFolder, BorrowsATokenizerForAFolderWithout) {
  const ModelFolder bare = open_model_folder(test::shared_path("fixtures/tiny/tiny-qwen3"));
  EXPECT_EQ(bare.tokenizer, nullptr);
  EXPECT_THROW(bare.require_tokenizer("--prompt"), Error);
  const ModelFolder lent =
      open_model_folder(test::shared_path("fixtures/tiny/tiny-qwen3"), test::shared_path("models/stories260K"));
  ASSERT_NE(lent.tokenizer, nullptr);
  EXPECT_EQ(lent.tokenizer->vocab_size(), 512);
}

}  // namespace
}  // namespace glassbox
