#pragma once
// The sampling flags of every command that generates (generate, eval): --temp, --top-k, --top-p, --min-p,
// --repetition-penalty, --seed, with the same defaults and the same errors everywhere.
#include <cxxopts.hpp>

#include "generate/sampler.h"

namespace glassbox {

void add_sampling_options(cxxopts::Options& options);

// Reads and range-checks them; an error names the flag.
SamplerSettings sampling_settings(const cxxopts::ParseResult& args);

}  // namespace glassbox
