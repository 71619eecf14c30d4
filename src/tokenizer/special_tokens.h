#pragma once
// The special tokens a chat template sees, as transformers' special_tokens_map gives them: bos_token,
// eos_token, unk_token, sep_token, pad_token, cls_token, mask_token (text) and additional_special_tokens
// (a list), from tokenizer_config.json, with special_tokens_map.json overriding. A token that is not set
// (absent, null, empty) is left out, so the template sees it undefined.
#include <nlohmann/json.hpp>

#include "tokenizer/jinja/template.h"

namespace glassbox {

// `map` may be null (no special_tokens_map.json). `where` names the files in errors.
jinja::Variables special_token_variables(const nlohmann::json& config, const nlohmann::json* map, const std::string& where);

// A token given as "text" or {"content": "text", ...} (an AddedToken); "" when it is neither.
std::string token_text(const nlohmann::json& value);

}  // namespace glassbox
