#include "tokenizer/special_tokens.h"

#include "base/error.h"

namespace glassbox {

std::string token_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.contains("content") && value.at("content").is_string()) return value.at("content").get<std::string>();
  return {};
}

jinja::Variables special_token_variables(const nlohmann::json& config, const nlohmann::json* map, const std::string& where) {
  const auto setting = [&](const char* key) -> const nlohmann::json* {
    if (map && map->is_object() && map->contains(key) && !map->at(key).is_null()) return &map->at(key);
    if (config.is_object() && config.contains(key)) return &config.at(key);
    return nullptr;
  };
  jinja::Variables vars;
  for (const char* key : {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"}) {
    const nlohmann::json* v = setting(key);
    if (!v || v->is_null()) continue;
    const std::string text = token_text(*v);
    if (text.empty() && !(v->is_string() || v->is_object())) fail(where + ": " + key + " is neither text nor {\"content\": text}");
    if (!text.empty()) vars.emplace_back(key, jinja::Value::string(text));
  }
  if (const nlohmann::json* extra = setting("additional_special_tokens"); extra && !extra->is_null()) {
    if (!extra->is_array()) fail(where + ": additional_special_tokens is not a list");
    std::vector<jinja::Value> tokens;
    for (const auto& t : *extra) {
      const std::string text = token_text(t);
      if (text.empty()) fail(where + ": additional_special_tokens holds an entry that is not a token");
      tokens.push_back(jinja::Value::string(text));
    }
    if (!tokens.empty()) vars.emplace_back("additional_special_tokens", jinja::Value::list(std::move(tokens)));
  }
  return vars;
}

}  // namespace glassbox
