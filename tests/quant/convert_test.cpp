// convert writes an mlx-lm style checkpoint that loads back to exactly the quantized weights.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
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

}  // namespace
}  // namespace glassbox
