#pragma once
// The decoder-only transformer shared by every supported family. Family differences are flags in
// ModelConfig (q/k/v bias, q/k norm, head_dim, rope scaling, tied embeddings), never separate code.
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "model/config.h"
#include "core/safetensors.h"
#include "model/hooks.h"
#include "model/kv_cache.h"
#include "model/rope.h"
#include "quant/linear.h"

namespace glassbox {

struct LayerWeights {
  std::vector<float> attn_norm, mlp_norm;   // input_layernorm, post_attention_layernorm
  Linear q, k, v, o;
  std::vector<float> q_bias, k_bias, v_bias;  // empty unless config.qkv_bias
  std::vector<float> q_norm, k_norm;          // empty unless config.qk_norm
  Linear gate, up, down;
};

class Model {
 public:
  // Reads config.json and maps the safetensors; checks every tensor's shape against the config.
  static Model load(const std::filesystem::path& dir);

  const ModelConfig& config() const { return config_; }
  const TensorStore& tensors() const { return store_; }
  const Linear& embedding() const { return embedding_; }
  const Linear& lm_head() const { return config_.tie_embeddings ? embedding_ : lm_head_; }
  const LayerWeights& layer(int64_t l) const { return layers_[size_t(l)]; }

  // A cache for sequences of up to `capacity` tokens (at most the model's context). It grows as the sequence
  // does; only a cache that could never fit in this machine's memory is refused, up front.
  KVCache new_cache(int64_t capacity) const;

  // Runs `tokens` at positions cache.length() onward, appends their keys and values to `cache` and
  // returns the logits: [tokens.size(), vocab] row-major when all_logits, else only the last row.
  // `hooks` (may be null) read or change activations on the way (model/hooks.h); the returned logits are
  // what the hooks made of them. A NaN or infinity in the embedding, the residual stream or the logits is an
  // Error naming where it first appeared (and the weight behind it).
  std::vector<float> forward(std::span<const int32_t> tokens, KVCache& cache, const Hooks* hooks = nullptr,
                             bool all_logits = false) const;

  // The logit lens: lm_head(final_norm(resid)) for `rows` rows of the residual stream, into [rows, vocab].
  void unembed(const float* resid, int64_t rows, float* logits) const;
  // One decoding step of N independent sequences: token i goes at position caches[i].length() of its own
  // cache, and row i of the [N, vocab] logits is what forward() would return for it alone (up to f32
  // summation order: the matrix kernels take N rows at once). It is the same pass as forward(), with N
  // sequences' rows in it, so every weight matrix is read once per step for all N rows. No hooks.
  std::vector<float> decode_batch(std::span<const int32_t> tokens, std::span<KVCache> caches) const;

  // Throws an Error naming the flag when an id is outside the vocabulary.
  void check_ids(std::span<const int32_t> ids, const std::string& flag) const;

 private:
  // Rows [first_row, first_row + rows) of a pass extend `cache`, at positions cache->length() onward.
  struct Segment {
    KVCache* cache;
    int64_t first_row, rows;
  };
  // The forward pass over the rows of one or more sequences: every matrix product takes all rows at once,
  // RoPE, the KV cache and attention go by each row's own sequence. Hooks see the rows of one sequence.
  std::vector<float> run(std::span<const int32_t> tokens, std::span<const Segment> segments, const Hooks* hooks,
                         bool all_logits) const;
  // Fails, naming the site and the weights behind it, unless values [rows, cols] are all finite.
  void check_finite(const float* values, int64_t rows, int64_t cols, const char* site, int64_t layer,
                    std::span<const int32_t> tokens, std::span<const int64_t> positions) const;
  [[noreturn]] void report_non_finite(const float* values, int64_t rows, int64_t cols, const char* site,
                                      int64_t layer, std::span<const int32_t> tokens,
                                      std::span<const int64_t> positions) const;

  ModelConfig config_;
  TensorStore store_;
  Linear embedding_, lm_head_;
  std::vector<LayerWeights> layers_;
  std::vector<float> final_norm_;
  Rope rope_;

  Model(ModelConfig config, TensorStore store);
};

}  // namespace glassbox
