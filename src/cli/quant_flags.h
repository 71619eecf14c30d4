#pragma once
// --q-bits, --q-group-size and --dtype, shared by convert and bench's synthetic checkpoints.
#include <cxxopts.hpp>

#include "quant/convert.h"

namespace glassbox::cli {

void add_quant_flags(cxxopts::Options& options, const std::string& default_bits);

// The flags' values, each checked; an error names the flag.
ConvertOptions quant_flags(const cxxopts::ParseResult& args);

}  // namespace glassbox::cli
