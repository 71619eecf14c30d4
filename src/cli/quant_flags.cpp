#include "cli/quant_flags.h"

#include "base/error.h"
#include "session/options.h"

namespace glassbox::cli {

void add_quant_flags(cxxopts::Options& options, const std::string& default_bits) {
  options.add_options()
      ("q-bits", "quantize Linear and Embedding weights to 4 or 8 bits (0: no quantization)", cxxopts::value<std::string>()->default_value(default_bits))
      ("q-group-size", "values per scale/bias group along the input dimension: 32, 64 or 128", cxxopts::value<std::string>()->default_value("64"))
      ("dtype", "float dtype of unquantized weights, scales and biases: f32, f16, bf16", cxxopts::value<std::string>()->default_value("bf16"));
}

ConvertOptions quant_flags(const cxxopts::ParseResult& args) {
  ConvertOptions co;
  co.bits = flag<int>(args, "q-bits");
  co.group_size = flag<int>(args, "q-group-size");
  if (co.bits != 0 && co.bits != 4 && co.bits != 8) fail("--q-bits: must be 0, 4 or 8");
  if (co.group_size != 32 && co.group_size != 64 && co.group_size != 128) fail("--q-group-size: must be 32, 64 or 128");
  const std::string dtype = args["dtype"].as<std::string>();
  if (dtype == "f32") co.dtype = DType::F32;
  else if (dtype == "f16") co.dtype = DType::F16;
  else if (dtype == "bf16") co.dtype = DType::BF16;
  else fail("--dtype: '" + dtype + "' is not one of f32, f16, bf16");
  return co;
}

}  // namespace glassbox::cli
