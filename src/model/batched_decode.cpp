// Batched decoding: N sequences advance one token each through a single pass over the layers. Decode of one
// sequence is bound by reading the weights; with N rows, each Linear reads its weights once and multiplies
// N activation rows (Linear::matmul's panel GEMM), so a step costs little more than one sequence's while it
// yields N tokens. Attention stays per sequence: each row meets only its own KV cache.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "model/model.h"
#include "model/rms_norm.h"

namespace glassbox {
namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void add_row(Mat& m, const std::vector<float>& row) {
  if (!row.empty()) m.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(row.data(), Eigen::Index(row.size()));
}

// One query row attending over keys [first, last] of one KV head: softmax(q K^T * scale) V into z.
void attend_one(const float* q, const float* keys, const float* values, int64_t stride, int64_t first, int64_t last,
                int64_t head_dim, float scale, float* scores, float* z) {
  using Vec = Eigen::Map<const Eigen::VectorXf>;
  using Rows = Eigen::Map<const Mat, 0, Eigen::OuterStride<>>;
  const int64_t n = last - first + 1;
  const Rows K(keys + first * stride, n, head_dim, Eigen::OuterStride<>(stride));
  const Rows V(values + first * stride, n, head_dim, Eigen::OuterStride<>(stride));
  Eigen::Map<Eigen::VectorXf> s(scores, n);
  s.noalias() = K * Vec(q, head_dim);
  s *= scale;
  s = (s.array() - s.maxCoeff()).exp();
  s /= s.sum();
  Eigen::Map<Eigen::RowVectorXf>(z, head_dim).noalias() = s.transpose() * V;
}

}  // namespace

std::vector<float> Model::decode_batch(std::span<const int32_t> tokens, std::span<KVCache> caches) const {
  const ModelConfig& c = config_;
  const int64_t N = int64_t(tokens.size()), hd = c.head_dim, nh = c.n_heads, nkv = c.n_kv_heads, group = nh / nkv;
  if (N == 0) fail("decode_batch: no sequences");
  if (caches.size() != tokens.size()) fail("decode_batch: one KV cache per sequence");
  int64_t longest = 0;
  for (KVCache& cache : caches) {
    if (cache.length() + 1 > std::min(cache.capacity(), c.max_positions))
      fail("sequence of " + std::to_string(cache.length() + 1) + " tokens exceeds the KV cache (" +
           std::to_string(cache.capacity()) + ") or the model's context (" + std::to_string(c.max_positions) + ")");
    longest = std::max(longest, cache.length() + 1);
    cache.reserve(cache.length() + 1);  // the cache grows as the sequence does
  }
  check_ids(tokens, "input");

  Mat x(N, c.hidden), h(N, c.hidden), branch(N, c.hidden);
  Mat q(N, nh * hd), k(N, nkv * hd), v(N, nkv * hd), z(N, nh * hd);
  Mat gate(N, c.intermediate), up(N, c.intermediate);
  for (int64_t i = 0; i < N; ++i) embedding_.dequantize_row(tokens[size_t(i)], x.row(i).data());
  const float scale = 1.0f / std::sqrt(float(hd));
  for (int64_t l = 0; l < c.n_layers; ++l) {
    const LayerWeights& w = layers_[size_t(l)];
    rms_norm(x.data(), w.attn_norm, c.rms_eps, N, c.hidden, h.data());
    w.q.matmul(h.data(), N, q.data());
    w.k.matmul(h.data(), N, k.data());
    w.v.matmul(h.data(), N, v.data());
    add_row(q, w.q_bias);
    add_row(k, w.k_bias);
    add_row(v, w.v_bias);
    if (c.qk_norm) {
      rms_norm(q.data(), w.q_norm, c.rms_eps, N * nh, hd, q.data());
      rms_norm(k.data(), w.k_norm, c.rms_eps, N * nkv, hd, k.data());
    }
    for (int64_t i = 0; i < N; ++i) {
      KVCache& cache = caches[size_t(i)];
      const int64_t pos = cache.length();
      rope_.apply(q.row(i).data(), nh, pos);
      rope_.apply(k.row(i).data(), nkv, pos);
      std::copy_n(k.row(i).data(), nkv * hd, cache.keys(l, pos));
      std::copy_n(v.row(i).data(), nkv * hd, cache.values(l, pos));
    }
#pragma omp parallel if (N * nh * longest * hd > (1 << 16))
    {
      std::vector<float> scores(static_cast<size_t>(longest));
#pragma omp for schedule(static)
      for (int64_t task = 0; task < N * nh; ++task) {
        const int64_t i = task / nh, head = task % nh, kv_head = head / group;
        KVCache& cache = caches[size_t(i)];
        const int64_t last = cache.length();  // the new token's position: it sees itself and what came before,
        const int64_t first = c.sliding_window > 0 ? std::max<int64_t>(0, last - c.sliding_window + 1) : 0;  // within the window
        attend_one(q.row(i).data() + head * hd, cache.keys(l, 0) + kv_head * hd, cache.values(l, 0) + kv_head * hd,
                   nkv * hd, first, last, hd, scale, scores.data(), z.row(i).data() + head * hd);
      }
    }
    w.o.matmul(z.data(), N, branch.data());
    x += branch;
    rms_norm(x.data(), w.mlp_norm, c.rms_eps, N, c.hidden, h.data());
    w.gate.matmul(h.data(), N, gate.data());
    w.up.matmul(h.data(), N, up.data());
    gate = (gate.array() / (1.0f + (-gate.array()).exp()) * up.array()).matrix();  // SiLU(gate) * up
    w.down.matmul(gate.data(), N, branch.data());
    x += branch;
  }
  for (KVCache& cache : caches) cache.advance(1);
  rms_norm(x.data(), final_norm_, c.rms_eps, N, c.hidden, h.data());
  std::vector<float> logits(size_t(N * c.vocab));
  lm_head().matmul(h.data(), N, logits.data());
  return logits;
}

}  // namespace glassbox
