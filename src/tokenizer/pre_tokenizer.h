#pragma once
// tokenizer.json "pre_tokenizer": Split (regex or string, every behavior, invert), ByteLevel (with or
// without its regex, add_prefix_space), Metaspace, Digits, and Sequences of them. A pre-tokenizer turns
// pieces of text into smaller pieces, each of which the model encodes on its own.
#include <nlohmann/json.hpp>

#include <functional>
#include <vector>

#include "tokenizer/aligned_string.h"

namespace glassbox {

using PreTokenizer = std::function<void(std::vector<AlignedString>&)>;

// A null component gives an empty function (the whole text is one piece). Empty pieces are dropped.
PreTokenizer parse_pre_tokenizer(const nlohmann::json& j, const std::string& where);

// What happens to the matched parts when splitting (Hugging Face's SplitDelimiterBehavior).
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

// Splits s at `matches` (sorted, non-overlapping byte ranges) and appends the non-empty parts to out.
void split_pieces(const AlignedString& s, const std::vector<std::pair<size_t, size_t>>& matches,
                  SplitBehavior behavior, bool invert, std::vector<AlignedString>& out);

}  // namespace glassbox
