// convert writes an mlx-lm style checkpoint that loads back to exactly the quantized weights.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "model/model.h"
#include "quant/convert.h"
#include "quant/quantize.h"
#include "support/shared.h"
#include "support/temp_dir.h"

namespace glassbox {
namespace {

bool same_bytes(const TensorView& t, const std::vector<unsigned char>& want) {
  return t.nbytes == want.size() && std::memcmp(t.data, want.data(), want.size()) == 0;
}

TEST(Convert, WritesMlxLayoutThatLoadsBackExactly) {
  const auto src = test::shared_path("fixtures/tiny/tiny-llama");
  test::TempDir tmp;
  ConvertOptions o;
  o.bits = 4, o.group_size = 64, o.dtype = DType::BF16;
  size_t calls = 0;
  const ConvertStats stats = convert_model(src, tmp / "q4", o, [&](size_t, size_t) { ++calls; });
  EXPECT_GT(calls, 10u);

  // intermediate_size 160 does not split into groups of 64: down_proj stays in float, as mlx-lm leaves it.
  ASSERT_EQ(stats.unquantized.size(), 3u);
  EXPECT_EQ(stats.unquantized[0], "model.layers.0.mlp.down_proj");
  // 4-bit codes + a bf16 scale and bias per 64 values = 4.5 bits; the bf16 down_proj and norms raise it.
  EXPECT_GT(stats.bits_per_weight(), 4.5);
  EXPECT_LT(stats.bits_per_weight(), 16.0);

  nlohmann::json config = nlohmann::json::parse(std::ifstream(tmp / "q4" / "config.json"));
  EXPECT_EQ(config["quantization"]["bits"], 4);
  EXPECT_EQ(config["quantization"]["group_size"], 64);
  EXPECT_EQ(config["quantization"]["model.layers.0.mlp.down_proj"], false);
  EXPECT_TRUE(std::filesystem::exists(tmp / "q4" / "generation_config.json"));

  const Model original = Model::load(src);
  const Model converted = Model::load(tmp / "q4");
  EXPECT_EQ(converted.layer(0).q.format(), WeightFormat::Quantized);
  EXPECT_EQ(converted.embedding().format(), WeightFormat::Quantized);
  EXPECT_EQ(converted.layer(0).down.format(), WeightFormat::BF16);
  const TensorView& w = original.tensors().get("model.layers.1.self_attn.q_proj.weight");
  const std::vector<float> values = w.to_f32();
  const QuantizedMatrix q = quantize(values.data(), w.shape[0], w.shape[1], 4, 64, DType::BF16);
  EXPECT_TRUE(same_bytes(converted.tensors().get("model.layers.1.self_attn.q_proj.weight"), q.codes));
  EXPECT_TRUE(same_bytes(converted.tensors().get("model.layers.1.self_attn.q_proj.scales"), q.scales));
  EXPECT_TRUE(same_bytes(converted.tensors().get("model.layers.1.self_attn.q_proj.biases"), q.biases));
}

TEST(Convert, RefusesAnExistingOutputAndLeavesNothingBehind) {
  const auto src = test::shared_path("fixtures/tiny/tiny-llama");
  test::TempDir tmp;
  std::filesystem::create_directories(tmp / "taken");
  ConvertOptions o;
  o.bits = 8;
  EXPECT_THROW(convert_model(src, tmp / "taken", o, [](size_t, size_t) {}), Error);
  EXPECT_THROW(convert_model(tmp / "missing", tmp / "out", o, [](size_t, size_t) {}), Error);
  size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(tmp.path())) entries += e.path().filename() != "taken";
  EXPECT_EQ(entries, 0u);
}


TEST(Convert, ShardsLikeMlxLmAndLoadsBackTheSameTensors) {
  const auto src = test::shared_path("fixtures/tiny/tiny-qwen2");
  test::TempDir tmp;
  ConvertOptions o;
  o.bits = 8, o.group_size = 32;
  convert_model(src, tmp / "one", o, [](size_t, size_t) {});
  constexpr size_t kShard = 32 * 1024;  // far below the 8-bit model's ~200 KB, so it takes several shards
  convert_model(src, tmp / "many", o, [](size_t, size_t) {}, kShard);
  EXPECT_TRUE(std::filesystem::exists(tmp / "one" / "model.safetensors"));

  const nlohmann::json index = nlohmann::json::parse(std::ifstream(tmp / "many" / "model.safetensors.index.json"));
  std::set<std::string> files;
  for (const auto& [name, file] : index["weight_map"].items()) files.insert(file.get<std::string>());
  ASSERT_GE(files.size(), 4u);
  auto shard_name = [&](size_t i) {
    char name[64];
    std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", i, files.size());
    return std::string(name);
  };
  for (size_t i = 1; i <= files.size(); ++i) EXPECT_TRUE(files.count(shard_name(i))) << shard_name(i);
  size_t total = 0;
  for (const std::string& f : files) {
    const SafetensorsFile shard(tmp / "many" / f);
    size_t data = 0;
    for (const auto& [name, t] : shard.tensors()) data += t.nbytes;
    // mlx-lm's rule: a shard closes before the tensor that would take it past the limit (a lone larger
    // tensor gets a shard of its own).
    EXPECT_TRUE(data <= kShard || shard.tensors().size() == 1) << f;
    total += data;
  }
  EXPECT_EQ(index["metadata"]["total_size"].get<size_t>(), total);

  const TensorStore one = TensorStore::open_dir(tmp / "one"), many = TensorStore::open_dir(tmp / "many");
  ASSERT_EQ(one.names(), many.names());
  for (const std::string& name : one.names()) {
    const TensorView &a = one.get(name), &b = many.get(name);
    EXPECT_EQ(a.dtype, b.dtype) << name;
    EXPECT_EQ(a.shape, b.shape) << name;
    EXPECT_TRUE(a.nbytes == b.nbytes && std::memcmp(a.data, b.data, a.nbytes) == 0) << name;
  }
}

TEST(CheckpointWriter, RefusesToFinishWithBytesMissing) {
  test::TempDir tmp;
  CheckpointWriter w(tmp.path(), {{"a", DType::F32, {4}}, {"b", DType::F32, {2}}}, {}, 6);
  const float values[4] = {1, 2, 3, 4};
  w.write(0, 0, values, sizeof values);
  w.write(1, 0, values, 4);  // half of b
  EXPECT_THROW(w.write(1, 4, values, 8), Error);  // past b's end
  EXPECT_THROW(w.finish(), Error);
}

}  // namespace
}  // namespace glassbox
