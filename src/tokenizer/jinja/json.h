#pragma once
// Between JSON and template values: messages, --var values and special tokens come in as JSON
// (nlohmann), and the tojson filter writes Python's json.dumps, as transformers' chat environment does.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "tokenizer/jinja/value.h"

namespace glassbox::jinja {

// Objects become dicts (key order kept: parse with ordered_json), arrays lists, integers int (64-bit: larger ones are an error).
Value from_json(const nlohmann::ordered_json& j);

struct DumpOptions {
  std::optional<std::string> indent;  // json.dumps(indent=...): the text of one level; none: one line
  std::optional<std::string> item_separator, key_separator;  // default ", " (or "," with indent) and ": "
  bool sort_keys = false;
  bool ensure_ascii = false;  // transformers' tojson keeps non-ASCII text as it is
};

std::string dumps(const Value& v, const DumpOptions& options);

}  // namespace glassbox::jinja
