// glassbox convert: writes a checkpoint in another precision, MLX-style quantized when --q-bits is given,
// and prints mlx-lm's "Quantized model with X bits per weight".
#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/quant_flags.h"
#include "session/options.h"
#include "quant/convert.h"

namespace glassbox::cli {

int run_convert(int argc, char** argv) {
  auto options = make_options("convert", "Write a checkpoint with quantized (MLX layout) or cast weights.");
  options.add_options()
      ("model", "source Hugging Face checkpoint directory", cxxopts::value<std::string>())
      ("out", "new directory to write (must not exist)", cxxopts::value<std::string>());
  add_quant_flags(options, "4");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  if (!args->count("model")) fail("--model: required");
  if (!args->count("out")) fail("--out: required");
  const ConvertOptions co = quant_flags(*args);

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
