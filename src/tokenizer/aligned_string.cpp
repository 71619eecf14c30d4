#include "tokenizer/aligned_string.h"

#include <limits>

#include "base/error.h"
#include "base/utf8.h"

namespace glassbox {

AlignedString AlignedString::from_input(std::string_view input) {
  if (input.size() >= std::numeric_limits<uint32_t>::max())
    fail("tokenizer: input of " + std::to_string(input.size()) + " bytes is larger than 4 GiB");
  AlignedString s;
  s.text.reserve(input.size());
  s.spans.reserve(input.size());
  for (size_t i = 0; i < input.size();) {
    const utf8::Prefix p = utf8::valid_prefix(input, i);
    const Span from{static_cast<uint32_t>(i), static_cast<uint32_t>(i + p.length)};
    s.push(p.complete ? input.substr(i, p.length) : std::string_view("\xEF\xBF\xBD"), from);
    i += p.length;
  }
  return s;
}

AlignedString AlignedString::slice(size_t begin, size_t end) const {
  AlignedString s;
  s.text.assign(text, begin, end - begin);
  s.spans.assign(spans.begin() + begin, spans.begin() + end);
  return s;
}

void AlignedString::push(std::string_view bytes, Span from) {
  text.append(bytes);
  spans.insert(spans.end(), bytes.size(), from);
}

void AlignedString::prepend(std::string_view prefix) {
  if (text.empty()) return;
  text.insert(0, prefix);
  spans.insert(spans.begin(), prefix.size(), spans.front());
}

void AlignedString::replace(const std::vector<std::pair<size_t, size_t>>& matches, std::string_view content) {
  if (matches.empty()) return;
  AlignedString out;
  size_t last = 0;
  for (const auto& [b, e] : matches) {
    out.text.append(text, last, b - last);
    out.spans.insert(out.spans.end(), spans.begin() + last, spans.begin() + b);
    out.push(content, spans[e - 1]);
    last = e;
  }
  out.text.append(text, last, std::string::npos);
  out.spans.insert(out.spans.end(), spans.begin() + last, spans.end());
  *this = std::move(out);
}

}  // namespace glassbox
