// glassbox eval: the prompts file is checked whole before anything runs, results survive SIGKILL, and
// --resume completes the run with every sample exactly once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/run.h"
#include "support/shared.h"

namespace glassbox {
namespace {
using nlohmann::json;
namespace fs = std::filesystem;

std::string stories() { return test::shared_path("models/stories260K").string(); }
const std::string kDemo = std::string(GLASSBOX_SOURCE_DIR) + "/models/glassbox-demo";

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::vector<json> read_lines(const fs::path& p) {
  std::vector<json> lines;
  std::ifstream f(p);
  for (std::string line; std::getline(f, line);) lines.push_back(json::parse(line));
  return lines;
}

// n prompts, ids 0..n-1, long enough generations that a run takes a while.
fs::path story_prompts(const test::TempDir& dir, int n) {
  const char* starts[] = {"Once upon a time", "One day, a little girl", "Tom had a big", "The sun was", "Lily and Ben"};
  std::string text;
  for (int i = 0; i < n; ++i) text += json({{"id", i}, {"prompt", starts[i % 5]}, {"expected", "a"}}).dump() + "\n";
  write(dir / "prompts.jsonl", text);
  return dir / "prompts.jsonl";
}

std::vector<std::string> eval_args(const fs::path& prompts, const fs::path& out, const test::TempDir& dir) {
  return {"eval", "--model", stories(), "--prompts", prompts.string(), "--out", out.string(), "--max-tokens", "64",
          "--figures", (dir / "fig").string()};
}

size_t line_count(const fs::path& p) {
  std::ifstream f(p);
  return size_t(std::count(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>(), '\n'));
}

TEST(Eval, KilledBySigkillAndResumedHasEverySampleOnce) {
  test::TempDir dir;
  constexpr int kSamples = 40;
  const fs::path prompts = story_prompts(dir, kSamples), out = dir / "results.jsonl";
  const std::vector<std::string> args = eval_args(prompts, out, dir);

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    std::vector<char*> argv = {const_cast<char*>(GLASSBOX_BIN)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(GLASSBOX_BIN, argv.data());
    _exit(127);
  }
  // Kill it as soon as two samples are in the file: mid-run, maybe mid-write.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (line_count(out) < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed";
  const size_t finished = line_count(out);
  ASSERT_GE(finished, 2u);
  ASSERT_LT(finished, size_t(kSamples)) << "the run finished before it was killed; give it more samples";

  std::vector<std::string> resume = args;
  resume.push_back("--resume");
  const auto r = test::glassbox(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("40 samples: " + std::to_string(finished) + " already in"), std::string::npos) << r.out;
  std::map<int, int> seen;
  for (const json& rec : read_lines(out)) ++seen[rec["id"].get<int>()];
  ASSERT_EQ(seen.size(), size_t(kSamples));
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << "id " << id;

  // The interrupted and resumed run wrote what one uninterrupted run writes (greedy decoding).
  const fs::path whole = dir / "whole.jsonl";
  ASSERT_EQ(test::glassbox(eval_args(prompts, whole, dir)).exit_code, 0);
  std::map<int, std::string> expected;
  for (const json& rec : read_lines(whole)) expected[rec["id"].get<int>()] = rec["output"];
  for (const json& rec : read_lines(out)) EXPECT_EQ(rec["output"], expected[rec["id"].get<int>()]) << rec["id"];
  // A finished run resumed again has nothing left to do.
  const auto again = test::glassbox(resume);
  EXPECT_NE(again.out.find("40 already in"), std::string::npos) << again.out;
  EXPECT_EQ(line_count(out), size_t(kSamples));
}

TEST(Eval, BatchedRunGivesEachSampleOnceWithTheSameGreedyOutputs) {
  test::TempDir dir;
  const fs::path prompts = story_prompts(dir, 7);  // 7 = two batches of 3 and one sample alone
  std::vector<std::string> one = eval_args(prompts, dir / "one.jsonl", dir), three = eval_args(prompts, dir / "three.jsonl", dir);
  three.insert(three.end(), {"--batch", "3"});
  ASSERT_EQ(test::glassbox(one).exit_code, 0);
  const auto r = test::glassbox(three);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<json> a = read_lines(dir / "one.jsonl"), b = read_lines(dir / "three.jsonl");
  ASSERT_EQ(b.size(), 7u);
  for (size_t i = 0; i < b.size(); ++i) {
    EXPECT_EQ(b[i]["id"], json(int(i)));
    // Greedy decoding: batched rows differ from single ones only in f32 summation order (1e-6 of the
    // logits), far below the gaps between stories260K's top tokens on these prompts, so the text is equal.
    EXPECT_EQ(b[i]["output"], a[i]["output"]) << "sample " << i;
    EXPECT_EQ(b[i]["prompt_tokens"], a[i]["prompt_tokens"]);
    EXPECT_LE(b[i]["ttft_s"].get<double>(), b[i]["total_s"].get<double>());
  }
}

TEST(Eval, ResumeCutsAnUnfinishedLastLine) {
  test::TempDir dir;
  const fs::path prompts = story_prompts(dir, 3), out = dir / "results.jsonl";
  ASSERT_EQ(test::glassbox(eval_args(prompts, out, dir)).exit_code, 0);
  std::vector<json> lines = read_lines(out);
  // Keep the first record and half of the second, as a kill in the middle of a write would.
  const std::string first = lines[0].dump() + "\n", second = lines[1].dump();
  write(out, first + second.substr(0, second.size() / 2));
  std::vector<std::string> resume = eval_args(prompts, out, dir);
  resume.push_back("--resume");
  const auto r = test::glassbox(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cut off an unfinished last line"), std::string::npos) << r.out;
  lines = read_lines(out);
  ASSERT_EQ(lines.size(), 3u);
  std::set<int> ids;
  for (const json& l : lines) ids.insert(l["id"].get<int>());
  EXPECT_EQ(ids, (std::set<int>{0, 1, 2}));
}

TEST(Eval, RecordsMeasuresScoresAndSummary) {
  test::TempDir dir;
  write(dir / "p.jsonl", R"({"id": "a", "prompt": "In the beginning God created the heaven and the", "expected": "earth"})" "\n"
                         R"({"id": "b", "messages": [{"role": "user", "content": "Hello"}]})" "\n");
  const fs::path out = dir / "r.jsonl";
  const auto r = test::glassbox({"eval", "--model", kDemo, "--prompts", (dir / "p.jsonl").string(), "--out",
                                 out.string(), "--max-tokens", "8", "--raw"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<json> lines = read_lines(out);
  ASSERT_EQ(lines.size(), 2u);
  for (const char* key : {"output", "prompt_tokens", "generated_tokens", "ttft_s", "tokens_per_sec", "total_s",
                          "peak_memory_gb", "finish_reason"})
    EXPECT_TRUE(lines[0].contains(key)) << key;
  EXPECT_EQ(lines[0]["prompt_tokens"], 9);  // --raw: the plain text, no chat template
  EXPECT_GT(lines[1]["prompt_tokens"].get<int>(), 4);  // the ChatML frame around "Hello"
  const std::string output = lines[0]["output"];
  EXPECT_EQ(lines[0]["contains"], output.find("earth") != std::string::npos);
  EXPECT_FALSE(lines[1].contains("exact_match"));  // no "expected", no score
  for (const char* row : {"| total time (s) ", "| time to first token (ms) ", "| tokens/sec ", "| peak memory (GB) ", "\n2 samples\n",
                          "exact match ", "figure: "})
    EXPECT_NE(r.out.find(row), std::string::npos) << row << "\n" << r.out;
  EXPECT_TRUE(fs::exists(dir / "r_time.png"));
  EXPECT_TRUE(fs::exists(dir / "r_speed.png"));
}

TEST(Eval, BadPromptFileIsAnErrorNamingTheLineBeforeAnythingRuns) {
  test::TempDir dir;
  const fs::path out = dir / "r.jsonl";
  const std::string good = R"({"id": 1, "prompt": "Once upon a time"})";
  const struct {
    std::string line2, error;
  } cases[] = {
      {"{\"prompt\": \"x\"}", "line 2: missing \"id\""},
      {"{\"id\": 1, \"prompt\": \"x\"}", "line 2: id 1 already appears on line 1"},
      {"{\"id\": 2.5, \"prompt\": \"x\"}", "line 2: \"id\" must be a string or an integer"},
      {"{\"id\": 2}", "line 2: give exactly one of \"prompt\" and \"messages\""},
      {"{\"id\": 2, \"prompt\": \"x\", \"expect\": \"y\"}", "line 2: unknown field \"expect\""},
      {"{\"id\": 2, \"prompt\": 7}", "line 2: \"prompt\" must be a string, not number"},
      {"{\"id\": 2, \"prompt\": \"x\"", "line 2: not valid JSON: "},
      {"[1, 2]", "line 2: expected a JSON object, not array"},
      {"{\"id\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}",
       "line 2: \"messages\" needs a chat template, and the model has none"},
      {"{\"id\": 2, \"messages\": []}", "line 2: \"messages\" must be a non-empty list"},
      {"{\"id\": 2, \"messages\": [{\"content\": \"hi\"}]}", "line 2: \"messages\": message 0: \"role\" must be a string"},
      {"{\"id\": 2, \"prompt\": \"\xff\xfe\"}", "line 2: not valid JSON: "},
  };
  for (const auto& c : cases) {
    write(dir / "p.jsonl", good + "\n" + c.line2 + "\n" + good.substr(0, 7) + "3" + good.substr(8) + "\n");
    const auto r = test::glassbox({"eval", "--model", stories(), "--prompts", (dir / "p.jsonl").string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 1) << c.line2;
    EXPECT_EQ(r.err.rfind("error: " + (dir / "p.jsonl").string() + " " + c.error, 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out)) << "nothing runs before the whole file is checked";
  }
}

TEST(Eval, OutputIsNeverALinkFifoOrAnotherRunsResults) {
  test::TempDir dir;
  const fs::path prompts = story_prompts(dir, 2);
  const auto run = [&](const fs::path& out, bool resume) {
    std::vector<std::string> a = eval_args(prompts, out, dir);
    if (resume) a.push_back("--resume");
    return test::glassbox(a);
  };
  write(dir / "target.txt", "keep me\n");
  fs::create_symlink(dir / "target.txt", dir / "link.jsonl");
  auto r = run(dir / "link.jsonl", false);
  EXPECT_EQ(r.err, "error: " + (dir / "link.jsonl").string() + ": cannot open for writing: it is a symbolic link\n");
  EXPECT_EQ(test::read_all(dir / "target.txt"), "keep me\n");
  ASSERT_EQ(mkfifo((dir / "fifo").c_str(), 0600), 0);
  r = run(dir / "fifo", false);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("fifo"), std::string::npos) << r.err;
  r = run(dir / "target.txt", false);
  EXPECT_EQ(r.err, "error: " + (dir / "target.txt").string() +
                       ": already holds results; pass --resume to continue that run, or choose another --out\n");
  r = run(dir / "target.txt", true);
  EXPECT_EQ(r.err, "error: " + (dir / "target.txt").string() + " line 1: not a result record (a JSON object with \"id\")\n");
  write(dir / "other.jsonl", "{\"id\": 99, \"output\": \"\"}\n");
  r = run(dir / "other.jsonl", true);
  EXPECT_EQ(r.err, "error: " + (dir / "other.jsonl").string() + " line 1: id 99 is not in " + prompts.string() +
                       " (results of another run?)\n");
}

}  // namespace
}  // namespace glassbox
