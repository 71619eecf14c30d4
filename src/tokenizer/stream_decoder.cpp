#include <algorithm>

#include "tokenizer/tokenizer.h"

namespace glassbox {
namespace {

// A UTF-8 character is at most 4 bytes, so once this many tokens still end in U+FFFD the bytes really are
// invalid and are let through.
constexpr size_t kMaxHeldTokens = 4;
// Context kept before the pending tokens: enough for decoders that look at the previous token.
constexpr size_t kContextTokens = 4;

bool ends_with_replacement(const std::string& s) {
  return s.size() >= 3 && s.compare(s.size() - 3, 3, "\xEF\xBF\xBD") == 0;
}

}  // namespace

StreamDecoder::StreamDecoder(const Tokenizer& tokenizer, bool skip_special)
    : tokenizer_(&tokenizer), skip_special_(skip_special) {}

StreamDecoder::StreamDecoder(const Tokenizer& tokenizer, std::vector<int32_t> context, bool skip_special)
    : tokenizer_(&tokenizer), skip_special_(skip_special) {
  const size_t keep = std::min(context.size(), kContextTokens);
  ids_.assign(context.end() - static_cast<long>(keep), context.end());
  prefix_ = ids_.size();
}

std::string StreamDecoder::push(int32_t id) {
  ids_.push_back(id);
  const std::string before = tokenizer_->decode({ids_.begin(), ids_.begin() + static_cast<long>(prefix_)}, skip_special_);
  const std::string all = tokenizer_->decode(ids_, skip_special_);
  if (ends_with_replacement(all) && ids_.size() - prefix_ < kMaxHeldTokens) return {};
  // The text of the context normally is a prefix of the whole; where a decoder rewrote it, return from the
  // first difference.
  const size_t common = static_cast<size_t>(
      std::mismatch(before.begin(), before.end(), all.begin(), all.end()).first - before.begin());
  std::string out = all.substr(common);
  if (ids_.size() > kContextTokens) ids_.erase(ids_.begin(), ids_.end() - static_cast<long>(kContextTokens));
  prefix_ = ids_.size();
  return out;
}

std::string StreamDecoder::flush() {
  if (prefix_ == ids_.size()) return {};
  const std::string before = tokenizer_->decode({ids_.begin(), ids_.begin() + static_cast<long>(prefix_)}, skip_special_);
  const std::string all = tokenizer_->decode(ids_, skip_special_);
  const size_t common = static_cast<size_t>(
      std::mismatch(before.begin(), before.end(), all.begin(), all.end()).first - before.begin());
  prefix_ = ids_.size();
  return all.substr(common);
}

}  // namespace glassbox
