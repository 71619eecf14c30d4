#include "tokenizer/pre_tokenizer.h"

#include <algorithm>
#include <memory>

#include "base/error.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/json_fields.h"
#include "tokenizer/regex.h"
#include "tokenizer/unicode.h"
#include "base/utf8.h"

namespace glassbox {
namespace {

using Ranges = std::vector<std::pair<size_t, size_t>>;

// GPT-2's pattern, which ByteLevel applies when use_regex is true.
constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

SplitBehavior parse_behavior(const std::string& name, const std::string& where) {
  if (name == "Removed") return SplitBehavior::Removed;
  if (name == "Isolated") return SplitBehavior::Isolated;
  if (name == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (name == "Contiguous") return SplitBehavior::Contiguous;
  fail(where + ".behavior: unknown split behavior '" + name + "'");
}

// Every character for which pred holds, each as its own match.
template <typename Pred>
Ranges char_matches(std::string_view text, Pred pred) {
  Ranges out;
  for (size_t i = 0; i < text.size();) {
    const size_t at = i;
    if (pred(utf8::next(text, i))) out.emplace_back(at, i);
  }
  return out;
}

// Applies fn to each piece, replacing it with the pieces fn appends.
template <typename Fn>
void for_each_piece(std::vector<AlignedString>& pieces, Fn fn) {
  std::vector<AlignedString> out;
  out.reserve(pieces.size());
  for (AlignedString& p : pieces) fn(p, out);
  pieces = std::move(out);
}

void byte_level_map(AlignedString& s) {
  AlignedString out;
  out.text.reserve(s.text.size() * 2);
  out.spans.reserve(s.text.size() * 2);
  for (size_t i = 0; i < s.text.size(); ++i)
    out.push(byte_level::char_for_byte(static_cast<unsigned char>(s.text[i])), s.spans[i]);
  s = std::move(out);
}

PreTokenizer byte_level_pre_tokenizer(const nlohmann::json& j, const std::string& where) {
  const bool add_prefix_space = json_fields::bool_or(j, "add_prefix_space", true, where);
  const bool use_regex = json_fields::bool_or(j, "use_regex", true, where);
  auto regex = std::make_shared<const Regex>(kGpt2Pattern, where + " (GPT-2 pattern)");
  return [=](std::vector<AlignedString>& pieces) {
    for_each_piece(pieces, [&](AlignedString& p, std::vector<AlignedString>& out) {
      if (add_prefix_space && p.text.front() != ' ') p.prepend(" ");
      if (use_regex) {
        const size_t first = out.size();
        split_pieces(p, regex->find_all(p.text), SplitBehavior::Isolated, false, out);
        for (size_t k = first; k < out.size(); ++k) byte_level_map(out[k]);
      } else {
        byte_level_map(p);
        out.push_back(std::move(p));
      }
    });
  };
}

PreTokenizer metaspace_pre_tokenizer(const nlohmann::json& j, const std::string& where) {
  const std::string replacement = json_fields::string_or(j, "replacement", "\xE2\x96\x81", where);
  if (replacement.empty() || utf8::char_length(static_cast<unsigned char>(replacement[0])) != replacement.size())
    fail(where + ".replacement: expected one character");
  std::string scheme = json_fields::string_or(j, "prepend_scheme", "", where);
  if (scheme.empty()) scheme = json_fields::bool_or(j, "add_prefix_space", true, where) ? "always" : "never";
  if (scheme != "always" && scheme != "first" && scheme != "never")
    fail(where + ".prepend_scheme: unknown scheme '" + scheme + "'");
  const bool split = json_fields::bool_or(j, "split", true, where);
  return [=](std::vector<AlignedString>& pieces) {
    for_each_piece(pieces, [&](AlignedString& p, std::vector<AlignedString>& out) {
      p.replace(find_all_literal(p.text, " "), replacement);
      const bool at_input_start = p.spans.front().begin == 0;
      if ((scheme == "always" || (scheme == "first" && at_input_start)) && p.text.rfind(replacement, 0) != 0)
        p.prepend(replacement);
      if (split) split_pieces(p, find_all_literal(p.text, replacement), SplitBehavior::MergedWithNext, false, out);
      else out.push_back(std::move(p));
    });
  };
}

}  // namespace

void split_pieces(const AlignedString& s, const Ranges& matches, SplitBehavior behavior, bool invert,
                  std::vector<AlignedString>& out) {
  // Every byte of s in order, as (range, is_match) parts; then the behavior decides what to keep and merge.
  std::vector<std::pair<std::pair<size_t, size_t>, bool>> parts;
  size_t last = 0;
  for (const auto& m : matches) {
    if (m.first > last) parts.push_back({{last, m.first}, invert});
    parts.push_back({m, !invert});
    last = m.second;
  }
  if (last < s.text.size()) parts.push_back({{last, s.text.size()}, invert});

  std::vector<std::pair<size_t, size_t>> kept;
  bool previous_match = false;
  switch (behavior) {
    case SplitBehavior::Removed:
      for (const auto& [r, is_match] : parts)
        if (!is_match) kept.push_back(r);
      break;
    case SplitBehavior::Isolated:
      for (const auto& [r, is_match] : parts) kept.push_back(r);
      break;
    case SplitBehavior::MergedWithPrevious:
      for (const auto& [r, is_match] : parts) {
        if (is_match && !previous_match && !kept.empty()) kept.back().second = r.second;
        else kept.push_back(r);
        previous_match = is_match;
      }
      break;
    case SplitBehavior::MergedWithNext:
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        if (it->second && !previous_match && !kept.empty()) kept.back().first = it->first.first;
        else kept.push_back(it->first);
        previous_match = it->second;
      }
      std::reverse(kept.begin(), kept.end());
      break;
    case SplitBehavior::Contiguous:
      for (const auto& [r, is_match] : parts) {
        if (is_match == previous_match && !kept.empty()) kept.back().second = r.second;
        else kept.push_back(r);
        previous_match = is_match;
      }
      break;
  }
  for (const auto& [b, e] : kept)
    if (e > b) out.push_back(s.slice(b, e));
}

PreTokenizer parse_pre_tokenizer(const nlohmann::json& j, const std::string& where) {
  using namespace json_fields;
  if (j.is_null()) return {};
  const std::string type = type_of(j, where);
  if (type == "ByteLevel") return byte_level_pre_tokenizer(j, where);
  if (type == "Metaspace") return metaspace_pre_tokenizer(j, where);
  if (type == "Split") {
    auto pattern = std::make_shared<const Pattern>(require(j, "pattern", where), where + ".pattern");
    const SplitBehavior behavior = parse_behavior(string_at(j, "behavior", where), where);
    const bool invert = bool_or(j, "invert", false, where);
    return [=](std::vector<AlignedString>& pieces) {
      for_each_piece(pieces, [&](AlignedString& p, std::vector<AlignedString>& out) {
        split_pieces(p, pattern->find_all(p.text), behavior, invert, out);
      });
    };
  }
  if (type == "Digits") {
    const SplitBehavior behavior =
        bool_or(j, "individual_digits", false, where) ? SplitBehavior::Isolated : SplitBehavior::Contiguous;
    return [=](std::vector<AlignedString>& pieces) {
      for_each_piece(pieces, [&](AlignedString& p, std::vector<AlignedString>& out) {
        split_pieces(p, char_matches(p.text, unicode::is_numeric), behavior, false, out);
      });
    };
  }
  if (type == "Sequence") {
    std::vector<PreTokenizer> steps;
    const auto& list = list_at(j, "pretokenizers", where);
    for (size_t i = 0; i < list.size(); ++i) {
      PreTokenizer p = parse_pre_tokenizer(list[i], where + ".pretokenizers[" + std::to_string(i) + "]");
      if (p) steps.push_back(std::move(p));
    }
    return [steps](std::vector<AlignedString>& pieces) {
      for (const auto& p : steps) p(pieces);
    };
  }
  unsupported(where, type);
}

}  // namespace glassbox
