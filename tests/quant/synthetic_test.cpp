// Synthetic checkpoints have the shapes of the published models, and are written into the cache once.
#include <gtest/gtest.h>

#include <cstdlib>

#include "model/model.h"
#include "model/synthetic.h"
#include "support/temp_dir.h"

namespace glassbox {
namespace {

TEST(SyntheticShapes, ParameterCountsMatchThePublishedCheckpoints) {
  // The totals the published checkpoints' safetensors hold (their model cards and index.json files); a
  // wrong width, layer count, bias, norm or tying in a shape changes the count.
  const std::map<std::string, int64_t> published = {
      {"smollm2-135m", 134515008},  {"qwen2.5-0.5b", 494032768}, {"llama3.2-1b", 1235814400},
      {"llama3.2-3b", 3212749824},  {"qwen2-7b", 7615616512},    {"mistral-7b", 7248023552},
      {"qwen3-8b", 8190735360}};
  ASSERT_EQ(synthetic_shapes().size(), published.size());
  for (const SyntheticShape& s : synthetic_shapes()) EXPECT_EQ(s.parameters(), published.at(s.name)) << s.name;
}

TEST(SyntheticCache, WritesOnceThenReuses) {
  test::TempDir tmp;
  ::setenv("XDG_CACHE_HOME", tmp.path().c_str(), 1);
  EXPECT_EQ(synthetic_cache_dir(), tmp / "glassbox" / "synthetic");
  ConvertOptions o;
  o.bits = 4, o.group_size = 64;
  bool written = false;
  const auto dir = cached_synthetic_model(synthetic_shape("smollm2-135m"), o, written);
  EXPECT_TRUE(written);
  const auto when = std::filesystem::last_write_time(dir / "model.safetensors");
  EXPECT_EQ(cached_synthetic_model(synthetic_shape("smollm2-135m"), o, written), dir);
  EXPECT_FALSE(written);
  EXPECT_EQ(std::filesystem::last_write_time(dir / "model.safetensors"), when);
  const Model m = Model::load(dir);
  EXPECT_EQ(m.layer(0).q.format_name(), "q4/g64");
  EXPECT_EQ(m.config().n_layers, 30);
  ::unsetenv("XDG_CACHE_HOME");
}

}  // namespace
}  // namespace glassbox
