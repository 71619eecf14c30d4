#pragma once
// GPT-2's byte-to-character table: every byte gets a printable character so byte-level BPE vocabularies
// can be stored as text (the space byte is "Ġ", newline "Ċ").
#include <optional>
#include <string>
#include <string_view>

namespace glassbox::byte_level {

// The UTF-8 of the character standing for byte b.
const std::string& char_for_byte(unsigned char b);
// The byte a character stands for, if it is one of the 256 table characters.
std::optional<unsigned char> byte_for_char(char32_t c);
// Maps every byte of `bytes` to its character.
std::string encode(std::string_view bytes);
// Maps table characters of valid UTF-8 `text` back to bytes; nullopt if any character is not in the table.
std::optional<std::string> decode(std::string_view text);

}  // namespace glassbox::byte_level
