#pragma once
// Which activations a command records (--names, --layers, --heads) and the check that they fit in memory,
// made before any work: a request that would not fit is refused with how much it needs and how to narrow it.
#include <cstdint>
#include <cxxopts.hpp>
#include <string>
#include <vector>

#include "model/capture.h"

namespace glassbox {

struct CaptureRequest {
  std::vector<Site> sites;
  std::vector<int64_t> heads;  // of attn_scores/attn_probs only these query heads; empty: all
};

// --names NAME[,NAME...] (a full name such as resid_post.3, or a kind such as attn_probs for every layer in
// --layers), --layers L[,A-B...] (default: all), --heads H[,H...].
void add_capture_options(cxxopts::Options& options);

// The request the flags make; without --names (and without --layers) every non-derived site.
CaptureRequest read_capture_request(const Model& model, const cxxopts::ParseResult& args);

// "3,5-7" -> {3, 5, 6, 7}, each in [0, limit); anything else is an Error naming `flag`.
std::vector<int64_t> parse_index_list(const std::string& text, int64_t limit, const std::string& flag);

// Bytes of memory this process may still use: $GLASSBOX_MEMORY_LIMIT (bytes, or with a K/M/G suffix) when set,
// else MemAvailable of /proc/meminfo, less the model's weights (mapped from disk, so not yet counted).
int64_t memory_available(const Model& model);

// Refuses, before any work, a capture of `request` over T tokens (plus `extra` bytes of other working memory,
// such as the KV cache) that would not fit in memory_available(). `what` names the flag or command.
void check_capture_fits(const Model& model, const CaptureRequest& request, int64_t T, int64_t extra, const std::string& what);

// "1.50 GiB", "12.0 MiB"
std::string format_bytes(int64_t bytes);

}  // namespace glassbox
