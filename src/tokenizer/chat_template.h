#pragma once
// A model's chat template, rendered by glassbox's Jinja engine (tokenizer/jinja) as transformers'
// apply_chat_template renders it: the template sees `messages`, `tools` and `documents` (None),
// `add_generation_prompt`, the tokenizer's special tokens that are set, then the caller's variables
// (enable_thinking, date_string, ...), a later one overriding an earlier one.
#include <nlohmann/json_fwd.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "tokenizer/jinja/template.h"

namespace glassbox {

struct ChatRequest {
  jinja::Value messages;  // a list of {role, content, ...} dicts
  bool add_generation_prompt = true;
  jinja::Variables variables;            // the caller's: --var NAME=JSON, enable_thinking, ...
  std::optional<jinja::Moment> now;      // pins strftime_now(); else the local clock
};

class ChatTemplate {
 public:
  // `file` names the template in errors. Throws jinja::Error when it does not parse.
  ChatTemplate(std::string_view source, const std::string& file);

  // `special_tokens` come before the request's variables. Throws jinja::Error (raised() when the
  // template called raise_exception).
  std::string render(const ChatRequest& request, const jinja::Variables& special_tokens = {}) const;

  const std::string& file() const { return template_.name(); }

 private:
  jinja::Template template_;
};

// One message as a template sees it: {"role": role, "content": content}.
jinja::Value chat_message(const std::string& role, const std::string& content);

// A conversation from JSON text: a list of objects, each with a string "role"; "content" (a string,
// null or a list of parts) and any other keys (tool_calls, ...) pass through in their order.
// `source` names the file in errors.
jinja::Value parse_messages(std::string_view json, const std::string& source);
jinja::Value read_messages(const std::filesystem::path& file);

// "2024-07-26T12:00:00" as a local time for strftime_now; nullopt when it is not that form or not a date.
std::optional<jinja::Moment> parse_moment(const std::string& text);

}  // namespace glassbox
