#include "model/model.h"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>

#include "base/checked.h"
#include "base/error.h"
#include "model/rms_norm.h"
#include "model/tensor_names.h"
#include "core/memory.h"
#include "model/finite.h"

namespace glassbox {
namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Stride = Eigen::OuterStride<>;
using Strided = Eigen::Map<Mat, 0, Stride>;  // one head's columns of a [rows, heads * head_dim] matrix
using ConstStrided = Eigen::Map<const Mat, 0, Stride>;

// Query rows per attention task: small enough that the heads x blocks tasks keep every core busy and the
// causal mask skips most of the unseen keys, large enough for the GEMMs to run at speed.
constexpr int64_t kQueryBlock = 64;
// Below this many multiply-adds attention runs on one thread (decode of short contexts, the tiny fixtures).
constexpr int64_t kParallelAttention = 1 << 18;

// Norm weights and biases are copied to f32 here, so checking them for NaN and infinity costs nothing; the
// matrices stay mapped and are only read when an activation goes non-finite (see non_finite.cpp).
std::vector<float> load_vector(const TensorStore& store, const std::string& name, int64_t size) {
  const TensorView& t = store.get(name);
  if (t.shape != std::vector<int64_t>{size})
    fail("tensor '" + name + "' has shape " + t.shape_string() + " but config.json needs [" + std::to_string(size) + "]");
  std::vector<float> values = t.to_f32();
  if (const size_t i = first_non_finite(values.data(), values.size()); i < values.size())
    fail("tensor '" + name + "' holds " + std::to_string(values[i]) + " at index " + std::to_string(i) +
         " (weights must be finite)");
  return values;
}

void add_bias(Mat& m, const std::vector<float>& bias) {
  if (bias.empty()) return;
  m.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias.data(), Eigen::Index(bias.size()));
}

// The shape of one attention call: T new queries at positions P.. see S = P + T keys.
struct AttentionShape {
  int64_t T, P, S, heads, kv_heads, head_dim, window;
  float scale;
  int64_t first_key(int64_t t) const {  // a query sees itself and everything before it, within the window
    return window > 0 ? std::max<int64_t>(0, P + t - window + 1) : 0;
  }
};

// Causal attention as two GEMMs per (query head, block of query rows): scores = Q K^T over the keys the
// block can see, a masked softmax per row, then P V. Query head `head` reads K/V head head / group (GQA).
void attend(const float* q, KVCache& cache, int64_t layer, const AttentionShape& a, float* z) {
  const int64_t hd = a.head_dim, nh = a.heads, nkv = a.kv_heads, group = nh / nkv, T = a.T, P = a.P;
  const int64_t blocks = (T + kQueryBlock - 1) / kQueryBlock;
#pragma omp parallel if (T * a.S * nh * hd > kParallelAttention)
  {
    Mat scores;
#pragma omp for schedule(dynamic)
    for (int64_t task = 0; task < nh * blocks; ++task) {
      const int64_t head = task / blocks, kv_head = head / group;
      const int64_t t0 = (task % blocks) * kQueryBlock, t1 = std::min(T, t0 + kQueryBlock);
      const int64_t span = P + t1;  // keys [0, span) cover every row of the block
      const ConstStrided Q(q + t0 * nh * hd + head * hd, t1 - t0, hd, Stride(nh * hd));
      const ConstStrided K(cache.keys(layer, 0) + kv_head * hd, span, hd, Stride(nkv * hd));
      const ConstStrided V(cache.values(layer, 0) + kv_head * hd, span, hd, Stride(nkv * hd));
      scores.noalias() = Q * K.transpose();
      for (int64_t t = t0; t < t1; ++t) {
        float* p = scores.row(t - t0).data();
        const int64_t first = a.first_key(t), last = P + t;
        float max_score = -INFINITY;
        for (int64_t j = first; j <= last; ++j) max_score = std::max(max_score, p[j] *= a.scale);
        float sum = 0;
        for (int64_t j = first; j <= last; ++j) sum += (p[j] = std::exp(p[j] - max_score));
        for (int64_t j = first; j <= last; ++j) p[j] /= sum;
        std::fill(p, p + first, 0.0f);
        std::fill(p + last + 1, p + span, 0.0f);
      }
      Strided(z + t0 * nh * hd + head * hd, t1 - t0, hd, Stride(nh * hd)).noalias() = scores * V;
    }
  }
}

// The same attention for a layer whose attn_scores or attn_probs is hooked: one head at a time, its [T, S]
// scores materialized (masked entries -inf) so the hooks can read and change them before the softmax and
// before P V.
void attend_hooked(const float* q, KVCache& cache, int64_t layer, const AttentionShape& a, const Hooks& hooks,
                   float* z) {
  const int64_t hd = a.head_dim, nh = a.heads, nkv = a.kv_heads, group = nh / nkv, T = a.T, P = a.P, S = a.S;
  const int64_t blocks = (T + kQueryBlock - 1) / kQueryBlock;
  const bool parallel = T * S * hd > kParallelAttention;
  Mat scores(T, S);
  auto run = [&](SiteKind kind, int64_t head) {
    if (!hooks.active(kind, layer)) return;
    Activation view{{kind, layer}, scores.data(), T, S, P, head, nh};
    hooks.run(view);
  };
  for (int64_t head = 0; head < nh; ++head) {
    const int64_t kv_head = head / group;
    const ConstStrided K(cache.keys(layer, 0) + kv_head * hd, S, hd, Stride(nkv * hd));
    const ConstStrided V(cache.values(layer, 0) + kv_head * hd, S, hd, Stride(nkv * hd));
#pragma omp parallel for schedule(dynamic) if (parallel)
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t t0 = b * kQueryBlock, n = std::min(T - t0, kQueryBlock);
      const ConstStrided Q(q + t0 * nh * hd + head * hd, n, hd, Stride(nh * hd));
      scores.middleRows(t0, n).noalias() = Q * K.transpose();
      for (int64_t t = t0; t < t0 + n; ++t) {
        float* p = scores.row(t).data();
        const int64_t first = a.first_key(t), last = P + t;
        std::fill(p, p + first, -INFINITY);
        for (int64_t j = first; j <= last; ++j) p[j] *= a.scale;
        std::fill(p + last + 1, p + S, -INFINITY);
      }
    }
    run(SiteKind::attn_scores, head);
#pragma omp parallel for schedule(dynamic) if (parallel)
    for (int64_t t = 0; t < T; ++t) {  // softmax over the whole row: exp(-inf) = 0 keeps the mask
      float* p = scores.row(t).data();
      const float max_score = *std::max_element(p, p + S);
      if (max_score == -INFINITY) {  // a hook masked every key: the row attends to nothing
        std::fill(p, p + S, 0.0f);
        continue;
      }
      float sum = 0;
      for (int64_t j = 0; j < S; ++j) sum += (p[j] = std::exp(p[j] - max_score));
      for (int64_t j = 0; j < S; ++j) p[j] /= sum;
    }
    run(SiteKind::attn_probs, head);
#pragma omp parallel for schedule(dynamic) if (parallel)
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t t0 = b * kQueryBlock, n = std::min(T - t0, kQueryBlock);
      Strided(z + t0 * nh * hd + head * hd, n, hd, Stride(nh * hd)).noalias() = scores.middleRows(t0, n) * V;
    }
  }
}

}  // namespace

Model::Model(ModelConfig config, TensorStore store)
    : config_(std::move(config)), store_(std::move(store)), rope_(config_.rope, config_.head_dim) {}

Model Model::load(const std::filesystem::path& dir) {
  ModelConfig config = load_config(dir);
  TensorStore store = TensorStore::open_dir(dir);
  Model m(std::move(config), std::move(store));
  const ModelConfig& c = m.config_;
  const TensorStore& s = m.store_;
  const QuantConfig& qc = c.quant;
  auto linear = [&](const std::string& module, int64_t rows, int64_t cols) {
    return Linear::load(s, module, rows, cols, qc.for_module(module));
  };
  const int64_t q_width = c.n_heads * c.head_dim, kv_width = c.n_kv_heads * c.head_dim;
  m.embedding_ = linear(hf::kEmbedding, c.vocab, c.hidden);
  if (!c.tie_embeddings) m.lm_head_ = linear(hf::kLmHead, c.vocab, c.hidden);
  for (int64_t l = 0; l < c.n_layers; ++l) {
    const std::string p = hf::layer_prefix(l);
    LayerWeights w;
    w.attn_norm = load_vector(s, p + hf::kAttnNorm, c.hidden);
    w.mlp_norm = load_vector(s, p + hf::kMlpNorm, c.hidden);
    w.q = linear(p + hf::kQ, q_width, c.hidden);
    w.k = linear(p + hf::kK, kv_width, c.hidden);
    w.v = linear(p + hf::kV, kv_width, c.hidden);
    w.o = linear(p + hf::kO, c.hidden, q_width);
    if (c.qkv_bias) {
      w.q_bias = load_vector(s, p + hf::kQ + ".bias", q_width);
      w.k_bias = load_vector(s, p + hf::kK + ".bias", kv_width);
      w.v_bias = load_vector(s, p + hf::kV + ".bias", kv_width);
    }
    if (c.qk_norm) {
      w.q_norm = load_vector(s, p + hf::kQNorm, c.head_dim);
      w.k_norm = load_vector(s, p + hf::kKNorm, c.head_dim);
    }
    w.gate = linear(p + hf::kGate, c.intermediate, c.hidden);
    w.up = linear(p + hf::kUp, c.intermediate, c.hidden);
    w.down = linear(p + hf::kDown, c.hidden, c.intermediate);
    m.layers_.push_back(std::move(w));
  }
  m.final_norm_ = load_vector(s, hf::kFinalNorm, c.hidden);
  return m;
}

KVCache Model::new_cache(int64_t capacity) const {
  const ModelConfig& c = config_;
  const int64_t length = std::min(capacity, c.max_positions), width = c.n_kv_heads * c.head_dim;
  const int64_t bytes =
      checked_mul(checked_mul(2 * c.n_layers, length, "KV cache size"), width * int64_t(sizeof(float)), "KV cache size");
  if (uint64_t(bytes) > physical_memory_bytes())
    fail("a KV cache for " + std::to_string(length) + " tokens needs " + std::to_string(bytes >> 20) +
         " MiB, more than this machine's " + std::to_string(physical_memory_bytes() >> 20) +
         " MiB of memory; ask for fewer tokens");
  return KVCache(c.n_layers, length, width);
}

void Model::check_ids(std::span<const int32_t> ids, const std::string& flag) const {
  for (int32_t id : ids)
    if (id < 0 || id >= config_.vocab)
      fail(flag + ": token id " + std::to_string(id) + " is outside the vocabulary (0.." +
           std::to_string(config_.vocab - 1) + ")");
}

void Model::unembed(const float* resid, int64_t rows, float* logits) const {
  std::vector<float> normed(size_t(rows * config_.hidden));
  rms_norm(resid, final_norm_, config_.rms_eps, rows, config_.hidden, normed.data());
  lm_head().matmul(normed.data(), rows, logits);
}

void Model::check_finite(const float* values, int64_t rows, int64_t cols, const char* site, int64_t layer,
                         std::span<const int32_t> tokens, std::span<const int64_t> positions) const {
  if (!all_finite(values, size_t(rows * cols))) report_non_finite(values, rows, cols, site, layer, tokens, positions);
}

std::vector<float> Model::forward(std::span<const int32_t> tokens, KVCache& cache, const Hooks* hooks,
                                  bool all_logits) const {
  if (tokens.empty()) fail("forward: no tokens");
  const Segment one{&cache, 0, int64_t(tokens.size())};
  return run(tokens, {&one, 1}, hooks, all_logits);
}

std::vector<float> Model::decode_batch(std::span<const int32_t> tokens, std::span<KVCache> caches) const {
  if (tokens.empty()) fail("decode_batch: no sequences");
  if (caches.size() != tokens.size()) fail("decode_batch: one KV cache per sequence");
  std::vector<Segment> segments;
  for (size_t i = 0; i < tokens.size(); ++i) segments.push_back({&caches[i], int64_t(i), 1});
  return run(tokens, segments, nullptr, /*all_logits=*/true);
}

std::vector<float> Model::run(std::span<const int32_t> tokens, std::span<const Segment> segments, const Hooks* hooks,
                              bool all_logits) const {
  const ModelConfig& c = config_;
  const int64_t T = int64_t(tokens.size()), hd = c.head_dim, nh = c.n_heads, nkv = c.n_kv_heads;
  std::vector<int64_t> positions(static_cast<size_t>(T));  // each row's position in its own sequence
  for (const Segment& s : segments) {
    const int64_t P = s.cache->length(), S = P + s.rows;
    if (S > c.max_positions)
      fail("sequence of " + std::to_string(S) + " tokens is longer than the model's context (max_position_embeddings = " +
           std::to_string(c.max_positions) + ")");
    s.cache->reserve(S);
    for (int64_t r = 0; r < s.rows; ++r) positions[size_t(s.first_row + r)] = P + r;
  }
  check_ids(tokens, "input");
  const int64_t P = positions[0];  // hooks see one sequence's rows (forward), which start here

  // The one test per site that is all hooks cost when there are none.
  auto hooked = [hooks](SiteKind kind, int64_t layer) { return hooks && hooks->active(kind, layer); };
  auto at = [&](SiteKind kind, int64_t layer, Mat& m) {
    if (!hooked(kind, layer)) return;
    Activation view{{kind, layer}, m.data(), m.rows(), m.cols(), P};
    hooks->run(view);
  };

  Mat x(T, c.hidden), h(T, c.hidden), branch(T, c.hidden);
  Mat q(T, nh * hd), k(T, nkv * hd), v(T, nkv * hd), z(T, nh * hd);
  Mat gate(T, c.intermediate), up(T, c.intermediate);
  for (int64_t t = 0; t < T; ++t) embedding_.dequantize_row(tokens[size_t(t)], x.row(t).data());
  check_finite(x.data(), T, c.hidden, "embed", -1, tokens, positions);
  at(SiteKind::embed, -1, x);

  const int64_t layers = hooks && hooks->last_layer() < c.n_layers ? hooks->last_layer() + 1 : c.n_layers;
  for (int64_t l = 0; l < layers; ++l) {
    const LayerWeights& w = layers_[size_t(l)];
    at(SiteKind::resid_pre, l, x);

    rms_norm(x.data(), w.attn_norm, c.rms_eps, T, c.hidden, h.data());
    at(SiteKind::attn_in, l, h);
    Linear::matmul_each(std::array{&w.q, &w.k, &w.v}, h.data(), T, std::array{q.data(), k.data(), v.data()});
    add_bias(q, w.q_bias);
    add_bias(k, w.k_bias);
    add_bias(v, w.v_bias);
    at(SiteKind::q, l, q);
    at(SiteKind::k, l, k);
    at(SiteKind::v, l, v);
    if (c.qk_norm) {
      rms_norm(q.data(), w.q_norm, c.rms_eps, T * nh, hd, q.data());
      rms_norm(k.data(), w.k_norm, c.rms_eps, T * nkv, hd, k.data());
    }
    for (int64_t t = 0; t < T; ++t) {
      rope_.apply(q.row(t).data(), nh, positions[size_t(t)]);
      rope_.apply(k.row(t).data(), nkv, positions[size_t(t)]);
    }
    at(SiteKind::q_rot, l, q);
    at(SiteKind::k_rot, l, k);
    const bool pattern_hooked = hooked(SiteKind::attn_scores, l) || hooked(SiteKind::attn_probs, l);
    for (const Segment& s : segments) {  // each sequence's rows meet only its own keys and values
      const int64_t first = s.first_row, start = positions[size_t(first)];
      for (int64_t t = first; t < first + s.rows; ++t) {
        std::copy_n(k.row(t).data(), nkv * hd, s.cache->keys(l, positions[size_t(t)]));
        std::copy_n(v.row(t).data(), nkv * hd, s.cache->values(l, positions[size_t(t)]));
      }
      const AttentionShape shape{s.rows, start, start + s.rows, nh, nkv, hd, c.sliding_window, 1.0f / std::sqrt(float(hd))};
      if (pattern_hooked)
        attend_hooked(q.row(first).data(), *s.cache, l, shape, *hooks, z.row(first).data());
      else
        attend(q.row(first).data(), *s.cache, l, shape, z.row(first).data());
    }
    at(SiteKind::z, l, z);

    w.o.matmul(z.data(), T, branch.data());
    at(SiteKind::attn_out, l, branch);
    x += branch;
    check_finite(x.data(), T, c.hidden, "attn_out", l, tokens, positions);
    at(SiteKind::resid_mid, l, x);

    rms_norm(x.data(), w.mlp_norm, c.rms_eps, T, c.hidden, h.data());
    at(SiteKind::mlp_in, l, h);
    Linear::matmul_each(std::array{&w.gate, &w.up}, h.data(), T, std::array{gate.data(), up.data()});
    gate = (gate.array() / (1.0f + (-gate.array()).exp()) * up.array()).matrix();  // SiLU(gate) * up
    at(SiteKind::mlp_hidden, l, gate);
    w.down.matmul(gate.data(), T, branch.data());
    at(SiteKind::mlp_out, l, branch);
    x += branch;
    check_finite(x.data(), T, c.hidden, "mlp_out", l, tokens, positions);
    at(SiteKind::resid_post, l, x);
    if (hooked(SiteKind::lens, l)) {  // derived: its hooks read it; nothing downstream uses it
      Mat lens(T, c.vocab);
      unembed(x.data(), T, lens.data());
      at(SiteKind::lens, l, lens);
    }
  }
  if (layers < c.n_layers) return {};  // stopped early (Hooks::stop_after)
  for (const Segment& s : segments) s.cache->advance(s.rows);

  rms_norm(x.data(), final_norm_, c.rms_eps, T, c.hidden, h.data());
  at(SiteKind::final_norm, -1, h);
  if (all_logits || hooked(SiteKind::logits, -1)) {
    Mat logits(T, c.vocab);
    lm_head().matmul(h.data(), T, logits.data());
    check_finite(logits.data(), T, c.vocab, "logits", -1, tokens, positions);
    at(SiteKind::logits, -1, logits);
    const int64_t first_row = all_logits ? 0 : T - 1;
    return std::vector<float>(logits.data() + first_row * c.vocab, logits.data() + T * c.vocab);
  }
  std::vector<float> logits(size_t(c.vocab));
  lm_head().matmul(h.row(T - 1).data(), 1, logits.data());
  check_finite(logits.data(), 1, c.vocab, "logits", -1, tokens.last(1), std::span(positions).last(1));
  return logits;
}

}  // namespace glassbox
