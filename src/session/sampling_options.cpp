#include "session/sampling_options.h"

#include "session/options.h"

namespace glassbox {

void add_sampling_options(cxxopts::Options& options) {
  options.add_options()
      ("temp", "sampling temperature; 0 is greedy", cxxopts::value<std::string>()->default_value("0"))
      ("top-k", "keep only the k most likely tokens (0: off)", cxxopts::value<std::string>()->default_value("0"))
      ("top-p", "keep the smallest set of tokens with this total probability", cxxopts::value<std::string>()->default_value("1"))
      ("min-p", "drop tokens less likely than min-p times the top token", cxxopts::value<std::string>()->default_value("0"))
      ("repetition-penalty", "divide logits of recently seen tokens by this", cxxopts::value<std::string>()->default_value("1"))
      ("seed", "random seed; the same seed and settings give the same tokens", cxxopts::value<std::string>()->default_value("0"));
}

SamplerSettings sampling_settings(const cxxopts::ParseResult& args) {
  SamplerSettings s;
  s.temperature = flag<float>(args, "temp");
  s.top_k = flag<int>(args, "top-k");
  s.top_p = flag<float>(args, "top-p");
  s.min_p = flag<float>(args, "min-p");
  s.repetition_penalty = flag<float>(args, "repetition-penalty");
  s.seed = flag<uint64_t>(args, "seed");
  validate(s);
  return s;
}

}  // namespace glassbox
