// glassbox bench: prompt processing (pp) and token generation (tg) speed measured the way llama-bench
// measures it, so the figures compare with llama.cpp's: random tokens, one warm-up, r repetitions of each
// test from an empty KV cache, mean and sample standard deviation of tokens/sec.
#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <unistd.h>

#include "cli/bandwidth.h"
#include "cli/child_process.h"
#include "cli/commands.h"
#include "cli/quant_flags.h"
#include "session/options.h"
#include "core/memory.h"
#include "model/capture.h"
#include "model/param_groups.h"
#include "model/synthetic.h"

namespace glassbox::cli {
namespace {
namespace fs = std::filesystem;

struct TestResult {
  std::string name;  // "pp512", "tg128", "pp512+attn"
  int64_t n_prompt = 0, n_gen = 0;
  std::vector<double> samples_ts;
  double mean() const {
    double s = 0;
    for (double v : samples_ts) s += v;
    return s / double(samples_ts.size());
  }
  double stddev() const {  // sample standard deviation, as llama-bench
    if (samples_ts.size() < 2) return 0;
    double m = mean(), s = 0;
    for (double v : samples_ts) s += (v - m) * (v - m);
    return std::sqrt(s / double(samples_ts.size() - 1));
  }
};

double seconds(const std::function<void()>& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string human_bytes(double b) {
  char s[32];
  if (b >= double(1 << 30)) std::snprintf(s, sizeof s, "%.2f GiB", b / double(1 << 30));
  else std::snprintf(s, sizeof s, "%.2f MiB", b / double(1 << 20));
  return s;
}

std::string human_count(double n) {
  char s[32];
  if (n >= 1e9) std::snprintf(s, sizeof s, "%.2f B", n / 1e9);
  else std::snprintf(s, sizeof s, "%.2f M", n / 1e6);
  return s;
}

// Weight bytes one decode step streams: every layer's matrices and the LM head (the embedding only
// contributes one row unless it is the tied head).
double decode_bytes_per_token(const Model& m) {
  double bytes = double(m.lm_head().stored_bytes());
  for (int64_t l = 0; l < m.config().n_layers; ++l) {
    const LayerWeights& w = m.layer(l);
    for (const Linear* x : {&w.q, &w.k, &w.v, &w.o, &w.gate, &w.up, &w.down}) bytes += double(x->stored_bytes());
  }
  return bytes;
}

}  // namespace

int run_bench(int argc, char** argv) {
  auto options = make_options("bench", "Prompt-processing and generation speed, measured like llama-bench.");
  add_model_option(options);
  options.add_options()
      ("synthetic", "random weights of a real model's shapes: smollm2-135m, qwen2.5-0.5b, llama3.2-1b", cxxopts::value<std::string>())
      ("p", "prompt tokens of the pp test (0: skip)", cxxopts::value<std::string>()->default_value("512"))
      ("n", "generated tokens of the tg test (0: skip)", cxxopts::value<std::string>()->default_value("128"))
      ("r", "repetitions of each test", cxxopts::value<std::string>()->default_value("5"))
      ("threads", "OpenMP threads (default: all cores)", cxxopts::value<std::string>())
      ("capture", "also time the pp test while capturing every layer's attention probabilities")
      ("hooks", "also time pp and tg with a hook that does nothing at every layer's resid_post")
      ("json", "print a JSON list with llama-bench's field names");
  add_quant_flags(options, "0");  // the synthetic checkpoint's precision
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  const int64_t p = flag<int64_t>(*args, "p"), n = flag<int64_t>(*args, "n"), reps = flag<int64_t>(*args, "r");
  if (p < 0 || n < 0 || p + n == 0) fail("-p/-n: give a positive prompt or generation length");
  if (reps < 1) fail("-r: needs at least one repetition");
  if (args->count("synthetic") && args->count("model")) fail("--synthetic: give either --model or --synthetic");
  const int threads = args->count("threads") ? flag<int>(*args, "threads") : omp_get_max_threads();
  // Far beyond the cores there is nothing to measure, and libgomp aborts or hangs on tens of thousands.
  const int max_threads = 4 * omp_get_num_procs();
  if (threads < 1 || threads > max_threads)
    fail("--threads: " + std::to_string(threads) + " is not from 1 to " + std::to_string(max_threads) + " (4 x the " +
         std::to_string(omp_get_num_procs()) + " cores available)");

  // Children first, before this process starts OpenMP threads: the bandwidth probe and the synthetic
  // model's generation allocate far more than the benchmark, and must not count toward its peak RSS.
  const Bandwidth bw = [&] {
    const auto text = run_in_child([] {
      const Bandwidth b = measure_bandwidth();
      return std::to_string(b.read_gbs) + " " + std::to_string(b.copy_gbs);
    });
    Bandwidth b;
    std::sscanf(text.c_str(), "%lf %lf", &b.read_gbs, &b.copy_gbs);
    return b;
  }();
  fs::path dir;
  std::string label;
  const bool synthetic = args->count("synthetic") > 0;
  if (synthetic) {
    const SyntheticShape& shape = synthetic_shape((*args)["synthetic"].as<std::string>());
    const ConvertOptions co = quant_flags(*args);
    dir = fs::temp_directory_path() / ("glassbox-synthetic-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    run_in_child([&] { write_synthetic_model(shape, co, dir); return std::string(); });
    label = shape.name + " (synthetic)";
  } else {
    dir = model_dir(*args);
    label = fs::absolute(dir).lexically_normal().filename().string();
  }
  omp_set_num_threads(threads);

  std::optional<Model> loaded;
  double load_s = 0;
  try {
    load_s = seconds([&] { loaded.emplace(Model::load(dir)); });
  } catch (...) {
    if (synthetic) fs::remove_all(dir);
    throw;
  }
  const Model& model = *loaded;
  if (synthetic) fs::remove_all(dir);  // the mapping keeps the data alive; nothing is left behind
  const ModelConfig& config = model.config();
  if (std::max(p, n) > config.max_positions)
    fail("-p/-n: " + std::to_string(std::max(p, n)) + " tokens is longer than the model's context (max_position_embeddings = " +
         std::to_string(config.max_positions) + ")");
  label += " " + model.layer(0).q.format_name();
  const double weight_bytes = double(model.tensors().total_bytes());
  const double n_params = double(count_parameters(config, model.tensors()).total);

  std::mt19937 rng(1234);
  std::uniform_int_distribution<int32_t> token(0, int32_t(config.vocab - 1));
  std::vector<int32_t> tokens(size_t(std::max(p, n)));
  for (int32_t& t : tokens) t = token(rng);
  KVCache cache = model.new_cache(std::max(p, n));
  const std::span<const int32_t> prompt(tokens.data(), size_t(p));
  auto run_prompt = [&](const Hooks* hooks) { cache.clear(); model.forward(prompt, cache, hooks); };
  auto run_gen = [&](int64_t count, const Hooks* hooks = nullptr) {
    cache.clear();
    for (int64_t i = 0; i < count; ++i) model.forward({tokens.data() + i, 1}, cache, hooks);
  };

  if (p > 0) run_prompt(nullptr);  // warm-up, as llama-bench
  if (n > 0) run_gen(1);
  std::vector<TestResult> results;
  if (p > 0) {
    TestResult r{"pp" + std::to_string(p), p, 0, {}};
    for (int64_t i = 0; i < reps; ++i) r.samples_ts.push_back(double(p) / seconds([&] { run_prompt(nullptr); }));
    results.push_back(r);
  }
  if (n > 0) {
    TestResult r{"tg" + std::to_string(n), 0, n, {}};
    for (int64_t i = 0; i < reps; ++i) r.samples_ts.push_back(double(n) / seconds([&] { run_gen(n); }));
    results.push_back(r);
  }
  if (args->count("hooks")) {  // what hooks cost when they are on; off, the first two rows are the figure
    Hooks idle;
    for (int64_t l = 0; l < config.n_layers; ++l) idle.add({SiteKind::resid_post, l}, [](Activation&) {});
    if (p > 0) {
      TestResult r{"pp" + std::to_string(p) + "+hooks", p, 0, {}};
      for (int64_t i = 0; i < reps; ++i) r.samples_ts.push_back(double(p) / seconds([&] { run_prompt(&idle); }));
      results.push_back(r);
    }
    if (n > 0) {
      TestResult r{"tg" + std::to_string(n) + "+hooks", 0, n, {}};
      for (int64_t i = 0; i < reps; ++i) r.samples_ts.push_back(double(n) / seconds([&] { run_gen(n, &idle); }));
      results.push_back(r);
    }
  }
  if (p > 0 && args->count("capture")) {
    std::vector<Site> sites;
    for (int64_t l = 0; l < config.n_layers; ++l) sites.push_back({SiteKind::attn_probs, l});
    TestResult r{"pp" + std::to_string(p) + "+attn", p, 0, {}};
    for (int64_t i = 0; i < reps; ++i) {
      Capture capture(sites);
      Hooks hooks;
      capture.attach(hooks);
      r.samples_ts.push_back(double(p) / seconds([&] { run_prompt(&hooks); }));
    }
    results.push_back(r);
  }
  const size_t peak = peak_rss_bytes();
  const double per_token = decode_bytes_per_token(model);
  const std::string backend = std::string("CPU ") + active_kernels().name;

  if (args->count("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const TestResult& r : results)
      out.push_back({{"model_type", label}, {"synthetic", synthetic}, {"backends", backend},
                     {"model_size", int64_t(weight_bytes)}, {"model_n_params", int64_t(n_params)},
                     {"n_threads", threads}, {"n_prompt", r.n_prompt}, {"n_gen", r.n_gen}, {"test", r.name},
                     {"avg_ts", r.mean()}, {"stddev_ts", r.stddev()}, {"samples_ts", r.samples_ts},
                     {"load_ms", load_s * 1e3}, {"peak_rss_bytes", peak}, {"kv_cache_bytes", cache.bytes()},
                     {"read_bandwidth_gbs", bw.read_gbs}, {"copy_bandwidth_gbs", bw.copy_gbs},
                     {"decode_bytes_per_token", int64_t(per_token)}});
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("| %-34s | %10s | %10s | %-10s | %7s | %12s | %20s |\n", "model", "size", "params", "backend",
              "threads", "test", "t/s");
  std::printf("| %s | %s: | %s: | %s | %s: | %s: | %s: |\n", std::string(34, '-').c_str(), std::string(9, '-').c_str(),
              std::string(9, '-').c_str(), std::string(10, '-').c_str(), std::string(6, '-').c_str(),
              std::string(11, '-').c_str(), std::string(19, '-').c_str());
  for (const TestResult& r : results) {
    char ts[64];
    std::snprintf(ts, sizeof ts, "%.2f ± %.2f", r.mean(), r.stddev());
    std::printf("| %-34s | %10s | %10s | %-10s | %7d | %12s | %20s |\n", label.c_str(), human_bytes(weight_bytes).c_str(),
                human_count(n_params).c_str(), backend.c_str(), threads, r.name.c_str(), ts);
  }
  std::printf("\nload %.1f ms | peak RSS %s (weights %s + KV cache %s + %s other)\n", load_s * 1e3,
              human_bytes(double(peak)).c_str(), human_bytes(weight_bytes).c_str(),
              human_bytes(double(cache.bytes())).c_str(),
              human_bytes(double(peak) - weight_bytes - double(cache.bytes())).c_str());
  const double bound = bw.read_gbs * 1e9 / per_token;
  std::printf("memory bandwidth: read %.1f GB/s, copy %.1f GB/s | decode streams %.1f MB of weights per token: "
              "bound %.0f t/s", bw.read_gbs, bw.copy_gbs, per_token / 1e6, bound);
  for (const TestResult& r : results)
    if (r.n_gen > 0) std::printf(", %s reaches %.0f%% of it", r.name.c_str(), 100.0 * r.mean() / bound);
  std::printf("\n");
  return 0;
}

}  // namespace glassbox::cli
