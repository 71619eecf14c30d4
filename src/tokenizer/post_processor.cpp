#include "tokenizer/post_processor.h"

#include "base/error.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/json_fields.h"
#include "tokenizer/unicode.h"
#include "base/utf8.h"

namespace glassbox {
namespace {

// Leading and trailing characters of a byte-level piece that stand for whitespace ("Ġ" or whitespace).
std::pair<size_t, size_t> space_counts(const std::string& piece) {
  std::vector<char32_t> chars;
  for (size_t i = 0; i < piece.size();) chars.push_back(utf8::next(piece, i));
  const auto is_space = [](char32_t c) { return c == U'\u0120' || unicode::is_whitespace(c); };
  size_t lead = 0, trail = 0;
  while (lead < chars.size() && is_space(chars[lead])) ++lead;
  while (trail < chars.size() && is_space(chars[chars.size() - 1 - trail])) ++trail;
  return {lead, trail};
}

}  // namespace

PostProcessor PostProcessor::parse(const nlohmann::json& j, const std::string& where) {
  PostProcessor p;
  if (!j.is_null()) parse_into(j, where, p.steps_);
  return p;
}

void PostProcessor::parse_into(const nlohmann::json& j, const std::string& where, std::vector<Step>& steps) {
  using namespace json_fields;
  const std::string type = type_of(j, where);
  if (type == "Sequence") {
    const auto& list = list_at(j, "processors", where);
    for (size_t i = 0; i < list.size(); ++i)
      parse_into(list[i], where + ".processors[" + std::to_string(i) + "]", steps);
    return;
  }
  Step s;
  if (type == "ByteLevel") {
    s.trim_offsets = bool_or(j, "trim_offsets", true, where);
    s.add_prefix_space = bool_or(j, "add_prefix_space", true, where);
  } else if (type == "TemplateProcessing") {
    s.is_template = true;
    const auto& specials = require(j, "special_tokens", where);
    bool seen_sequence = false;
    const auto& single = list_at(j, "single", where);
    for (size_t i = 0; i < single.size(); ++i) {
      const std::string at = where + ".single[" + std::to_string(i) + "]";
      if (single[i].contains("Sequence")) {
        if (seen_sequence) fail(at + ": the template names the sequence twice");
        seen_sequence = true;
      } else if (single[i].contains("SpecialToken")) {
        const std::string name = string_at(single[i]["SpecialToken"], "id", at + ".SpecialToken");
        if (!specials.is_object() || !specials.contains(name))
          fail(at + ": special token '" + name + "' is not in special_tokens");
        const std::string ids_at = where + ".special_tokens." + name + ".ids";
        const auto& ids = list_at(specials[name], "ids", where + ".special_tokens." + name);
        for (size_t k = 0; k < ids.size(); ++k)
          (seen_sequence ? s.after : s.before).push_back(token_id(ids[k], ids_at + "[" + std::to_string(k) + "]"));
      } else {
        fail(at + ": expected a Sequence or a SpecialToken");
      }
    }
  } else {
    unsupported(where, type);
  }
  steps.push_back(std::move(s));
}

std::vector<int32_t> PostProcessor::special_ids() const {
  std::vector<int32_t> ids;
  for (const Step& s : steps_) {
    ids.insert(ids.end(), s.before.begin(), s.before.end());
    ids.insert(ids.end(), s.after.begin(), s.after.end());
  }
  return ids;
}

void PostProcessor::process(std::vector<EncodedToken>& tokens, bool add_special,
                            const std::function<std::string(int32_t)>& piece) const {
  for (const Step& s : steps_) {
    if (s.is_template) {
      if (!add_special) continue;
      std::vector<EncodedToken> out;
      out.reserve(s.before.size() + tokens.size() + s.after.size());
      for (int32_t id : s.before) out.push_back({id, {0, 0}, true});
      out.insert(out.end(), tokens.begin(), tokens.end());
      for (int32_t id : s.after) out.push_back({id, {0, 0}, true});
      tokens = std::move(out);
    } else if (s.trim_offsets) {
      for (size_t i = 0; i < tokens.size(); ++i) {
        EncodedToken& t = tokens[i];
        auto [lead, trail] = space_counts(piece(t.id));
        const bool is_first = i == 0 || t.span.begin == 0;
        if (lead > 0 && is_first && s.add_prefix_space && lead == 1) lead = 0;
        t.span.begin = std::min<uint32_t>(t.span.begin + static_cast<uint32_t>(lead), t.span.end);
        if (trail > 0 && t.span.end >= trail)
          t.span.end = std::max<uint32_t>(t.span.end - static_cast<uint32_t>(trail), t.span.begin);
      }
    }
  }
}

}  // namespace glassbox
