#include "eval/eval_set.h"

#include <map>

#include "base/error.h"
#include "eval/jsonl.h"
#include "session/prompt.h"

namespace glassbox {

std::vector<EvalSample> read_eval_set(const std::filesystem::path& path, const Model& model,
                                      const Tokenizer& tokenizer, bool raw) {
  std::vector<EvalSample> samples;
  std::map<std::string, int64_t> first_line;  // id -> the line that used it first
  for (const JsonlRecord& r : read_jsonl(path)) {
    r.only_fields({"id", "prompt", "messages", "expected"});
    EvalSample s;
    s.line = r.line();
    if (!r.has("id")) r.fail("missing \"id\"");
    s.id = r.value().at("id");
    if (!s.id.is_string() && !s.id.is_number_integer()) r.fail("\"id\" must be a string or an integer");
    s.key = s.id.dump();
    if (const auto [it, fresh] = first_line.emplace(s.key, s.line); !fresh)
      r.fail("id " + s.key + " already appears on line " + std::to_string(it->second));
    if (r.has("expected")) s.expected = r.string("expected");
    if (r.has("prompt") == r.has("messages")) r.fail("give exactly one of \"prompt\" and \"messages\"");
    std::optional<std::string> prompt;
    ChatRequest messages;
    if (r.has("prompt")) {
      prompt = r.string("prompt");
    } else {
      messages.messages = r.messages("messages");
      if (!tokenizer.has_chat_template()) r.fail("\"messages\" needs a chat template, and the model has none");
    }
    try {  // a chat template glassbox cannot render fails here, on the first line that needs it
      s.prompt_ids = prompt ? encode_message(tokenizer, *prompt, tokenizer.has_chat_template() && !raw)
                            : encode_chat(tokenizer, std::move(messages));
    } catch (const Error& e) {
      r.fail(e.what());
    }
    if (s.prompt_ids.empty()) r.fail("the prompt encodes to no tokens");
    if (int64_t(s.prompt_ids.size()) > model.config().max_positions)
      r.fail("the prompt is " + std::to_string(s.prompt_ids.size()) +
             " tokens, longer than the model's context (max_position_embeddings = " +
             std::to_string(model.config().max_positions) + ")");
    model.check_ids(s.prompt_ids, path.string() + " line " + std::to_string(s.line));
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace glassbox
