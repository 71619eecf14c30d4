#include "cli/prompt.h"

#include "cli/options.h"
#include "core/error.h"

namespace glassbox::cli {

std::string Prompt::token_text(int32_t id) const { return "[" + std::to_string(id) + "]"; }

std::string Prompt::decode(const std::vector<int32_t>& ids) const {
  std::string text;
  for (int32_t id : ids) text += token_text(id);
  return text;
}

void add_prompt_options(cxxopts::Options& options) {
  options.add_options()("prompt-ids", "the prompt as comma-separated token ids, e.g. 1,403,407", cxxopts::value<std::string>());
}

Prompt resolve_prompt(const Model& model, const cxxopts::ParseResult& args) {
  Prompt p;
  if (!args.count("prompt-ids")) fail("--prompt-ids: no prompt given");
  p.ids = parse_id_list(args["prompt-ids"].as<std::string>(), "--prompt-ids");
  model.check_ids(p.ids, "--prompt-ids");
  if (int64_t(p.ids.size()) > model.config().max_positions)
    fail("--prompt-ids: prompt of " + std::to_string(p.ids.size()) +
         " tokens is longer than the model's context (max_position_embeddings = " +
         std::to_string(model.config().max_positions) + ")");
  for (int64_t id : model.config().eos_ids) p.stop_ids.push_back(int32_t(id));
  return p;
}

std::string TextStream::push(int32_t id) { return prompt_.token_text(id); }
std::string TextStream::flush() { return ""; }

}  // namespace glassbox::cli
