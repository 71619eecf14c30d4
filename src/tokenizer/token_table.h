#pragma once
// The outputs of `glassbox tokenize`: a table in the manner of llama-tokenize, and JSON.
#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace glassbox {

// One line per token: index, id, display form, bytes in hex, input byte span, flags (special, partial).
std::string format_token_table(const std::vector<TokenInfo>& tokens);
// {"ids": [...], "tokens": [...], "byte_offsets": [[s, e], ...], "special": [...]} and a newline.
std::string format_token_json(const std::vector<TokenInfo>& tokens);

}  // namespace glassbox
