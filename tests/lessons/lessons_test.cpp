// Every lesson runs on a real model (stories260K) and on a random-weight fixture of another family
// (tiny-qwen3, borrowing stories260K's tokenizer of the same vocabulary size), exits 0, writes its figures,
// and prints the numbers its tutorial text promises.
#include <gtest/gtest.h>

#include <regex>

#include "support/run.h"
#include "support/shared.h"

namespace glassbox {
namespace {
namespace fs = std::filesystem;

struct LessonCase {
  std::string name;
  std::vector<std::string> figures;  // file stems the lesson must write
};

const std::vector<LessonCase> kLessons = {
    {"00_setup", {}},
    {"01_first_llm", {"generation_stories260K"}},
    {"02_tokenizer", {"sentence", "surprises"}},
    {"03_embeddings", {"embedding_rows", "similarity"}},
    {"04_weights", {"parameters"}},
    {"05_attention", {"layer0_head0", "last_layer_heads", "all_heads"}},
    {"06_predictions", {"top10", "temperature_0.5", "temperature_1.0", "temperature_2.0"}},
    {"07_speed", {"speed"}},
    {"08_quantization", {"sizes", "row_values"}},
};

void PrintTo(const LessonCase& c, std::ostream* os) { *os << c.name; }

test::RunResult run_lesson(const std::string& name, const fs::path& model, const fs::path& out,
                           std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--model", model.string(), "--out", out.string(), "--format", "both"};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::run(std::string(GLASSBOX_LESSON_DIR) + "/" + name, args);
}

class Lessons : public ::testing::TestWithParam<LessonCase> {};

TEST_P(Lessons, RunOnStories260K) {
  test::TempDir out;
  const auto model = test::shared_path("models/stories260K");
  const auto r = run_lesson(GetParam().name, model, out.path());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  for (std::string stem : GetParam().figures) {
    if (stem == "generation_stories260K") stem = "generation_" + model.filename().string();
    EXPECT_TRUE(fs::exists(out / (stem + ".png"))) << stem;
    EXPECT_TRUE(fs::exists(out / (stem + ".svg"))) << stem;
  }
}

TEST_P(Lessons, RunOnTinyQwen3) {
  test::TempDir out;
  const auto model = test::shared_path("fixtures/tiny/tiny-qwen3");
  const auto r = run_lesson(GetParam().name, model, out.path(),
                            {"--tokenizer", test::shared_path("models/stories260K").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  for (std::string stem : GetParam().figures) {
    if (stem == "generation_stories260K") stem = "generation_tiny-qwen3";
    EXPECT_TRUE(fs::exists(out / (stem + ".png"))) << stem;
  }
}

INSTANTIATE_TEST_SUITE_P(All, Lessons, ::testing::ValuesIn(kLessons),
                         [](const auto& info) { return "L" + info.param.name; });

TEST(LessonNumbers, WeightsTotalEqualsSumOfTensorSizes) {
  test::TempDir out;
  const auto r = run_lesson("04_weights", test::shared_path("models/stories260K"), out.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("total:               260032"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sum of tensor sizes: 260032 (equal)"), std::string::npos) << r.out;
}

TEST(LessonNumbers, SameTokenSameEmbeddingRowButDifferentResidual) {
  test::TempDir out;
  const auto r = run_lesson("03_embeddings", test::shared_path("models/stories260K"), out.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("embedding rows: max |difference| = 0\n"), std::string::npos) << r.out;
  // The residual after the last layer must differ: context has been mixed in.
  std::smatch m;
  const std::regex last("residual after layer 4: max \\|difference\\| = ([0-9.]+)");
  ASSERT_TRUE(std::regex_search(r.out, m, last)) << r.out;
  EXPECT_GT(std::stod(m[1]), 0.01);
}

// A token is shown one way everywhere: each token of lesson 06's printed top-10 table is a label of its
// figure. The demo model's byte-level vocabulary has tokens with leading spaces and partial characters.
TEST(LessonNumbers, TableAndFigureShowTheSameTokenText) {
  test::TempDir out;
  const auto r = run_lesson("06_predictions", fs::path(GLASSBOX_SOURCE_DIR) / "models/glassbox-demo", out.path(),
                            {"--prompt", "And God said, Let there be"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = test::read_all(out / "top10.svg");
  const std::regex row(R"(\n +[0-9]+ +[0-9]+  (\S+) +[0-9.]+ +-?[0-9.]+)");
  int rows = 0;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), row); it != std::sregex_iterator(); ++it, ++rows) {
    const std::string token = (*it)[1];
    EXPECT_NE(svg.find(">" + token + "</text>"), std::string::npos) << token;
  }
  EXPECT_EQ(rows, 10) << r.out;
  EXPECT_NE(r.out.find("\u2423"), std::string::npos) << "the table should show a leading space as ␣: " << r.out;
}

// Lesson 08 shows the drop in distinct values where it is real: within a group of 64, a 4-bit copy keeps at
// most 16 levels and an 8-bit one at most 64 (the group's size), while the f32 original uses all 64.
TEST(LessonNumbers, QuantizedGroupsHoldAtMostTwoToTheBitsLevels) {
  test::TempDir out;
  const auto r = run_lesson("08_quantization", test::shared_path("models/stories260K"), out.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  for (const auto& [name, bound] : std::vector<std::pair<std::string, int>>{{"8-bit", 64}, {"4-bit", 16}}) {
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex("\\| " + name + " +\\| +([0-9]+) \\|"))) << r.out;
    EXPECT_LE(std::stoi(m[1]), bound) << name;
    EXPECT_GE(std::stoi(m[1]), bound / 2) << name << ": a group should use most of its levels";
  }
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("\\| f32 +\\| +([0-9]+) \\|"))) << r.out;
  EXPECT_GT(std::stoi(m[1]), 16);
}

TEST(LessonNumbers, MissingModelSaysHowToGetOne) {
  const auto r = test::run(std::string(GLASSBOX_LESSON_DIR) + "/04_weights", {"--model", "/nonexistent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/config.json: cannot open"), std::string::npos) << r.err;
}

TEST(LessonNumbers, BadFormatNamesTheFlag) {
  const auto r = test::run(std::string(GLASSBOX_LESSON_DIR) + "/05_attention",
                           {"--model", test::shared_path("models/stories260K").string(), "--format", "gif"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--format must be png, svg or both"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace glassbox
