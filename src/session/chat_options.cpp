#include "session/chat_options.h"

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "tokenizer/jinja/json.h"

namespace glassbox {

void add_chat_options(cxxopts::Options& options) {
  options.add_options()
      ("messages", "a whole conversation: a JSON list of {\"role\", \"content\"} messages", cxxopts::value<std::string>())
      ("system", "a system message before --prompt", cxxopts::value<std::string>())
      ("var", "a chat template variable, NAME=JSON, e.g. enable_thinking=false (repeatable)", cxxopts::value<std::string>());
}

std::pair<std::string, jinja::Value> parse_template_variable(const std::string& flag_value) {
  const size_t eq = flag_value.find('=');
  const std::string name = flag_value.substr(0, eq);
  const bool identifier = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                          name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos;
  if (eq == std::string::npos || !identifier) fail("--var: expected NAME=JSON, e.g. enable_thinking=false, got '" + flag_value + "'");
  if (name == "messages" || name == "add_generation_prompt")
    fail("--var " + name + ": set by " + (name == "messages" ? "--messages or --prompt" : "the command (template: --no-generation-prompt)"));
  const std::string text = flag_value.substr(eq + 1);
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception&) {
    fail("--var " + name + ": '" + text + "' is not JSON (a string needs quotes: --var '" + name + "=\"text\"')");
  }
  try {
    return {name, jinja::from_json(j)};
  } catch (const jinja::Failure& f) {
    fail("--var " + name + ": " + f.what());
  }
}

jinja::Variables template_variables(const cxxopts::ParseResult& args) {
  jinja::Variables vars;
  for (const cxxopts::KeyValue& kv : args.arguments())
    if (kv.key() == "var") vars.push_back(parse_template_variable(kv.value()));
  return vars;
}

ChatRequest chat_request(const cxxopts::ParseResult& args, const std::string& text) {
  ChatRequest r;
  if (args.count("messages")) {
    if (args.count("system")) fail("--system: give the system message inside --messages");
    r.messages = read_messages(args["messages"].as<std::string>());
  } else {
    std::vector<jinja::Value> messages;
    if (args.count("system")) messages.push_back(chat_message("system", args["system"].as<std::string>()));
    messages.push_back(chat_message("user", text));
    r.messages = jinja::Value::list(std::move(messages));
  }
  r.variables = template_variables(args);
  return r;
}

std::string chat_flag_given(const cxxopts::ParseResult& args) {
  for (const char* flag : {"messages", "system", "var"})
    if (args.count(flag)) return std::string("--") + flag;
  return "";
}

}  // namespace glassbox
