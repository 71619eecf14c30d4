#include "eval/eval_run.h"

#include <algorithm>
#include <cstdio>

#include "base/error.h"
#include "eval/stats.h"

namespace glassbox {
namespace {

std::string strip(const std::string& s) {
  const char* space = " \t\n\r\f\v";
  const size_t begin = s.find_first_not_of(space);
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(space) - begin + 1);
}

std::vector<double> column(const std::vector<nlohmann::json>& records, const char* key) {
  std::vector<double> values;
  for (const nlohmann::json& r : records) {
    if (!r.contains(key) || !r[key].is_number()) fail(std::string("result record without a number \"") + key + "\"");
    values.push_back(r[key].get<double>());
  }
  return values;
}

Spread spread(const std::vector<double>& values) {
  return {mean(values), percentile(values, 0.5), percentile(values, 0.95)};
}

render::LineChart per_sample_chart(const std::vector<nlohmann::json>& records, const char* key,
                                   const std::string& name, const std::string& title) {
  render::LineChart chart;
  chart.series.push_back({"", {}, column(records, key)});  // one series: the axis title names it, no legend
  chart.title = title;
  chart.subtitle = std::to_string(records.size()) + " samples, in the order of the results file";
  chart.x_label = "sample";
  chart.y_label = name;
  return chart;
}

}  // namespace

namespace {

nlohmann::json make_record(const Tokenizer& tokenizer, const EvalSample& sample, const GenerationSettings& settings,
                           const std::vector<int32_t>& ids, double ttft_s, double total_s, double peak_memory_gb) {
  const bool stopped = !ids.empty() && std::find(settings.stop_ids.begin(), settings.stop_ids.end(), ids.back()) !=
                                           settings.stop_ids.end();
  // Like mlx-lm: the first token belongs to the prompt phase, the rest to generation.
  const double tokens_per_sec = ids.size() > 1 && total_s > ttft_s ? double(ids.size() - 1) / (total_s - ttft_s) : 0;
  nlohmann::json r = {{"id", sample.id},
                      {"output", tokenizer.decode(ids, /*skip_special=*/true)},
                      {"prompt_tokens", sample.prompt_ids.size()},
                      {"generated_tokens", ids.size()},
                      {"finish_reason", stopped ? "stop" : "length"},
                      {"ttft_s", ttft_s},
                      {"tokens_per_sec", tokens_per_sec},
                      {"total_s", total_s},
                      {"peak_memory_gb", peak_memory_gb}};
  if (sample.expected) {
    const std::string output = strip(r["output"].get<std::string>()), expected = strip(*sample.expected);
    r["expected"] = *sample.expected;
    r["exact_match"] = output == expected;
    r["contains"] = output.find(expected) != std::string::npos;
  }
  return r;
}

}  // namespace

nlohmann::json run_eval_sample(const Model& model, const Tokenizer& tokenizer, const EvalSample& sample,
                               const GenerationSettings& settings) {
  const GenerationResult g = generate(model, sample.prompt_ids, settings);
  return make_record(tokenizer, sample, settings, g.ids, g.prompt_seconds, g.prompt_seconds + g.generation_seconds,
                     g.peak_memory_gb);
}

std::vector<nlohmann::json> run_eval_batch(const Model& model, const Tokenizer& tokenizer,
                                           std::span<const EvalSample* const> samples, const GenerationSettings& settings) {
  std::vector<std::vector<int32_t>> prompts;
  for (const EvalSample* s : samples) prompts.push_back(s->prompt_ids);
  const BatchResult b = generate_batch(model, prompts, settings);
  std::vector<nlohmann::json> records;
  for (size_t i = 0; i < samples.size(); ++i)
    records.push_back(make_record(tokenizer, *samples[i], settings, b.ids[i], b.first_token_s[i], b.finish_s[i],
                                  b.peak_memory_gb));
  return records;
}

EvalSummary summarize(const std::vector<nlohmann::json>& records) {
  if (records.empty()) fail("no results to summarize");
  EvalSummary s;
  s.samples = int64_t(records.size());
  s.total_s = spread(column(records, "total_s"));
  s.ttft_s = spread(column(records, "ttft_s"));
  s.tokens_per_sec = spread(column(records, "tokens_per_sec"));
  s.generated_tokens = spread(column(records, "generated_tokens"));
  s.peak_memory_gb = spread(column(records, "peak_memory_gb"));
  for (const nlohmann::json& r : records) {
    if (!r.contains("exact_match")) continue;
    ++s.scored;
    s.exact_matches += r.value("exact_match", false) ? 1 : 0;
    s.contains += r.value("contains", false) ? 1 : 0;
  }
  return s;
}

std::string format_summary(const EvalSummary& s) {
  std::string out;
  char line[160];
  const auto row = [&](const char* name, const Spread& v, double scale, const char* format) {
    char cells[3][32];
    for (int i = 0; i < 3; ++i) std::snprintf(cells[i], sizeof cells[i], format, scale * (i == 0 ? v.mean : i == 1 ? v.median : v.p95));
    std::snprintf(line, sizeof line, "| %-24s | %10s | %10s | %10s |\n", name, cells[0], cells[1], cells[2]);
    out += line;
  };
  std::snprintf(line, sizeof line, "| %-24s | %10s | %10s | %10s |\n", "per sample", "mean", "median", "p95");
  out += line;
  out += "|--------------------------|------------|------------|------------|\n";
  row("total time (s)", s.total_s, 1, "%.3f");
  row("time to first token (ms)", s.ttft_s, 1e3, "%.1f");
  row("tokens/sec", s.tokens_per_sec, 1, "%.1f");
  row("generated tokens", s.generated_tokens, 1, "%.1f");
  row("peak memory (GB)", s.peak_memory_gb, 1, "%.3f");
  std::snprintf(line, sizeof line, "\n%lld samples\n", (long long)s.samples);
  out += line;
  if (s.scored > 0) {
    std::snprintf(line, sizeof line, "exact match %lld/%lld (%.1f%%), contains %lld/%lld (%.1f%%)\n",
                  (long long)s.exact_matches, (long long)s.scored, 100.0 * double(s.exact_matches) / double(s.scored),
                  (long long)s.contains, (long long)s.scored, 100.0 * double(s.contains) / double(s.scored));
    out += line;
  }
  return out;
}

render::LineChart time_chart(const std::vector<nlohmann::json>& records) {
  return per_sample_chart(records, "total_s", "seconds", "Time per sample");
}

render::LineChart speed_chart(const std::vector<nlohmann::json>& records) {
  return per_sample_chart(records, "tokens_per_sec", "tokens/sec", "Generation speed per sample");
}

}  // namespace glassbox
