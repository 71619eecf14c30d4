// Issue 13: hostile or careless input gets one line on stderr naming the file, field or flag, and a non-zero
// exit; never a crash, a hang, a read outside the model folder, a replaced device or a silently wrong number.
// One test (or more) per numbered item of the issue.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/shared.h"

namespace glassbox {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

// Runs glassbox under `timeout`, so that a hang fails the test instead of the whole suite.
test::RunResult glassbox_within(int seconds, std::vector<std::string> args) {
  args.insert(args.begin(), {"--kill-after=5", std::to_string(seconds), GLASSBOX_BIN});
  return test::run("timeout", args);
}

// The rule for every failure: exit 1, one line "error: ..." that contains `needle`.
void expect_error(const test::RunResult& r, const std::string& needle) {
  EXPECT_EQ(r.exit_code, 1) << "(124: hung, -1: crashed) " << r.err;
  EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << "wanted '" << needle << "' in: " << r.err;
}

// A writable copy of a model folder to break in one way per test.
class Hostile : public ::testing::Test {
 protected:
  fs::path copy(const std::string& shared, const std::string& name = "model") {
    const fs::path src = test::shared_path(shared), dst = dir_ / name;
    fs::create_directories(dst);
    for (const auto& e : fs::directory_iterator(src))
      if (e.path().filename() != "reference.safetensors") fs::copy_file(e.path(), dst / e.path().filename());
    return dst;
  }
  static json read_json(const fs::path& p) {
    std::ifstream f(p);
    return json::parse(f);
  }
  static void write_json(const fs::path& p, const json& j) { std::ofstream(p, std::ios::trunc) << j.dump(); }
  static void edit_json(const fs::path& p, const std::function<void(json&)>& edit) {
    json j = read_json(p);
    edit(j);
    write_json(p, j);
  }
  // Overwrites element `index` of F32 tensor `name` in model.safetensors with `value`.
  static void poke(const fs::path& model, const std::string& name, int64_t index, float value) {
    std::fstream f(model / "model.safetensors", std::ios::in | std::ios::out | std::ios::binary);
    uint64_t len = 0;
    f.read(reinterpret_cast<char*>(&len), 8);
    std::string header(len, '\0');
    f.read(header.data(), std::streamsize(len));
    const json h = json::parse(header);
    ASSERT_EQ(h.at(name).at("dtype"), "F32");
    f.seekp(std::streamoff(8 + len + h.at(name).at("data_offsets")[0].get<uint64_t>() + 4 * uint64_t(index)));
    f.write(reinterpret_cast<const char*>(&value), 4);
  }
  test::TempDir dir_;
};

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// Item 1: an existing output that is not a regular file is never replaced.
TEST_F(Hostile, DumpToADeviceWritesIntoItAndKeepsIt) {
  const fs::path model = test::shared_path("models/stories260K"), null = dir_ / "null";
  ASSERT_EQ(mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)), 0) << "needs CAP_MKNOD (root), as /dev/null would";
  const auto r = test::glassbox({"dump", "--model", model.string(), "--prompt-ids", "1,2", "--names", "embed",
                                 "--out", null.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(lstat(null.c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_.path()), fs::directory_iterator()), 1);  // nothing else
}

TEST_F(Hostile, DumpThroughALinkReplacesItsTargetAndKeepsTheLink) {
  const fs::path model = test::shared_path("models/stories260K");
  std::ofstream(dir_ / "target.safetensors") << "old";
  fs::create_symlink("target.safetensors", dir_ / "link.safetensors");
  const auto r = test::glassbox({"dump", "--model", model.string(), "--prompt-ids", "1,2", "--names", "embed",
                                 "--out", (dir_ / "link.safetensors").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.safetensors"));
  EXPECT_GT(fs::file_size(dir_ / "target.safetensors"), 100u);
}

TEST_F(Hostile, DumpToAFifoNobodyReadsFailsAtOnce) {
  const fs::path model = test::shared_path("models/stories260K");
  ASSERT_EQ(mkfifo((dir_ / "pipe").c_str(), 0600), 0);
  expect_error(glassbox_within(60, {"dump", "--model", model.string(), "--prompt-ids", "1", "--names", "embed",
                                    "--out", (dir_ / "pipe").string()}),
               "pipe: a FIFO that nobody is reading");
}

// Item 2: added-token ids that overflowed, allocated gigabytes or wrapped around.
TEST_F(Hostile, AddedTokenIdsAreBounded) {
  const fs::path model = copy("models/stories260K");
  for (const json& id : {json(2147483647), json(100000000), json(1000000000), json(4294967301ull), json(-1)}) {
    edit_json(model / "tokenizer.json", [&](json& t) { t["added_tokens"][1]["id"] = id; });
    expect_error(glassbox_within(60, {"topk", "--model", model.string(), "--prompt-ids", "1,2"}),
                 "tokenizer.json added_tokens[1].id: expected an integer from 0 to 2097151, got " + id.dump());
  }
}

TEST_F(Hostile, SpecialTokenIdsOutsideTheVocabularyAreRefused) {
  const fs::path model = copy("models/stories260K");
  edit_json(model / "tokenizer.json", [](json& t) { t["post_processor"]["special_tokens"]["<s>"]["ids"] = {9999}; });
  expect_error(test::glassbox({"tokenize", "--model", model.string(), "--text", "hi", "--special"}),
               "tokenizer.json post_processor: special token id 9999 is not in the vocabulary");
}

// Item 3: NaN and infinity are found and named, never printed as probabilities.
TEST_F(Hostile, NaNInTheFinalNormNamesTheTensor) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  poke(model, "model.norm.weight", 5, kNaN);
  expect_error(test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1,2"}),
               "tensor 'model.norm.weight' holds nan at index 5 (weights must be finite)");
}

TEST_F(Hostile, NaNInTheLmHeadNamesTheTensorAndRow) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  poke(model, "lm_head.weight", 64 * 7 + 3, kNaN);  // row 7
  for (const char* command : {"topk", "generate"})
    expect_error(test::glassbox({command, "--model", model.string(), "--prompt-ids", "1,2"}),
                 "logits went non-finite (NaN or infinity) at position 1 (token id 2): tensor 'lm_head.weight' row 7 "
                 "holds NaN or infinity");
}

TEST_F(Hostile, InfinityInAnMlpWeightNamesTheLayerAndTensor) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  poke(model, "model.layers.1.mlp.down_proj.weight", 160 * 9, std::numeric_limits<float>::infinity());
  expect_error(test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1,2,3"}),
               "mlp_out.1 went non-finite (NaN or infinity) at position 0 (token id 1): tensor "
               "'model.layers.1.mlp.down_proj.weight' row 9 holds NaN or infinity");
}

TEST_F(Hostile, NaNInOneEmbeddingRowIsFoundWhenThatTokenIsUsed) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  poke(model, "model.embed_tokens.weight", 64 * 300, kNaN);
  EXPECT_EQ(test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1,2"}).exit_code, 0);
  expect_error(test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1,300"}),
               "embed went non-finite (NaN or infinity) at position 1 (token id 300): tensor "
               "'model.embed_tokens.weight' row 300 holds NaN or infinity");
}

TEST_F(Hostile, HugeFiniteWeightsOverflowAndSaySo) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  for (int i = 0; i < 64; ++i) poke(model, "model.layers.0.self_attn.o_proj.weight", i, 3e38f);
  const auto r = test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1,2"});
  expect_error(r, "although the weights it was computed from are finite: the values overflowed float32");
  EXPECT_NE(r.err.find("attn_out.0 went non-finite"), std::string::npos) << r.err;
}

TEST_F(Hostile, NonsensicalConfigValuesNameTheField) {
  const fs::path llama = copy("fixtures/tiny/tiny-llama"), llama3 = copy("fixtures/tiny/tiny-llama3-rope", "llama3");
  struct Case { fs::path model; std::function<void(json&)> edit; std::string needle; };
  for (const Case& c : std::vector<Case>{
           {llama, [](json& j) { j["rms_norm_eps"] = -1e-5; }, "field rms_norm_eps must be in [0, 1), got -1e-05"},
           {llama, [](json& j) { j["rope_theta"] = 0; }, "field rope_theta must be a number > 1, got 0"},
           {llama, [](json& j) { j["rope_theta"] = -10000; }, "field rope_theta must be a number > 1, got -10000"},
           {llama3, [](json& j) { j["rope_scaling"]["factor"] = 0; }, "field factor must be a number >= 1 (rope_scaling), got 0"},
           {llama3, [](json& j) { j["rope_scaling"]["high_freq_factor"] = 1; },
            "field high_freq_factor must be greater than low_freq_factor (rope_scaling), got 1"},
           {llama, [](json& j) { j["eos_token_id"] = 4294967298ull; }, "field eos_token_id: 4294967298 is not a token id"},
           {llama, [](json& j) { j["rope_scaling"] = {{"rope_type", 3}}; }, "field rope_type must be a string, got 3"},
           {llama, [](json& j) { j["hidden_act"] = 7; }, "field hidden_act must be a string, got 7"},
       }) {
    const json saved = read_json(c.model / "config.json");
    edit_json(c.model / "config.json", c.edit);
    expect_error(test::glassbox({"topk", "--model", c.model.string(), "--prompt-ids", "1,2"}), "config.json: " + c.needle);
    write_json(c.model / "config.json", saved);
  }
}

// Item 4: a FIFO in place of any input file is refused at once.
TEST_F(Hostile, FifosAreRefusedNotReadForever) {
  for (const char* file : {"model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json"}) {
    const fs::path model = copy("models/stories260K", std::string("fifo-") + file);
    fs::remove(model / file);
    ASSERT_EQ(mkfifo((model / file).c_str(), 0600), 0);
    expect_error(glassbox_within(60, {"topk", "--model", model.string(), "--prompt-ids", "1,2"}),
                 std::string(file) + ": not a regular file (a FIFO)");
  }
  const fs::path sharded = copy("fixtures/tiny/tiny-qwen2", "sharded");
  fs::remove(sharded / "model.safetensors.index.json");
  ASSERT_EQ(mkfifo((sharded / "model.safetensors.index.json").c_str(), 0600), 0);
  expect_error(glassbox_within(60, {"params", "--model", sharded.string()}),
               "model.safetensors.index.json: not a regular file (a FIFO)");
  ASSERT_EQ(mkfifo((dir_ / "text").c_str(), 0600), 0);
  expect_error(glassbox_within(60, {"tokenize", "--model", test::shared_path("models/stories260K").string(), "--file",
                                    (dir_ / "text").string()}),
               "--file " + (dir_ / "text").string() + ": not a regular file (a FIFO)");
}

// Item 5: an index entry pointing out of the folder is not opened, and nothing of what it names is echoed.
TEST_F(Hostile, ShardIndexCannotReachOutsideTheFolder) {
  const fs::path model = copy("fixtures/tiny/tiny-qwen2");
  edit_json(model / "model.safetensors.index.json",
            [](json& j) { j["weight_map"]["model.norm.weight"] = "../../../../etc/passwd"; });
  const auto r = test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1,2"});
  expect_error(r, "weight_map entry 'model.norm.weight': '../../../../etc/passwd' is outside the model folder");
  EXPECT_EQ(r.err.find("root"), std::string::npos) << r.err;
}

TEST_F(Hostile, ConvertDoesNotCarryLinkedFilesFromOutside) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  std::ofstream(dir_ / "id_rsa") << "PRIVATE KEY";
  fs::create_symlink("../id_rsa", model / "notes.txt");
  expect_error(test::glassbox({"convert", "--model", model.string(), "--out", (dir_ / "q4").string()}),
               "notes.txt: 'notes.txt' resolves to ");
  EXPECT_FALSE(fs::exists(dir_ / "q4"));
}

// Item 6.
TEST(HostileFlags, BenchThreadsAreBounded) {
  for (const char* threads : {"100000", "30000", "2000", "0"})
    expect_error(glassbox_within(60, {"bench", "--model", test::shared_path("models/stories260K").string(), "--threads",
                                      threads, "-p", "4", "-n", "0", "-r", "1"}),
                 std::string("--threads: ") + threads + " is not from 1 to ");
}

// Item 7: the --k rewrite only touches flags, never values.
TEST(HostileFlags, FlagValuesThatLookLikeFlagsAreKept) {
  const std::string model = test::shared_path("models/stories260K").string();
  const auto ids = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"tokenize", "--model", model, "--json"});
    const auto r = test::glassbox(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out.empty() ? "{}" : r.out).value("ids", json::array());
  };
  EXPECT_EQ(ids({"--text", "-->"}), ids({"--text=-->"}));
  EXPECT_NE(ids({"--text", "-->"}), ids({"--text", "->"}));
  EXPECT_EQ(ids({"--text", "--k"}), ids({"--text=--k"}));
  const auto topk = test::glassbox({"topk", "--model", model, "--prompt-ids", "1,2", "--k=3", "--json"});
  EXPECT_EQ(topk.exit_code, 0) << topk.err;
  EXPECT_EQ(json::parse(topk.out)["top"].size(), 3u);
}

// Item 8: the KV cache grows with the generation; only what can never fit is refused, up front.
TEST_F(Hostile, LongMaxTokensCostsNothingUntilGenerated) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  edit_json(model / "config.json", [](json& j) { j["max_position_embeddings"] = 1000000; });
  const auto r = test::glassbox({"generate", "--model", model.string(), "--prompt-ids", "1,2", "--max-tokens",
                                 "1000000", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Allocated up front, 1M positions x 3 layers x (keys + values) x 32 floats would take 768 MB. The tiny model
  // itself and the process need about 20 MB; 200 MB leaves room for allocator slack.
  EXPECT_LT(json::parse(r.out)["peak_memory_gb"].get<double>(), 0.2);
}

TEST_F(Hostile, KVCacheThatCannotFitIsRefusedUpFront) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  // 3 layers x (keys + values) x 2e9 positions x 32 floats: 1.5 TB.
  edit_json(model / "config.json", [](json& j) { j["max_position_embeddings"] = 2147483647; });
  expect_error(glassbox_within(60, {"generate", "--model", model.string(), "--prompt-ids", "1,2", "--max-tokens",
                                    "2000000000"}),
               "--max-tokens 2000000000: a KV cache for 2000000002 tokens needs ");
}

// Item 10: shape arithmetic that used to wrap around.
TEST_F(Hostile, HugeHeadDimIsRefused) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  edit_json(model / "config.json", [](json& j) { j["head_dim"] = (uint64_t(1) << 62) + 16; });
  expect_error(test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1"}),
               "config.json: field head_dim is too large (4611686018427387920)");
}

// Item 12: messages that used to be several lines, a raw exception, or name nothing.
TEST_F(Hostile, MessagesAreOneLineAndNameTheirSubject) {
  const fs::path model = copy("models/stories260K");
  fs::rename(model / "config.json", dir_ / "config.json");
  fs::create_directory(model / "config.json");
  expect_error(test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1"}),
               "config.json: not a regular file (a directory)");
  fs::remove(model / "config.json");
  fs::rename(dir_ / "config.json", model / "config.json");

  edit_json(model / "tokenizer.json", [](json& t) { t["added_tokens"][0]["content"] = 5; });
  expect_error(test::glassbox({"topk", "--model", model.string(), "--prompt", "x"}),
               "tokenizer.json added_tokens[0].content: expected a string");

  const fs::path newline = dir_ / "new\nline";
  fs::create_directory(newline);
  expect_error(test::glassbox({"topk", "--model", newline.string(), "--prompt-ids", "1"}), "new\\nline/config.json");

  const std::string stories = test::shared_path("models/stories260K").string();
  // The demo model's tokenizer adds no BOS, so "" is no tokens at all; forward used to say "forward: no tokens".
  expect_error(test::glassbox({"topk", "--model", GLASSBOX_SOURCE_DIR "/models/glassbox-demo", "--prompt", "", "--raw"}),
               "--prompt: the prompt is empty (it encodes to no tokens)");
  const fs::path full = dir_ / "full";
  ASSERT_EQ(mknod(full.c_str(), S_IFCHR | 0666, makedev(1, 7)), 0);
  expect_error(test::glassbox({"dump", "--model", stories, "--prompt-ids", "1", "--names", "embed", "--out", full.string()}),
               "full: cannot write: No space left on device");
}

TEST_F(Hostile, NormOfTheWrongDtypeNamesTheTensor) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  std::fstream f(model / "model.safetensors", std::ios::in | std::ios::out | std::ios::binary);
  uint64_t len = 0;
  f.read(reinterpret_cast<char*>(&len), 8);
  std::string header(len, '\0');
  f.read(header.data(), std::streamsize(len));
  json h = json::parse(header);
  h["model.norm.weight"]["dtype"] = "I32";
  std::string text = h.dump();
  ASSERT_LE(text.size(), len);
  text.resize(len, ' ');
  f.seekp(8);
  f.write(text.data(), std::streamsize(text.size()));
  f.close();
  expect_error(test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1"}),
               "tensor 'model.norm.weight' has dtype I32; expected F32, F16 or BF16");
}

TEST_F(Hostile, IdsBeyondTheTokenizerShowAsPlaceholders) {
  // Qwen pads its embedding past its tokenizer; a sampled padding row prints as "[id]", as transformers prints
  // nothing for it, instead of failing mid-generation.
  const fs::path model = copy("models/stories260K");
  edit_json(model / "tokenizer.json", [](json& t) {
    json vocab = json::object();
    for (const auto& [piece, id] : t["model"]["vocab"].items())
      if (id.get<int>() < 300) vocab[piece] = id;
    json merges = json::array();
    for (const json& m : t["model"]["merges"]) {
      const std::string s = m.is_string() ? m.get<std::string>() : m[0].get<std::string>() + " " + m[1].get<std::string>();
      const std::string a = s.substr(0, s.find(' ')), b = s.substr(s.find(' ') + 1);
      if (vocab.contains(a) && vocab.contains(b) && vocab.contains(a + b)) merges.push_back(m);
    }
    t["model"]["vocab"] = vocab;
    t["model"]["merges"] = merges;
  });
  const auto r = test::glassbox({"generate", "--model", model.string(), "--prompt-ids", "1,400", "--max-tokens", "3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto t = test::glassbox({"topk", "--model", model.string(), "--prompt-ids", "1,400", "--k", "512"});
  EXPECT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("[511]"), std::string::npos);
}

// Item 13: failed writes leave nothing behind.
TEST_F(Hostile, FailedDumpLeavesNoDirectory) {
  const std::string stories = test::shared_path("models/stories260K").string();
  expect_error(test::glassbox({"dump", "--model", stories, "--prompt-ids", "1", "--names", "embed", "--out",
                               (dir_ / "new/sub").string() + "/"}),
               "names a directory; give a file name");
  EXPECT_FALSE(fs::exists(dir_ / "new"));
}

TEST_F(Hostile, ConvertCleansUpAfterKilledRunsAndAcceptsATrailingSlash) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  fs::create_directory(dir_ / ".q4.tmp.99999999");  // left by a run that was killed (no such pid can run)
  std::ofstream(dir_ / ".q4.tmp.99999999/model.safetensors") << "partial";
  const auto r = test::glassbox({"convert", "--model", model.string(), "--out", (dir_ / "q4").string() + "/"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir_ / "q4/model.safetensors"));
  EXPECT_FALSE(fs::exists(dir_ / ".q4.tmp.99999999"));
}

TEST_F(Hostile, FailedConvertLeavesNothing) {
  const fs::path model = copy("fixtures/tiny/tiny-llama");
  fs::remove(model / "model.safetensors");
  std::ofstream(model / "model.safetensors") << "not safetensors at all";
  expect_error(test::glassbox({"convert", "--model", model.string(), "--out", (dir_ / "a/b/q4").string()}),
               "model.safetensors: header length exceeds");
  EXPECT_FALSE(fs::exists(dir_ / "a"));
}

}  // namespace
}  // namespace glassbox
