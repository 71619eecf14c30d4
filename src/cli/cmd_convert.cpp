// glassbox convert: writes a checkpoint in another precision, MLX-style quantized when --q-bits is given,
// and prints mlx-lm's "Quantized model with X bits per weight".
#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"
#include "session/options.h"
#include "quant/convert.h"

namespace glassbox::cli {

int run_convert(int argc, char** argv) {
  auto options = make_options("convert", "Write a checkpoint with quantized (MLX layout) or cast weights.");
  options.add_options()
      ("model", "source Hugging Face checkpoint directory", cxxopts::value<std::string>())
      ("out", "new directory to write (must not exist)", cxxopts::value<std::string>())
      ("q-bits", "quantize Linear and Embedding weights to 4 or 8 bits (0: only cast)", cxxopts::value<std::string>()->default_value("4"))
      ("q-group-size", "values per scale/bias group along the input dimension: 32, 64 or 128", cxxopts::value<std::string>()->default_value("64"))
      ("dtype", "float dtype of unquantized weights, scales and biases: f32, f16, bf16", cxxopts::value<std::string>()->default_value("bf16"));
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  if (!args->count("model")) fail("--model: required");
  if (!args->count("out")) fail("--out: required");
  ConvertOptions co;
  co.bits = flag<int>(*args, "q-bits");
  co.group_size = flag<int>(*args, "q-group-size");
  const std::string dtype = (*args)["dtype"].as<std::string>();
  if (co.bits != 0 && co.bits != 4 && co.bits != 8) fail("--q-bits: must be 0, 4 or 8");
  if (co.group_size != 32 && co.group_size != 64 && co.group_size != 128) fail("--q-group-size: must be 32, 64 or 128");
  if (dtype == "f32") co.dtype = DType::F32;
  else if (dtype == "f16") co.dtype = DType::F16;
  else if (dtype == "bf16") co.dtype = DType::BF16;
  else fail("--dtype: '" + dtype + "' is not one of f32, f16, bf16");

  const bool tty = isatty(fileno(stderr));
  const ConvertStats stats = convert_model((*args)["model"].as<std::string>(), (*args)["out"].as<std::string>(), co,
                                           [&](size_t done, size_t total) {
    if (!tty && done != total) return;
    constexpr int kWidth = 30;
    const int filled = int(kWidth * done / total);
    std::fprintf(stderr, "\rconverting [%s%s] %zu/%zu tensors", std::string(size_t(filled), '#').c_str(),
                 std::string(size_t(kWidth - filled), ' ').c_str(), done, total);
    if (done == total) std::fprintf(stderr, "\n");
  });
  for (const std::string& module : stats.unquantized)
    std::printf("%s stays unquantized: its input dimension does not split into groups of %d\n", module.c_str(), co.group_size);
  if (co.bits > 0) std::printf("Quantized model with %.3f bits per weight.\n", stats.bits_per_weight());
  std::printf("wrote %s\n", (*args)["out"].as<std::string>().c_str());
  return 0;
}

}  // namespace glassbox::cli
