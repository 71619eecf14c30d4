// glassbox bench: prompt processing (pp) and token generation (tg) speed measured the way llama-bench
// measures it, so the figures compare with llama.cpp's: random tokens, one warm-up, r repetitions of each
// test from an empty KV cache, mean and sample standard deviation of tokens/sec. With -b, the tg test also
// runs N sequences at once (batched decoding); its tokens/sec then counts the tokens of all N.
#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
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
#include "quant/compute_mode.h"
#include "quant/drift.h"

namespace glassbox::cli {
namespace {
namespace fs = std::filesystem;

struct TestResult {
  std::string name;  // "pp512", "tg128", "pp512+attn"
  int64_t n_prompt = 0, n_gen = 0;
  std::vector<double> samples_ts;
  int64_t n_seqs = 1;        // sequences decoded together; samples_ts counts all their tokens
  size_t peak_rss = 0;       // while this test ran
  size_t kv_cache_bytes = 0;
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

// "1,2,8" -> {1, 2, 8}: batch sizes for -b.
std::vector<int64_t> parse_batch_sizes(const std::string& text) {
  std::vector<int64_t> sizes;
  for (size_t start = 0; start <= text.size();) {
    const size_t comma = std::min(text.find(',', start), text.size());
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data() + start, text.data() + comma, n);
    if (ec != std::errc() || end != text.data() + comma || n < 1 || n > 256)
      fail("-b: '" + text + "' is not a comma-separated list of batch sizes from 1 to 256");
    sizes.push_back(n);
    start = comma + 1;
  }
  return sizes;
}

// Lets each test report its own peak: Linux resets the high-water mark to the current RSS when "5" is
// written to clear_refs. Elsewhere the peak stays the process's, and says so by being non-decreasing.
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

}  // namespace

int run_bench(int argc, char** argv) {
  auto options = make_options("bench", "Prompt-processing and generation speed, measured like llama-bench.");
  add_model_option(options);
  options.add_options()
      ("synthetic", "random weights of a real model's shapes: smollm2-135m, qwen2.5-0.5b, llama3.2-1b, llama3.2-3b, "
                    "qwen2-7b, mistral-7b, qwen3-8b (written once into $XDG_CACHE_HOME/glassbox/synthetic or "
                    "~/.cache/glassbox/synthetic, and reused)", cxxopts::value<std::string>())
      ("p", "prompt tokens of the pp test (0: skip)", cxxopts::value<std::string>()->default_value("512"))
      ("n", "generated tokens of the tg test (0: skip)", cxxopts::value<std::string>()->default_value("128"))
      ("r", "repetitions of each test", cxxopts::value<std::string>()->default_value("5"))
      ("b", "batch sizes of the tg test: N sequences decoded together, e.g. 1,2,4,8,16", cxxopts::value<std::string>()->default_value("1"))
      ("threads", "OpenMP threads (default: all cores)", cxxopts::value<std::string>())
      ("capture", "also time the pp test while capturing every layer's attention probabilities")
      ("hooks", "also time pp and tg with a hook that does nothing at every layer's resid_post")
      ("fast", "fast compute mode: int8 activations with 4/8-bit weights (exact is the default); the JSON then "
               "also carries the drift from exact on the prompt's first 64 tokens")
      ("json", "print a JSON list with llama-bench's field names");
  add_quant_flags(options, "0");  // the synthetic checkpoint's precision
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  const int64_t p = flag<int64_t>(*args, "p"), n = flag<int64_t>(*args, "n"), reps = flag<int64_t>(*args, "r");
  if (p < 0 || n < 0 || p + n == 0) fail("-p/-n: give a positive prompt or generation length");
  if (reps < 1) fail("-r: needs at least one repetition");
  const std::vector<int64_t> batches = parse_batch_sizes((*args)["b"].as<std::string>());
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
    dir = run_in_child([&] {
      bool written = false;
      const fs::path cached = cached_synthetic_model(shape, co, written);
      if (written) std::fprintf(stderr, "wrote the synthetic checkpoint %s (reused by later runs)\n", cached.c_str());
      return cached.string();
    });
    label = shape.name + " (synthetic)";
  } else {
    dir = model_dir(*args);
    label = fs::absolute(dir).lexically_normal().filename().string();
  }
  omp_set_num_threads(threads);
  const bool fast = args->count("fast") > 0;

  std::optional<Model> loaded;
  double load_s = 0;
  try {
    load_s = seconds([&] { loaded.emplace(Model::load(dir)); });
  } catch (...) {
    if (synthetic) fs::remove_all(dir);  // a synthetic checkpoint that does not load is not left behind
    throw;
  }
  const Model& model = *loaded;
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

  // The fast mode's cost: KL and top-1 agreement against exact on the first tokens of the prompt.
  Drift drift;
  if (fast) {
    const std::vector<int32_t> probe(tokens.begin(), tokens.begin() + std::min<int64_t>(64, int64_t(tokens.size())));
    KVCache probe_cache = model.new_cache(int64_t(probe.size()));
    const std::vector<float> exact = model.forward(probe, probe_cache, nullptr, true);
    probe_cache.clear();
    const ComputeModeScope mode(ComputeMode::Fast);
    drift = logit_drift(exact, model.forward(probe, probe_cache, nullptr, true), config.vocab);
  }
  const ComputeModeScope mode(fast ? ComputeMode::Fast : ComputeMode::Exact);
  reset_peak_rss();  // the drift's all-position logits are not the tests' memory
  if (p > 0) run_prompt(nullptr);  // warm-up, as llama-bench
  if (n > 0) run_gen(1);
  std::vector<TestResult> results;
  auto done = [&](TestResult& r) {
    r.peak_rss = peak_rss_bytes();
    if (r.kv_cache_bytes == 0) r.kv_cache_bytes = cache.bytes();
    results.push_back(r);
    reset_peak_rss();  // the next test's peak starts from what stays resident
  };
  if (p > 0) {
    TestResult r{"pp" + std::to_string(p), p, 0, {}};
    for (int64_t i = 0; i < reps; ++i) r.samples_ts.push_back(double(p) / seconds([&] { run_prompt(nullptr); }));
    done(r);
  }
  for (const int64_t seqs : n > 0 ? batches : std::vector<int64_t>{}) {
    TestResult r{"tg" + std::to_string(n), 0, n, {}, seqs};
    if (seqs == 1) {
      for (int64_t i = 0; i < reps; ++i) r.samples_ts.push_back(double(n) / seconds([&] { run_gen(n); }));
    } else {
      std::vector<KVCache> caches(size_t(seqs), model.new_cache(n));
      std::vector<int32_t> step(static_cast<size_t>(seqs));
      auto run_batch = [&](int64_t count) {
        for (KVCache& c : caches) c.clear();
        for (int64_t t = 0; t < count; ++t) {
          for (int64_t i = 0; i < seqs; ++i) step[size_t(i)] = tokens[size_t((t + i) % int64_t(tokens.size()))];
          model.decode_batch(step, caches);
        }
      };
      run_batch(1);  // warm-up
      for (int64_t i = 0; i < reps; ++i) r.samples_ts.push_back(double(n * seqs) / seconds([&] { run_batch(n); }));
      r.kv_cache_bytes = size_t(seqs) * caches[0].bytes();
    }
    done(r);
  }
  if (args->count("hooks")) {  // what hooks cost when they are on; off, the first two rows are the figure
    Hooks idle;
    for (int64_t l = 0; l < config.n_layers; ++l) idle.add({SiteKind::resid_post, l}, [](Activation&) {});
    if (p > 0) {
      TestResult r{"pp" + std::to_string(p) + "+hooks", p, 0, {}};
      for (int64_t i = 0; i < reps; ++i) r.samples_ts.push_back(double(p) / seconds([&] { run_prompt(&idle); }));
      done(r);
    }
    if (n > 0) {
      TestResult r{"tg" + std::to_string(n) + "+hooks", 0, n, {}};
      for (int64_t i = 0; i < reps; ++i) r.samples_ts.push_back(double(n) / seconds([&] { run_gen(n, &idle); }));
      done(r);
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
    done(r);
  }
  size_t peak = 0;
  for (const TestResult& r : results) peak = std::max(peak, r.peak_rss);
  const double per_token = decode_bytes_per_token(model);
  const std::string backend = std::string("CPU ") + active_kernels().name + (fast ? " fast" : "");

  if (args->count("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const TestResult& r : results)
      out.push_back({{"model_type", label}, {"synthetic", synthetic}, {"backends", backend},
                     {"model_size", int64_t(weight_bytes)}, {"model_n_params", int64_t(n_params)},
                     {"n_threads", threads}, {"n_prompt", r.n_prompt}, {"n_gen", r.n_gen}, {"n_seqs", r.n_seqs},
                     {"test", r.name}, {"avg_ts", r.mean()}, {"stddev_ts", r.stddev()}, {"samples_ts", r.samples_ts},
                     {"load_ms", load_s * 1e3}, {"peak_rss_bytes", r.peak_rss}, {"kv_cache_bytes", r.kv_cache_bytes},
                     {"read_bandwidth_gbs", bw.read_gbs}, {"copy_bandwidth_gbs", bw.copy_gbs},
                     {"decode_bytes_per_token", int64_t(per_token)}, {"compute_mode", fast ? "fast" : "exact"}});
    if (fast)
      for (auto& row : out)
        row["fast_drift"] = {{"mean_kl", drift.mean_kl}, {"top1_agreement", drift.top1_agreement}, {"positions", drift.positions}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("| %-34s | %10s | %10s | %-10s | %7s | %6s | %12s | %20s | %10s |\n", "model", "size", "params",
              "backend", "threads", "n_seqs", "test", "t/s", "peak RSS");
  std::printf("| %s | %s: | %s: | %s | %s: | %s: | %s: | %s: | %s: |\n", std::string(34, '-').c_str(),
              std::string(9, '-').c_str(), std::string(9, '-').c_str(), std::string(10, '-').c_str(),
              std::string(6, '-').c_str(), std::string(5, '-').c_str(), std::string(11, '-').c_str(),
              std::string(19, '-').c_str(), std::string(9, '-').c_str());
  for (const TestResult& r : results) {
    char ts[64];
    std::snprintf(ts, sizeof ts, "%.2f ± %.2f", r.mean(), r.stddev());
    std::printf("| %-34s | %10s | %10s | %-10s | %7d | %6lld | %12s | %20s | %10s |\n", label.c_str(),
                human_bytes(weight_bytes).c_str(), human_count(n_params).c_str(), backend.c_str(), threads,
                (long long)r.n_seqs, r.name.c_str(), ts, human_bytes(double(r.peak_rss)).c_str());
  }
  // Weights are mapped from the file: when memory is short the kernel drops pages already read, so the peak
  // can stay below the weights' size, and the remainder is then no measure of anything.
  const double other = double(peak) - weight_bytes - double(cache.bytes());
  if (other >= 0)
    std::printf("\nload %.1f ms | peak RSS %s (weights %s + KV cache %s + %s other)\n", load_s * 1e3,
                human_bytes(double(peak)).c_str(), human_bytes(weight_bytes).c_str(),
                human_bytes(double(cache.bytes())).c_str(), human_bytes(other).c_str());
  else
    std::printf("\nload %.1f ms | peak RSS %s (KV cache %s; the %s of weights are mapped from the file and were "
                "never all resident at once)\n", load_s * 1e3, human_bytes(double(peak)).c_str(),
                human_bytes(double(cache.bytes())).c_str(), human_bytes(weight_bytes).c_str());
  const double bound = bw.read_gbs * 1e9 / per_token;
  std::printf("memory bandwidth: read %.1f GB/s, copy %.1f GB/s | decode streams %.1f MB of weights per token: "
              "bound %.*f t/s", bw.read_gbs, bw.copy_gbs, per_token / 1e6, bound < 10 ? 2 : 0, bound);
  for (const TestResult& r : results)
    if (r.n_gen > 0 && r.n_seqs == 1) std::printf(", %s reaches %.0f%% of it", r.name.c_str(), 100.0 * r.mean() / bound);
  std::printf("\n");
  // The learner's questions: how long until my prompt is read, and then per token?
  if (p > 0) std::printf("a prompt of %lld tokens takes %.2f s to process", (long long)p, double(p) / results[0].mean());
  for (const TestResult& r : results)
    if (r.n_gen > 0 && r.n_seqs == 1) {  // the first tg row, the plain one (later rows: batches, hooks)
      std::printf("%seach generated token %.0f ms", p > 0 ? ", then " : "", 1e3 / r.mean());
      break;
    }
  std::printf("\n");
  if (fast)
    std::printf("fast mode drift from exact on %lld tokens: mean KL %.5f, top-1 agreement %.1f%%\n",
                (long long)drift.positions, drift.mean_kl, 100 * drift.top1_agreement);
  return 0;
}

}  // namespace glassbox::cli
