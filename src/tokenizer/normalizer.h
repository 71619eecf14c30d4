#pragma once
// tokenizer.json "normalizer": NFC, NFKC, NFD, NFKD, Prepend, Replace, Lowercase and Sequences of them.
#include <nlohmann/json.hpp>

#include <functional>

#include "tokenizer/aligned_string.h"

namespace glassbox {

using Normalizer = std::function<void(AlignedString&)>;

// A null component gives an empty function (no normalization). `where` names it in errors.
Normalizer parse_normalizer(const nlohmann::json& j, const std::string& where);

}  // namespace glassbox
