// Lesson 00: is this machine ready? The compiler and the SIMD instructions it may use, threads, memory,
// library versions, the model and how fast it loads, and a first look at Eigen, the array library doing
// the math (its expressions are lazy, like MLX arrays).
#include <cairo.h>
#include <omp.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <unistd.h>
#include <utf8proc.h>

#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <typeinfo>

#include "lesson.h"
#include "model/model.h"
#include "model/param_groups.h"

using namespace glassbox;
using Clock = std::chrono::steady_clock;

static double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

static const char* simd_level() {
#if defined(__AVX512BF16__)
  return "AVX-512 with BF16";
#elif defined(__AVX512F__)
  return "AVX-512";
#elif defined(__AVX2__)
  return "AVX2";
#elif defined(__ARM_NEON)
  return "NEON";
#else
  return "none (portable code)";
#endif
}

static int setup(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "00_setup", "Check the machine, the libraries and the model.");
  if (!l) return 0;

  lesson::section("1. The machine");
  std::printf("compiler         g++ %d.%d.%d, C++ standard %ld\n", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__, __cplusplus);
  std::printf("SIMD compiled in %s (Eigen uses %s)\n", simd_level(), Eigen::SimdInstructionSetsInUse());
  std::printf("threads          %d (OpenMP)\n", omp_get_max_threads());
  std::printf("memory           %.1f GB\n", double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGE_SIZE)) / 1e9);

  lesson::section("2. The libraries");
  std::printf("Eigen            %d.%d.%d\n", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION);
  std::printf("Cairo            %s\n", cairo_version_string());
  std::printf("nlohmann-json    %d.%d.%d\n", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
  std::printf("cxxopts          %d.%d.%d\n", CXXOPTS__VERSION_MAJOR, CXXOPTS__VERSION_MINOR, CXXOPTS__VERSION_PATCH);
  std::printf("PCRE2            %d.%d\n", PCRE2_MAJOR, PCRE2_MINOR);
  std::printf("utf8proc         %s\n", utf8proc_version());

  lesson::section("3. The model");
  // Loading maps the safetensors files into memory (mmap): nothing is read until a weight is used,
  // so even a large checkpoint "loads" in milliseconds.
  const auto t0 = Clock::now();
  const Model model = Model::load(l->model_dir);
  const double load_ms = seconds_since(t0) * 1e3;
  const ModelConfig& c = model.config();
  std::printf("directory        %s\n", l->model_dir.c_str());
  std::printf("architecture     %s (%lld layers, hidden %lld, %lld heads, %lld KV heads, vocab %lld)\n",
              c.architecture.c_str(), (long long)c.n_layers, (long long)c.hidden, (long long)c.n_heads,
              (long long)c.n_kv_heads, (long long)c.vocab);
  std::printf("parameters       %lld\n", (long long)count_parameters(c, model.tensors()).total);
  std::printf("weights          %.1f MB as %s\n", double(model.tensors().total_bytes()) / 1e6, model.embedding().format_name().c_str());
  std::printf("load time        %.2f ms (mmap)\n", load_ms);
  KVCache cache = model.new_cache(1);
  const int32_t bos = int32_t(std::max<int64_t>(c.bos_id, 0));
  const auto t1 = Clock::now();
  const std::vector<float> logits = model.forward(std::span(&bos, 1), cache);
  std::printf("first forward    %.2f ms for one token; %zu logits, all finite: %s\n", seconds_since(t1) * 1e3,
              logits.size(), std::all_of(logits.begin(), logits.end(), [](float x) { return std::isfinite(x); }) ? "yes" : "NO");

  lesson::section("4. Lazy expressions");
  // `a + b * 2` does not compute anything: it builds an expression object, like an MLX array before
  // mx.eval. The values appear only when it is assigned to a matrix.
  Eigen::MatrixXf a = Eigen::MatrixXf::Random(3, 3), b = Eigen::MatrixXf::Ones(3, 3);
  auto expression = a + b * 2.0f;
  std::printf("type of a + b*2  %.60s... (an expression, %zu bytes, no values yet)\n", typeid(expression).name(), sizeof(expression));
  Eigen::MatrixXf evaluated = expression;
  std::printf("after evaluation Eigen::MatrixXf %ldx%ld, first row: %.3f %.3f %.3f\n", (long)evaluated.rows(),
              (long)evaluated.cols(), evaluated(0, 0), evaluated(0, 1), evaluated(0, 2));

  lesson::section("5. How fast is a matrix multiply?");
  for (int n : {256, 512, 1024}) {
    Eigen::MatrixXf x = Eigen::MatrixXf::Random(n, n), y = Eigen::MatrixXf::Random(n, n), z(n, n);
    z.noalias() = x * y;  // warm-up
    int reps = 0;
    const auto t = Clock::now();
    do { z.noalias() = x * y; ++reps; } while (seconds_since(t) < 0.3);
    std::printf("%4d x %-4d f32  %7.1f GFLOP/s\n", n, n, 2.0 * n * n * n * reps / seconds_since(t) / 1e9);
  }
  return 0;
}

int main(int argc, char** argv) { return lesson::run(argc, argv, setup); }
