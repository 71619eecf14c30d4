#include "model/model.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "model/rms_norm.h"
#include "model/tensor_names.h"

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

std::vector<float> load_vector(const TensorStore& store, const std::string& name, int64_t size) {
  const TensorView& t = store.get(name);
  if (t.shape != std::vector<int64_t>{size})
    fail("tensor '" + name + "' has shape " + t.shape_string() + " but config.json needs [" + std::to_string(size) + "]");
  return t.to_f32();
}

void add_bias(Mat& m, const std::vector<float>& bias) {
  if (bias.empty()) return;
  m.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias.data(), Eigen::Index(bias.size()));
}

template <typename M>
void record(Capture* capture, const std::string& name, const M& m) {
  if (capture && capture->wants(name)) capture->record(name, {int64_t(m.rows()), int64_t(m.cols())}, m.data());
}

// A per-layer activation; its name is only built when something is capturing, so decoding without a
// capture allocates no strings.
template <typename M>
void record(Capture* capture, const char* base, int64_t layer, const M& m) {
  if (capture) record(capture, activation_name(base, layer), m);
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
  return KVCache(config_.n_layers, std::min(capacity, config_.max_positions), config_.n_kv_heads * config_.head_dim);
}

void Model::check_ids(std::span<const int32_t> ids, const std::string& flag) const {
  for (int32_t id : ids)
    if (id < 0 || id >= config_.vocab)
      fail(flag + ": token id " + std::to_string(id) + " is outside the vocabulary (0.." +
           std::to_string(config_.vocab - 1) + ")");
}

std::vector<float> Model::forward(std::span<const int32_t> tokens, KVCache& cache, Capture* capture,
                                  bool all_logits) const {
  const ModelConfig& c = config_;
  const int64_t T = int64_t(tokens.size()), P = cache.length(), S = P + T;
  const int64_t hd = c.head_dim, nh = c.n_heads, nkv = c.n_kv_heads, group = nh / nkv;
  if (T == 0) fail("forward: no tokens");
  if (S > c.max_positions)
    fail("sequence of " + std::to_string(S) + " tokens is longer than the model's context (max_position_embeddings = " +
         std::to_string(c.max_positions) + ")");
  if (S > cache.capacity())
    fail("sequence of " + std::to_string(S) + " tokens exceeds the KV cache (" + std::to_string(cache.capacity()) + ")");
  check_ids(tokens, "input");

  Mat x(T, c.hidden), h(T, c.hidden), branch(T, c.hidden);
  Mat q(T, nh * hd), k(T, nkv * hd), v(T, nkv * hd), attended(T, nh * hd);
  Mat gate(T, c.intermediate), up(T, c.intermediate);
  for (int64_t t = 0; t < T; ++t) embedding_.dequantize_row(tokens[size_t(t)], x.row(t).data());
  record(capture, "embed", x);

  const float scale = 1.0f / std::sqrt(float(hd));
  for (int64_t l = 0; l < c.n_layers; ++l) {
    const LayerWeights& w = layers_[size_t(l)];

    rms_norm(x.data(), w.attn_norm, c.rms_eps, T, c.hidden, h.data());
    w.q.matmul(h.data(), T, q.data());
    w.k.matmul(h.data(), T, k.data());
    w.v.matmul(h.data(), T, v.data());
    add_bias(q, w.q_bias);
    add_bias(k, w.k_bias);
    add_bias(v, w.v_bias);
    record(capture, "q", l, q);
    record(capture, "k", l, k);
    record(capture, "v", l, v);
    if (c.qk_norm) {
      rms_norm(q.data(), w.q_norm, c.rms_eps, T * nh, hd, q.data());
      rms_norm(k.data(), w.k_norm, c.rms_eps, T * nkv, hd, k.data());
    }
    for (int64_t t = 0; t < T; ++t) {
      rope_.apply(q.row(t).data(), nh, P + t);
      rope_.apply(k.row(t).data(), nkv, P + t);
      std::copy_n(k.row(t).data(), nkv * hd, cache.keys(l, P + t));
      std::copy_n(v.row(t).data(), nkv * hd, cache.values(l, P + t));
    }

    // Causal attention as two GEMMs per (query head, block of query rows): scores = Q K^T over the keys the
    // block can see, a masked softmax per row, then P V. Query head `head` reads K/V head head / group (GQA).
    const bool keep_probs = capture && capture->wants(activation_name("attn_probs", l));
    std::vector<float> probs(keep_probs ? size_t(nh * T * S) : 0);
    const int64_t blocks = (T + kQueryBlock - 1) / kQueryBlock;
#pragma omp parallel if (T * S * nh * hd > kParallelAttention)
    {
      Mat scores;
#pragma omp for schedule(dynamic)
      for (int64_t task = 0; task < nh * blocks; ++task) {
        const int64_t head = task / blocks, kv_head = head / group;
        const int64_t t0 = (task % blocks) * kQueryBlock, t1 = std::min(T, t0 + kQueryBlock);
        const int64_t span = P + t1;  // keys [0, span) cover every row of the block
        const ConstStrided Q(q.data() + t0 * nh * hd + head * hd, t1 - t0, hd, Stride(nh * hd));
        const ConstStrided K(cache.keys(l, 0) + kv_head * hd, span, hd, Stride(nkv * hd));
        const ConstStrided V(cache.values(l, 0) + kv_head * hd, span, hd, Stride(nkv * hd));
        scores.noalias() = Q * K.transpose();
        for (int64_t t = t0; t < t1; ++t) {
          float* p = scores.row(t - t0).data();
          const int64_t last = P + t;  // a query sees itself and everything before it...
          const int64_t first = c.sliding_window > 0 ? std::max<int64_t>(0, last - c.sliding_window + 1) : 0;  // ...within the window
          float max_score = -INFINITY;
          for (int64_t j = first; j <= last; ++j) max_score = std::max(max_score, p[j] *= scale);
          float sum = 0;
          for (int64_t j = first; j <= last; ++j) sum += (p[j] = std::exp(p[j] - max_score));
          for (int64_t j = first; j <= last; ++j) p[j] /= sum;
          std::fill(p, p + first, 0.0f);
          std::fill(p + last + 1, p + span, 0.0f);
          if (keep_probs) std::copy_n(p, last + 1, probs.data() + (head * T + t) * S);
        }
        Strided(attended.data() + t0 * nh * hd + head * hd, t1 - t0, hd, Stride(nh * hd)).noalias() = scores * V;
      }
    }
    if (keep_probs) capture->record(activation_name("attn_probs", l), {nh, T, S}, probs.data());

    w.o.matmul(attended.data(), T, branch.data());
    record(capture, "attn_out", l, branch);
    x += branch;

    rms_norm(x.data(), w.mlp_norm, c.rms_eps, T, c.hidden, h.data());
    w.gate.matmul(h.data(), T, gate.data());
    w.up.matmul(h.data(), T, up.data());
    gate = (gate.array() / (1.0f + (-gate.array()).exp()) * up.array()).matrix();  // SiLU(gate) * up
    w.down.matmul(gate.data(), T, branch.data());
    record(capture, "mlp_out", l, branch);
    x += branch;
    record(capture, "resid_post", l, x);
  }
  cache.advance(T);

  rms_norm(x.data(), final_norm_, c.rms_eps, T, c.hidden, h.data());
  record(capture, "final_norm", h);
  if (all_logits || (capture && capture->wants("logits"))) {
    std::vector<float> logits(size_t(T * c.vocab));
    lm_head().matmul(h.data(), T, logits.data());
    if (capture && capture->wants("logits")) capture->record("logits", {T, c.vocab}, logits.data());
    if (!all_logits) logits.erase(logits.begin(), logits.end() - c.vocab);
    return logits;
  }
  std::vector<float> logits(size_t(c.vocab));
  lm_head().matmul(h.row(T - 1).data(), 1, logits.data());
  return logits;
}

}  // namespace glassbox
