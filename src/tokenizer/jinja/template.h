#pragma once
// glassbox's Jinja engine: templates as the Hugging Face Hub's chat templates use them, rendered as
// transformers renders them (jinja2's immutable sandbox with trim_blocks, lstrip_blocks, loop controls,
// {% generation %}, raise_exception and strftime_now, and a tojson that is json.dumps).
//
//   const auto t = jinja::Template::parse(text, "chat_template.jinja");
//   std::string prompt = t.render({{"messages", messages}, {"add_generation_prompt", Value::boolean(true)}});
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/runtime.h"
#include "tokenizer/jinja/value.h"

namespace glassbox::jinja {

struct Program;

using Variables = std::vector<std::pair<std::string, Value>>;

class Template {
 public:
  // `name` names the template in every error ("tokenizer_config.json:12: ..."). Throws jinja::Error.
  static Template parse(std::string_view source, const std::string& name);

  // Variables in order, a later one overriding an earlier one of the same name; `now` pins
  // strftime_now (else the local clock). Throws jinja::Error; raised() tells a raise_exception.
  std::string render(const Variables& variables, const std::optional<Moment>& now = std::nullopt) const;

  const std::string& name() const;

 private:
  std::shared_ptr<const Program> program_;
};

}  // namespace glassbox::jinja
