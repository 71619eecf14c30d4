#pragma once
// Strict UTF-8 decoding and encoding (no overlong forms, no surrogates, nothing above U+10FFFF).
#include <optional>
#include <string>
#include <string_view>

namespace glassbox::render {

// Decodes the character at s[i] and advances i past it; on an invalid sequence advances i by one byte
// and returns nothing.
std::optional<char32_t> decode_utf8(std::string_view s, std::size_t& i);

void append_utf8(std::string& out, char32_t cp);

}  // namespace glassbox::render
