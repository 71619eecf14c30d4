// glassbox eval: generate for every prompt of a JSON Lines file and record, per sample, the output, token
// counts, time to first token, tokens/sec, total time, peak memory and scores. Each result is appended and
// flushed as soon as it is done (with --batch N, when its batch is), so a killed run keeps its finished
// samples and --resume completes it.
#include <algorithm>
#include <cstdio>
#include <map>

#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "eval/eval_run.h"
#include "eval/result_log.h"
#include "session/options.h"
#include "session/model_folder.h"
#include "session/sampling_options.h"

namespace glassbox::cli {

int run_eval(int argc, char** argv) {
  auto options = make_options("eval", "Generate for every prompt of a JSONL file, measuring and scoring each sample.");
  add_model_option(options);
  options.add_options()
      ("prompts", "JSONL file: {\"id\", \"prompt\" or \"messages\", optional \"expected\"} per line", cxxopts::value<std::string>())
      ("out", "results JSONL file, one line appended per finished sample", cxxopts::value<std::string>())
      ("resume", "continue a run: skip the ids already in --out")
      ("max-tokens", "tokens to generate per sample at most", cxxopts::value<std::string>()->default_value("100"))
      ("batch", "N samples generated together, one read of the weights per step for all N; their results are "
                "written when the N are done", cxxopts::value<std::string>()->default_value("1"))
      ("raw", "encode \"prompt\" as plain text, without the chat template")
      ("figures", "file name prefix of the two figures (default: --out without its extension)", cxxopts::value<std::string>());
  add_sampling_options(options);
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  if (!args->count("prompts")) fail("--prompts: no prompts file given");
  if (!args->count("out")) fail("--out: no results file given");
  GenerationSettings settings;
  settings.max_tokens = flag<int>(*args, "max-tokens");
  if (settings.max_tokens < 1) fail("--max-tokens must be at least 1");
  settings.sampler = sampling_settings(*args);
  const int64_t batch = flag<int64_t>(*args, "batch");
  if (batch < 1 || batch > 256) fail("--batch: must be from 1 to 256");

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const std::filesystem::path dir = model.config().dir;
  const Tokenizer& tokenizer = folder.require_tokenizer("--prompts");
  settings.stop_ids = folder.stop_ids;
  const std::filesystem::path prompts_path = (*args)["prompts"].as<std::string>(), out = (*args)["out"].as<std::string>();
  const std::vector<EvalSample> samples = read_eval_set(prompts_path, model, tokenizer, args->count("raw") > 0);

  ResultLog log(out, args->count("resume") > 0);
  std::map<std::string, const EvalSample*> by_key;
  for (const EvalSample& s : samples) by_key[s.key] = &s;
  for (const JsonlRecord& r : log.records())
    if (!by_key.count(r.value()["id"].dump()))
      r.fail("id " + r.value()["id"].dump() + " is not in " + prompts_path.string() + " (results of another run?)");
  if (log.cut_unfinished_line()) std::printf("%s: cut off an unfinished last line (a sample interrupted while written)\n", out.c_str());

  std::vector<const EvalSample*> pending;
  for (const EvalSample& s : samples)
    if (!log.has(s.key)) pending.push_back(&s);
  std::printf("%zu samples: %zu already in %s, %zu to run\n", samples.size(), samples.size() - pending.size(),
              out.c_str(), pending.size());
  {
    ProgressBar bar("eval");
    for (size_t i = 0; i < pending.size(); i += size_t(batch)) {
      const size_t n = std::min(pending.size() - i, size_t(batch));
      if (n == 1) log.append(run_eval_sample(model, tokenizer, *pending[i], settings));
      else
        for (const nlohmann::json& r : run_eval_batch(model, tokenizer, std::span(pending).subspan(i, n), settings))
          log.append(r);
      bar.update(int64_t(i + n), int64_t(pending.size()));
    }
  }

  std::vector<nlohmann::json> records;
  for (const JsonlRecord& r : log.records()) records.push_back(r.value());
  std::printf("\n%s", format_summary(summarize(records)).c_str());
  std::filesystem::path prefix = out;
  prefix.replace_extension();
  if (args->count("figures")) prefix = (*args)["figures"].as<std::string>();
  render::Provenance provenance{dir.string(), prompts_path.string(), "", {}};
  for (int i = 0; i < argc; ++i) provenance.command_line += (i ? " " : "") + std::string(argv[i]);
  for (const auto& [suffix, chart] : {std::pair{"_time.png", time_chart(records)}, std::pair{"_speed.png", speed_chart(records)}}) {
    const std::filesystem::path path = prefix.string() + suffix;
    render::save(chart, path, provenance);
    std::printf("figure: %s\n", path.c_str());
  }
  return 0;
}

}  // namespace glassbox::cli
