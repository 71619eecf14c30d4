// The hook API against itself: names, what each site holds, that changes made by a hook reach the output,
// and that the hooked attention path computes what the fast one does. (tests/model/interventions_test.cpp
// checks the interventions against transformers.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "model/capture.h"
#include "support/shared.h"

namespace glassbox {
namespace {

// Same arithmetic, different blocking of the attention GEMMs (hooked vs fast path, one row vs many):
// float32 rounding differences of ~1e-6 relative, amplified by the fixture's large random weights.
constexpr double kTolerance = 1e-4;

double max_scaled_difference(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  double scale = 1, diff = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    scale = std::max(scale, double(std::fabs(a[i])));
    diff = std::max(diff, double(std::fabs(a[i] - b[i])));
  }
  return diff / scale;
}

const std::vector<int32_t> kIds{1, 17, 300, 42, 5, 99, 128, 7, 17, 300};

Model qwen3() { return Model::load(test::shared_path("fixtures/tiny/tiny-qwen3")); }

std::vector<float> all_logits(const Model& model, const std::vector<int32_t>& ids, const Hooks* hooks) {
  KVCache cache = model.new_cache(int64_t(ids.size()));
  return model.forward(ids, cache, hooks, /*all_logits=*/true);
}

TEST(Site, NamesRoundTrip) {
  for (const Site& site : all_sites(4, /*with_lens=*/true)) EXPECT_EQ(parse_site(site_name(site), 4, "--x"), site);
  EXPECT_EQ(parse_site("resid_post.3", 4, "--x"), (Site{SiteKind::resid_post, 3}));
  EXPECT_EQ(parse_site("logits", 4, "--x"), (Site{SiteKind::logits, -1}));
  EXPECT_EQ(site_name({SiteKind::lens, 2}), "lens.2");
}

TEST(Site, BadNamesAreErrorsNamingTheFlag) {
  for (const char* bad : {"resid_post", "resid_post.4", "resid_post.-1", "resid_post.1x", "logits.0", "nope.1", "", "q."}) {
    try {
      parse_site(bad, 4, "--names");
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--names: ", 0), 0u) << e.what();
    }
  }
}

TEST(Hooks, AddChecksTheLayer) {
  Hooks hooks;
  EXPECT_THROW(hooks.add({SiteKind::resid_post, -1}, [](Activation&) {}), Error);
  EXPECT_THROW(hooks.add({SiteKind::logits, 0}, [](Activation&) {}), Error);
  hooks.add({SiteKind::resid_post, 7}, [](Activation&) {});
  EXPECT_TRUE(hooks.active(SiteKind::resid_post, 7));
  EXPECT_FALSE(hooks.active(SiteKind::resid_post, 6));
  EXPECT_FALSE(hooks.active(SiteKind::resid_post, 8));
  EXPECT_FALSE(hooks.active(SiteKind::logits, -1));
}

TEST(Hooks, NoHooksAndEmptyHooksGiveTheSameLogits) {
  const Model model = qwen3();
  const Hooks none;
  EXPECT_EQ(all_logits(model, kIds, nullptr), all_logits(model, kIds, &none));
}

TEST(Hooks, EveryViewHasTheSiteShapeAndPosition) {
  const Model model = qwen3();
  const ModelConfig& c = model.config();
  Hooks hooks;
  std::map<Site, int> calls;
  for (const Site& site : all_sites(c.n_layers, true))
    hooks.add(site, [&, site](Activation& a) {
      ++calls[site];
      const std::vector<int64_t> shape = site_shape(site, c, 4, 10);
      EXPECT_EQ(a.position, 6) << site_name(site);
      if (is_attention_pattern(site.kind)) {
        EXPECT_EQ(a.head, calls[site] - 1);
        EXPECT_EQ(a.heads, c.n_heads);
        EXPECT_EQ((std::vector<int64_t>{a.rows, a.cols}), (std::vector<int64_t>{shape[1], shape[2]})) << site_name(site);
      } else {
        EXPECT_EQ(a.head, -1);
        EXPECT_EQ((std::vector<int64_t>{a.rows, a.cols}), shape) << site_name(site);
      }
    });
  KVCache cache = model.new_cache(10);
  model.forward(std::span(kIds).first(6), cache);
  calls.clear();
  model.forward(std::span(kIds).subspan(6), cache, &hooks);
  for (const Site& site : all_sites(c.n_layers, true))
    EXPECT_EQ(calls[site], is_attention_pattern(site.kind) ? c.n_heads : 1) << site_name(site);
}

TEST(Hooks, SitesHoldWhatTheirNamesSay) {
  const Model model = qwen3();
  const ModelConfig& c = model.config();
  const int64_t T = int64_t(kIds.size());
  const Capture cap = run_with_cache(model, kIds, all_sites(c.n_layers, true));
  auto values = [&](const std::string& name) { return cap.get(name).values; };
  auto sum = [](std::vector<float> a, const std::vector<float>& b) {
    for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
    return a;
  };
  EXPECT_EQ(values("embed"), values("resid_pre.0"));
  for (int64_t l = 0; l < c.n_layers; ++l) {
    const std::string L = "." + std::to_string(l);
    if (l > 0) {
      EXPECT_EQ(values("resid_pre" + L), values("resid_post." + std::to_string(l - 1)));
    }
    EXPECT_EQ(values("resid_mid" + L), sum(values("resid_pre" + L), values("attn_out" + L)));
    EXPECT_EQ(values("resid_post" + L), sum(values("resid_mid" + L), values("mlp_out" + L)));
    // attn_probs is the softmax of attn_scores, row by row; masked entries are -inf and 0.
    const CapturedTensor &scores = cap.get("attn_scores" + L), &probs = cap.get("attn_probs" + L);
    ASSERT_EQ(scores.shape, (std::vector<int64_t>{c.n_heads, T, T}));
    for (int64_t r = 0; r < c.n_heads * T; ++r) {
      const int64_t t = r % T;
      double z = 0;
      for (int64_t j = 0; j <= t; ++j) z += std::exp(double(scores.at(r, j)));
      for (int64_t j = 0; j < T; ++j) {
        if (j > t) {
          EXPECT_EQ(scores.at(r, j), -INFINITY);
          EXPECT_EQ(probs.at(r, j), 0.0f);
        } else {
          EXPECT_NEAR(probs.at(r, j), std::exp(double(scores.at(r, j))) / z, 1e-6);
        }
      }
    }
  }
  // The lens of the last layer is the logits.
  EXPECT_LE(max_scaled_difference(values("lens." + std::to_string(c.n_layers - 1)), values("logits")), 1e-6);
}

TEST(Hooks, KRotIsWhatTheCacheKeeps) {
  const Model model = qwen3();
  const Site site{SiteKind::k_rot, 1};
  Capture cap({site});
  Hooks hooks;
  cap.attach(hooks);
  KVCache cache = model.new_cache(int64_t(kIds.size()));
  model.forward(kIds, cache, &hooks);
  const CapturedTensor& k = cap.get(site);
  EXPECT_EQ(k.values, std::vector<float>(cache.keys(1, 0), cache.keys(1, 0) + k.values.size()));
}

TEST(Hooks, HookedAttentionPathEqualsTheFastPath) {
  const Model model = qwen3();
  Hooks identity;
  for (int64_t l = 0; l < model.config().n_layers; ++l) identity.add({SiteKind::attn_probs, l}, [](Activation&) {});
  EXPECT_LE(max_scaled_difference(all_logits(model, kIds, nullptr), all_logits(model, kIds, &identity)), kTolerance);
}

TEST(Hooks, ChangesReachTheOutput) {
  const Model model = qwen3();
  const ModelConfig& c = model.config();
  // Zeroing every head's z leaves o_proj (no bias) nothing: attn_out is 0 and resid_mid equals resid_pre.
  Hooks zero;
  zero.add({SiteKind::z, 1}, [](Activation& a) { std::fill(a.data, a.data + a.rows * a.cols, 0.0f); });
  Capture cap({{SiteKind::attn_out, 1}, {SiteKind::resid_pre, 1}, {SiteKind::resid_mid, 1}});
  cap.attach(zero);
  KVCache cache = model.new_cache(int64_t(kIds.size()));
  model.forward(kIds, cache, &zero);
  for (float x : cap.get("attn_out.1").values) ASSERT_EQ(x, 0.0f);
  EXPECT_EQ(cap.get("resid_mid.1").values, cap.get("resid_pre.1").values);

  // Attention that only ever looks at the first token (set through the scores) gives every row of z the
  // first token's value vector of the head's KV head.
  Hooks first_only;
  first_only.add({SiteKind::attn_scores, 0}, [](Activation& a) {
    for (int64_t t = 0; t < a.rows; ++t) std::fill(a.row(t) + 1, a.row(t) + a.cols, -INFINITY);
  });
  const Capture z = run_with_cache(model, kIds, {{SiteKind::z, 0}, {SiteKind::v, 0}}, &first_only);
  const int64_t hd = c.head_dim, group = c.n_heads / c.n_kv_heads;
  for (int64_t t = 0; t < int64_t(kIds.size()); ++t)
    for (int64_t head = 0; head < c.n_heads; ++head)
      for (int64_t i = 0; i < hd; ++i)
        ASSERT_NEAR(z.get("z.0").at(t, head * hd + i), z.get("v.0").at(0, (head / group) * hd + i), 1e-5);

  // A change to the logits site is what forward returns.
  Hooks logits;
  logits.add({SiteKind::logits, -1}, [](Activation& a) { a.row(a.rows - 1)[3] = 1e6f; });
  KVCache c2 = model.new_cache(int64_t(kIds.size()));
  const std::vector<float> last = model.forward(kIds, c2, &logits);
  EXPECT_EQ(last.size(), size_t(c.vocab));
  EXPECT_EQ(last[3], 1e6f);
}

TEST(Hooks, DecodeStepsSeeAbsolutePositions) {
  // A hook that depends on the absolute position gives the same logits whether the sequence runs at once
  // or one token at a time from the KV cache.
  const Model model = qwen3();
  Hooks hooks;
  hooks.add({SiteKind::resid_post, 0}, [](Activation& a) {
    for (int64_t r = 0; r < a.rows; ++r)
      if ((a.position + r) % 3 == 1) std::fill_n(a.row(r), a.cols, 0.5f);
  });
  const std::vector<float> full = all_logits(model, kIds, &hooks);
  KVCache cache = model.new_cache(int64_t(kIds.size()));
  const size_t V = size_t(model.config().vocab);
  for (size_t t = 0; t < kIds.size(); ++t) {
    const std::vector<float> step = model.forward(std::span(kIds).subspan(t, 1), cache, &hooks);
    const std::vector<float> want(full.begin() + long(t * V), full.begin() + long((t + 1) * V));
    EXPECT_LE(max_scaled_difference(step, want), kTolerance) << "position " << t;
  }
}

TEST(Hooks, StopAfterALayer) {
  const Model model = qwen3();
  const Site site{SiteKind::resid_post, 1};
  Capture early({site});
  Hooks hooks;
  early.attach(hooks);
  bool later_ran = false;
  hooks.add({SiteKind::resid_pre, 2}, [&](Activation&) { later_ran = true; });
  hooks.stop_after(1);
  KVCache cache = model.new_cache(int64_t(kIds.size()));
  EXPECT_TRUE(model.forward(kIds, cache, &hooks).empty());
  EXPECT_EQ(cache.length(), 0);
  EXPECT_FALSE(later_ran);
  // What it recorded is what a full pass records there.
  EXPECT_EQ(early.get(site).values, run_with_cache(model, kIds, {site, {SiteKind::logits, -1}}).get(site).values);
}

TEST(Capture, KeepsOnlyTheHeadsAskedFor) {
  const Model model = qwen3();
  const Site site{SiteKind::attn_probs, 2};
  const Capture all = run_with_cache(model, kIds, {site});
  const Capture some = run_with_cache(model, kIds, {site}, nullptr, {3, 1});
  const int64_t T = int64_t(kIds.size());
  ASSERT_EQ(some.get(site).shape, (std::vector<int64_t>{2, T, T}));
  const std::vector<float>& a = all.get(site).values;
  const std::vector<float>& s = some.get(site).values;
  EXPECT_TRUE(std::equal(s.begin(), s.begin() + T * T, a.begin() + 1 * T * T));  // ascending: head 1, then 3
  EXPECT_TRUE(std::equal(s.begin() + T * T, s.end(), a.begin() + 3 * T * T));
  EXPECT_EQ(capture_bytes({site}, 2, model.config(), T, T), int64_t(s.size() * sizeof(float)));
}

}  // namespace
}  // namespace glassbox
