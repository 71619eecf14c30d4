#include "tokenizer/normalizer.h"

#include <vector>

#include "tokenizer/json_fields.h"
#include "tokenizer/unicode.h"

namespace glassbox {

Normalizer parse_normalizer(const nlohmann::json& j, const std::string& where) {
  using namespace json_fields;
  if (j.is_null()) return {};
  const std::string type = type_of(j, where);
  if (type == "NFC" || type == "NFKC" || type == "NFD" || type == "NFKD") {
    const unicode::Form form = type == "NFC"    ? unicode::Form::NFC
                               : type == "NFKC" ? unicode::Form::NFKC
                               : type == "NFD"  ? unicode::Form::NFD
                                                : unicode::Form::NFKD;
    return [form](AlignedString& s) { unicode::normalize(s, form); };
  }
  if (type == "Lowercase") return [](AlignedString& s) { unicode::lowercase(s); };
  if (type == "Prepend") {
    const std::string prefix = string_at(j, "prepend", where);
    return [prefix](AlignedString& s) { s.prepend(prefix); };
  }
  if (type == "Replace") {
    const Pattern pattern(require(j, "pattern", where), where + ".pattern");
    const std::string content = string_at(j, "content", where);
    return [pattern, content](AlignedString& s) { s.replace(pattern.find_all(s.text), content); };
  }
  if (type == "Sequence") {
    std::vector<Normalizer> steps;
    const auto& list = list_at(j, "normalizers", where);
    for (size_t i = 0; i < list.size(); ++i) {
      Normalizer n = parse_normalizer(list[i], where + ".normalizers[" + std::to_string(i) + "]");
      if (n) steps.push_back(std::move(n));
    }
    return [steps](AlignedString& s) {
      for (const auto& n : steps) n(s);
    };
  }
  unsupported(where, type);
}

}  // namespace glassbox
