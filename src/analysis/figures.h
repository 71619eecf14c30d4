#pragma once
// The analyses drawn, the same in the glassbox command and the lessons. Each returns a figure whose title
// says what it shows; callers may set a subtitle with the prompt. Token labels are raw bytes (render/ makes
// whitespace and partial characters visible).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/ablation_sweep.h"
#include "analysis/head_census.h"
#include "analysis/lens.h"
#include "analysis/patch_sweep.h"
#include "render/heatmap.h"
#include "render/line_chart.h"

namespace glassbox {

using TokenText = std::function<std::string(int32_t id)>;  // a token's bytes

// The logit-lens grid: rows are layers, columns positions (labelled by their input token); each cell names
// the token that layer would predict next, coloured by its probability.
render::Heatmap lens_heatmap(const LensGrid& grid, const std::vector<std::string>& input_tokens, const TokenText& text);

enum class LensMeasure { probability, rank };

// The target token's probability (or rank, on a log axis) at `position`, layer by layer.
render::LineChart lens_target_chart(const LensGrid& grid, int64_t position, LensMeasure measure,
                                    const std::string& target_text, const std::string& position_token);

enum class HeadScore { previous_token, first_token, duplicate, induction };
inline constexpr HeadScore kHeadScores[] = {HeadScore::previous_token, HeadScore::first_token, HeadScore::duplicate,
                                            HeadScore::induction};
const char* head_score_name(HeadScore score);  // "previous_token", as in the JSON
// The score of one head; nullopt for duplicate and induction without a period.
std::optional<double> head_score(const HeadScores& head, HeadScore score);

// One score of every head: rows layers, columns heads, on a fixed 0..1 colour scale.
render::Heatmap head_score_heatmap(const std::vector<HeadScores>& census, HeadScore score, int64_t layers, int64_t heads);

// The change of the objective when each head is ablated: rows layers, columns heads, blue = down, red = up.
render::Heatmap ablation_heatmap(const AblationSweep& sweep, const std::string& objective_name);

// The share of the clean answer each patch restores: rows layers, columns positions (the clean prompt's
// tokens; `corrupt_tokens` marks where the prompts differ). target_text and wrong_text are the two tokens
// of the logit difference.
render::Heatmap patch_heatmap(const PatchSweep& sweep, const std::vector<std::string>& clean_tokens,
                              const std::vector<std::string>& corrupt_tokens, const std::string& target_text,
                              const std::string& wrong_text);

}  // namespace glassbox
