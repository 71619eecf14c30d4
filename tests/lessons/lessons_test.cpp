// Every lesson runs on a real model (stories260K) and on a random-weight fixture of another family
// (tiny-qwen3, borrowing stories260K's tokenizer of the same vocabulary size), exits 0, writes its figures,
// and prints the numbers its tutorial text promises.
#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "support/chat_checkpoint.h"
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
    {"07_speed", {"speed", "batch_throughput", "batch_memory"}},
    {"08_quantization", {"sizes", "row_values"}},
    {"09_logit_lens", {"lens_grid", "answer_probability", "answer_rank"}},
    {"10_heads", {"previous_token_scores", "induction_scores", "induction_pattern", "ablation_sweep"}},
    {"11_patching", {"resid_pre", "attn_out"}},
    {"12_steering", {"next_before", "next_after"}},
    {"13_decoding", {"perplexity", "tree", "eval_time"}},
    {"14_probing", {"accuracy"}},
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

// Lesson 09 reads a layer out by hand and through the lens.L hook: the same numbers, exactly.
TEST(LessonNumbers, LensByHandEqualsTheLensAndTheLastLensIsTheLogits) {
  test::TempDir out;
  const auto r = run_lesson("09_logit_lens", test::shared_path("models/stories260K"), out.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("max |by hand - lens.2| = 0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("max |lens.4 - logits| = 0 "), std::string::npos) << r.out;
}

// Lesson 10 on the demo model: the census names layer 5's induction heads (docs/demo-model.md), and
// ablating them raises the loss on the repeated half while a head it does not name changes little.
TEST(LessonNumbers, AblatingTheDemoInductionHeadsRaisesTheLossOnTheRepeat) {
  test::TempDir out;
  const auto r = run_lesson("10_heads", fs::path(GLASSBOX_SOURCE_DIR) / "models/glassbox-demo", out.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch before, one, three, control;
  ASSERT_TRUE(std::regex_search(r.out, before, std::regex("every head in place: +([0-9.]+)"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, one, std::regex("second copy, (L5H[0-2]) ablated: +([0-9.]+)"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, three, std::regex("(L5H[0-2])\\+(L5H[0-2])\\+(L5H[0-2]) ablated: +([0-9.]+)"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, control, std::regex("control, L7H[0-7] ablated: +([0-9.]+)"))) << r.out;
  const double loss = std::stod(before[1]);
  EXPECT_GT(std::stod(one[2]), loss + 0.5);     // measured +1.08
  EXPECT_GT(std::stod(three[4]), loss + 1.5);   // measured +2.39
  EXPECT_LT(std::fabs(std::stod(control[1]) - loss), 0.2);  // measured -0.04
  EXPECT_NE(three[1], three[2]);
  EXPECT_NE(three[2], three[3]);
  EXPECT_NE(three[1], three[3]);
}

TEST(LessonChat, FirstLessonPromptsALlama32ChatCheckpoint) {
  test::TempDir model, out;
  test::make_llama32_chat_checkpoint(model.path());
  const auto r = run_lesson("01_first_llm", model.path(), out.path(), {"--prompt", "Hi", "--max-tokens", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  // The template's own system header (with today's date from strftime_now), then the user's turn.
  EXPECT_NE(r.out.find("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: "),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"),
            std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(out / ("generation_" + model.path().filename().string() + ".png")));

  // --system and --var reach the template.
  const auto s = run_lesson("01_first_llm", model.path(), out.path(),
                            {"--prompt", "Hi", "--max-tokens", "2", "--system", "Be brief.", "--var", "date_string=\"01 Jan 2025\""});
  ASSERT_EQ(s.exit_code, 0) << s.err << s.out;
  EXPECT_NE(s.out.find("Today Date: 01 Jan 2025\n\nBe brief.<|eot_id|>"), std::string::npos) << s.out;
}

TEST(LessonNumbers, DecodingShuffledWordsSurpriseTheModelMore) {
  test::TempDir out;
  const auto r = run_lesson("13_decoding", test::shared_path("models/stories260K"), out.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch held_out, shuffled;
  ASSERT_TRUE(std::regex_search(r.out, held_out, std::regex("held-out text .* perplexity +([0-9.]+)"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, shuffled, std::regex("same words, shuffled .* perplexity +([0-9.]+)"))) << r.out;
  EXPECT_GT(std::stod(shuffled[1]), 2 * std::stod(held_out[1]));
  // Beam search never ranks below greedy here, and the most likely sequence is rank 1 by definition.
  EXPECT_NE(r.out.find("most likely      log-prob"), std::string::npos);
  EXPECT_TRUE(std::regex_search(r.out, std::regex("most likely +log-prob +-[0-9.]+, rank  1 of 81"))) << r.out;
  EXPECT_NE(r.out.find("| peak memory (GB) "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n6 samples\n"), std::string::npos) << r.out;
}

TEST(LessonNumbers, ProbingTheEmbeddingOfTheLastTokenKnowsNothing) {
  // Every sentence ends in ".": its embedding is the same row for all of them, so the probe can only answer
  // the majority label, and scores exactly the baseline; the layers above gather the sentence into it.
  test::TempDir out;
  const auto r = run_lesson("14_probing", fs::path(GLASSBOX_SOURCE_DIR) / "models/glassbox-demo", out.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch baseline, embed, layer3;
  ASSERT_TRUE(std::regex_search(r.out, baseline, std::regex("majority baseline ([0-9]+)%"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, embed, std::regex("\\| embed \\| +([0-9]+)%"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, layer3, std::regex("\\| +3 \\| +([0-9]+)%"))) << r.out;
  EXPECT_EQ(embed[1], baseline[1]);
  EXPECT_GE(std::stoi(layer3[1]), 90);
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

namespace glassbox {
namespace {

// Issue 13, item 9: a 2,998-token prompt took 71 s and 5 GB before anything was said.
TEST(LessonNumbers, AttentionLessonRefusesAHugePromptBeforeAnyWork) {
  test::TempDir out;
  std::string prompt;
  for (int i = 0; i < 100; ++i) prompt += "The cat sat on the mat. ";  // about 700 tokens, within the context
  const auto r = test::run("timeout", {"60", std::string(GLASSBOX_LESSON_DIR) + "/05_attention", "--model",
                                       GLASSBOX_SOURCE_DIR "/models/glassbox-demo", "--out", out.path().string(),
                                       "--prompt", prompt});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("readable up to 512 tokens"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(out.path()));
}

}  // namespace
}  // namespace glassbox
