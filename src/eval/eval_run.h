#pragma once
// One evaluation sample generated and measured (time to first token, tokens/sec, total time, peak memory,
// scores against "expected"), and the summary of a whole run: mean, median and p95 per measure.
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "eval/eval_set.h"
#include "generate/generate.h"
#include "render/line_chart.h"

namespace glassbox {

// The result record written to the results file:
//   {"id", "output", "prompt_tokens", "generated_tokens", "finish_reason" ("stop" | "length"),
//    "ttft_s", "tokens_per_sec", "total_s", "peak_memory_gb"[, "expected", "exact_match", "contains"]}
// exact_match: the output equals `expected` once both are stripped of surrounding whitespace; contains: the
// stripped `expected` occurs in the output. Both are case-sensitive.
nlohmann::json run_eval_sample(const Model& model, const Tokenizer& tokenizer, const EvalSample& sample,
                               const GenerationSettings& settings);

// Several samples generated together (generate_batch: one read of the weights per step for all), one record
// each. Times count from the start of the batch: a sample's ttft_s includes the prefills of those before it.
std::vector<nlohmann::json> run_eval_batch(const Model& model, const Tokenizer& tokenizer,
                                           std::span<const EvalSample* const> samples, const GenerationSettings& settings);

struct Spread {
  double mean = 0, median = 0, p95 = 0;
};

struct EvalSummary {
  int64_t samples = 0;
  Spread total_s, ttft_s, tokens_per_sec, generated_tokens, peak_memory_gb;  // peak memory: the process's so far
  int64_t scored = 0, exact_matches = 0, contains = 0;  // scored: samples with "expected"
};

EvalSummary summarize(const std::vector<nlohmann::json>& records);

// The summary as a Markdown table and the score lines, ready to print.
std::string format_summary(const EvalSummary& summary);

// Seconds per sample and tokens/sec per sample, in file order.
render::LineChart time_chart(const std::vector<nlohmann::json>& records);
render::LineChart speed_chart(const std::vector<nlohmann::json>& records);

}  // namespace glassbox
