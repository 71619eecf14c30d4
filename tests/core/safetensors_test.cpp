#include "core/safetensors.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstring>
#include <fstream>

#include "base/error.h"
#include "support/shared.h"
#include "support/temp_dir.h"

namespace glassbox {
namespace {
namespace fs = std::filesystem;

// Writes a safetensors file from a literal header and a data area of `data_bytes` zero bytes.
fs::path write_raw(const fs::path& path, const std::string& header, size_t data_bytes, int64_t header_len = -1) {
  std::ofstream f(path, std::ios::binary);
  const uint64_t len = header_len < 0 ? header.size() : uint64_t(header_len);
  f.write(reinterpret_cast<const char*>(&len), 8);
  f << header << std::string(data_bytes, '\0');
  return path;
}

std::string error_of(const fs::path& path) {
  try {
    SafetensorsFile file(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Safetensors, ReadsWhatItWrites) {
  test::TempDir dir;
  const float values[] = {1.5f, -2.0f, 3.25f, 0.0f, 7.0f, 8.0f};
  write_safetensors(dir / "t.safetensors",
                    {OwnedTensor::f32("b", {2, 3}, values), OwnedTensor::i64("a", {4, 5})}, {{"k", "v"}});
  SafetensorsFile file(dir / "t.safetensors");
  ASSERT_EQ(file.tensors().size(), 2u);
  const TensorView& b = file.tensors().at("b");
  EXPECT_EQ(b.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(b.to_f32(), std::vector<float>(values, values + 6));
  EXPECT_EQ(file.metadata().at("k"), "v");
  EXPECT_EQ(file.tensors().at("a").dtype, DType::I64);
}

TEST(Safetensors, LoadsShardedCheckpointThroughIndex) {
  TensorStore store = TensorStore::open_dir(test::shared_path("fixtures/tiny/tiny-qwen2"));
  EXPECT_NE(store.find("model.layers.2.self_attn.q_proj.bias"), nullptr);
  EXPECT_NE(store.find("model.embed_tokens.weight"), nullptr);
  EXPECT_THROW(store.get("no.such.tensor"), Error);
}

TEST(Safetensors, RejectsTruncatedFile) {
  test::TempDir dir;
  std::ofstream(dir / "t.safetensors") << "abc";
  EXPECT_NE(error_of(dir / "t.safetensors").find("truncated"), std::string::npos);
}

TEST(Safetensors, RejectsHeaderLengthPastEnd) {
  test::TempDir dir;
  const auto p = write_raw(dir / "t.safetensors", "{}", 0, 4096);
  EXPECT_NE(error_of(p).find("past the end"), std::string::npos);
}

TEST(Safetensors, RejectsHugeHeaderLength) {
  test::TempDir dir;
  const auto p = write_raw(dir / "t.safetensors", "{}", 0, int64_t(1) << 40);
  EXPECT_NE(error_of(p).find("100 MB"), std::string::npos);
}

TEST(Safetensors, RejectsOverlappingTensors) {
  test::TempDir dir;
  const auto p = write_raw(dir / "t.safetensors",
                           R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                           R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12);
  EXPECT_NE(error_of(p).find("overlap"), std::string::npos);
}

TEST(Safetensors, RejectsOffsetsPastData) {
  test::TempDir dir;
  const auto p = write_raw(dir / "t.safetensors", R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8);
  EXPECT_NE(error_of(p).find("past the data area"), std::string::npos);
}

TEST(Safetensors, RejectsByteSizeThatContradictsShape) {
  test::TempDir dir;
  const auto p = write_raw(dir / "t.safetensors", R"({"a":{"dtype":"BF16","shape":[3],"data_offsets":[0,8]}})", 8);
  const std::string e = error_of(p);
  EXPECT_NE(e.find("does not match shape [3]"), std::string::npos) << e;
  EXPECT_NE(e.find("'a'"), std::string::npos) << e;
}

TEST(Safetensors, RejectsUnknownDtypeAndBadJson) {
  test::TempDir dir;
  auto p = write_raw(dir / "a.safetensors", R"({"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}})", 1);
  EXPECT_NE(error_of(p).find("unsupported dtype"), std::string::npos);
  p = write_raw(dir / "b.safetensors", R"({"a":)", 0);
  EXPECT_NE(error_of(p).find("not valid JSON"), std::string::npos);
}

TEST(Safetensors, AcceptsAnEmptyTensorWhereAnotherStarts) {
  // Issue 13, item 11: safetensors itself writes a zero-element tensor at the offset of the next one.
  test::TempDir dir;
  const auto p = write_raw(dir / "t.safetensors",
                           R"({"empty":{"dtype":"F32","shape":[0,4],"data_offsets":[0,0]},)"
                           R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 8);
  SafetensorsFile file(p);
  EXPECT_EQ(file.tensors().at("empty").nbytes, 0u);
  EXPECT_EQ(file.tensors().at("a").nbytes, 8u);
}

TEST(Safetensors, AFileThatIsNotSafetensorsIsNotEchoed) {
  // Issue 13, item 5: the first 8 bytes of /etc/passwd used to come back as the "header length".
  test::TempDir dir;
  std::ofstream(dir / "t.safetensors") << "root:x:0:0:root:/root:/bin/bash\n";
  const std::string e = error_of(dir / "t.safetensors");
  EXPECT_EQ(e, (dir / "t.safetensors").string() + ": header length exceeds the 100 MB limit (not a safetensors file?)");
}

TEST(Safetensors, ShapeOverflowIsAnError) {
  // Issue 13, item 10: dimensions whose product wraps around must not pass the size check.
  test::TempDir dir;
  const auto p = write_raw(dir / "t.safetensors",
                           R"({"a":{"dtype":"F32","shape":[4611686018427387920,4],"data_offsets":[0,256]}})", 256);
  EXPECT_NE(error_of(p).find("shape [4611686018427387920, 4] is too large"), std::string::npos) << error_of(p);
}

// A model folder whose index names `shard`, beside a valid shard a.safetensors.
std::string index_error(const std::string& shard) {
  test::TempDir dir;
  fs::create_directory(dir / "model");
  const float v[] = {1, 2};
  write_safetensors(dir / "model/a.safetensors", {OwnedTensor::f32("a", {2}, v)});
  write_safetensors(dir / "outside.safetensors", {OwnedTensor::f32("b", {2}, v)});
  fs::create_symlink("../outside.safetensors", dir / "model/link.safetensors");
  mkfifo((dir / "model/fifo.safetensors").c_str(), 0600);
  std::ofstream(dir / "model/model.safetensors.index.json")
      << R"({"weight_map": {"a": "a.safetensors", "b": ")" + shard + R"("}})";
  try {
    TensorStore::open_dir(dir / "model");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Safetensors, ShardsMustResolveInsideTheModelFolder) {
  // Issue 13, item 5: "../../../../etc/passwd" in an index was opened.
  for (const std::string shard : {"../outside.safetensors", "/etc/passwd", "../../../../etc/passwd"})
    EXPECT_NE(index_error(shard).find("weight_map entry 'b': '" + shard + "' is outside the model folder"),
              std::string::npos) << index_error(shard);
  EXPECT_NE(index_error("link.safetensors").find("weight_map entry 'b': 'link.safetensors' resolves to "),
            std::string::npos);
  EXPECT_EQ(index_error("a.safetensors"), "");
}

TEST(Safetensors, AFifoShardIsAnErrorNotAHang) {
  // Issue 13, item 4.
  EXPECT_NE(index_error("fifo.safetensors").find("fifo.safetensors: not a regular file (a FIFO)"), std::string::npos);
}

TEST(Safetensors, ErrorsNameTheFile) {
  EXPECT_NE(error_of("/nonexistent/x.safetensors").find("/nonexistent/x.safetensors"), std::string::npos);
}

}  // namespace
}  // namespace glassbox
