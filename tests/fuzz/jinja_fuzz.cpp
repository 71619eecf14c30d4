// libFuzzer harness for the Jinja engine: the input is a template, rendered with a conversation, special
// tokens and a pinned clock. Parse and render errors are expected (jinja::Error); a crash, a hang, a leak or
// any other exception is a bug. Seeds: the 30 chat templates (tests/fuzz/corpus/jinja). Run with the
// others by scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tokenizer/jinja/template.h"

namespace {

using namespace glassbox::jinja;

Value message(const char* role, const char* content) {
  Dict d;
  d.set(Value::string("role"), Value::string(role));
  d.set(Value::string("content"), Value::string(content));
  return Value::dict(std::move(d));
}

const Variables& variables() {
  static const Variables vars = {
      {"messages", Value::list({message("system", "Be brief."), message("user", "Hi ü 🦀"), message("assistant", "<think>x</think>Hello"),
                                message("user", "  Again?\n")})},
      {"tools", Value::none()},
      {"documents", Value::none()},
      {"add_generation_prompt", Value::boolean(true)},
      {"bos_token", Value::string("<s>")},
      {"eos_token", Value::string("</s>")},
  };
  return vars;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  try {
    const Template t = Template::parse(source, "fuzz.jinja");
    Moment now;
    now.time.tm_year = 124;
    now.time.tm_mday = 1;
    t.render(variables(), now);
  } catch (const Error&) {
    // A template that does not parse or fails while rendering: a one-line error, as intended.
  }
  return 0;
}
