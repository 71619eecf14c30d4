#pragma once
// The names of a Hugging Face checkpoint's tensors, in one place for loading, writing synthetic checkpoints
// and grouping parameters. Every supported family uses Llama's names.
#include <cstdint>
#include <string>

namespace glassbox::hf {

inline constexpr const char* kEmbedding = "model.embed_tokens";  // modules: append ".weight"
inline constexpr const char* kLmHead = "lm_head";
inline constexpr const char* kFinalNorm = "model.norm.weight";
inline constexpr const char* kLayersPrefix = "model.layers.";

// Within a layer, after layer_prefix(l).
inline constexpr const char* kAttnNorm = "input_layernorm.weight";
inline constexpr const char* kMlpNorm = "post_attention_layernorm.weight";
inline constexpr const char* kQ = "self_attn.q_proj";
inline constexpr const char* kK = "self_attn.k_proj";
inline constexpr const char* kV = "self_attn.v_proj";
inline constexpr const char* kO = "self_attn.o_proj";
inline constexpr const char* kQNorm = "self_attn.q_norm.weight";
inline constexpr const char* kKNorm = "self_attn.k_norm.weight";
inline constexpr const char* kGate = "mlp.gate_proj";
inline constexpr const char* kUp = "mlp.up_proj";
inline constexpr const char* kDown = "mlp.down_proj";

// "model.layers.3."
inline std::string layer_prefix(int64_t layer) { return kLayersPrefix + std::to_string(layer) + "."; }

}  // namespace glassbox::hf
