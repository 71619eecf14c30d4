#pragma once
// The intervention flags shared by dump, topk, generate and the lessons, turned into hooks
// (model/interventions.h does the work):
//   --ablate L.H[,L.H...] [--ablate-mode zero|mean]   heads' slices of z set to 0 or their mean
//   --patch NAME[@POS][,...] (--patch-from TEXT | --patch-from-ids IDS)
//                                                     NAME's value in a run on the source prompt
//   --steer NAME=FILE[:SCALE][,...]                   + SCALE * FILE's "vector" at every position
#include <cstdint>
#include <cxxopts.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "model/interventions.h"
#include "session/prompt.h"

namespace glassbox {

void add_intervention_options(cxxopts::Options& options);

// The hooks the flags ask for; empty when none. --patch runs the source prompt once, refusing first when its
// capture would not fit in memory.
Hooks intervention_hooks(const Model& model, const Prompt& prompt, const cxxopts::ParseResult& args);

// "5.0,5.1" -> {{5, 0}, {5, 1}}; heads outside the model are an Error naming `flag`.
std::vector<HeadRef> parse_head_list(const std::string& text, const ModelConfig& config, const std::string& flag);

// Text encoded as --prompt encodes it: through the chat template unless --raw (with --system).
std::vector<int32_t> encode_like_prompt(const Prompt& prompt, const cxxopts::ParseResult& args, const std::string& text,
                                        const std::string& flag);

// A steering vector file: safetensors with one F32 tensor "vector" [width]. Errors name `flag` and the file.
std::vector<float> read_steering_vector(const std::filesystem::path& file, const std::string& flag);
void write_steering_vector(const std::filesystem::path& file, const std::vector<float>& vector,
                           const std::map<std::string, std::string>& metadata);

}  // namespace glassbox
