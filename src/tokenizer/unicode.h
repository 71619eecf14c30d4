#pragma once
// Unicode character classes and normalization forms (utf8proc), with alignment kept.
#include "tokenizer/aligned_string.h"

namespace glassbox::unicode {

bool is_whitespace(char32_t c);    // Rust's char::is_whitespace (White_Space)
bool is_numeric(char32_t c);       // Rust's char::is_numeric (Nd, Nl, No)
bool is_alphanumeric(char32_t c);  // Rust's char::is_alphanumeric (letters and numbers)

enum class Form { NFC, NFKC, NFD, NFKD };
const char* form_name(Form f);
// Normalizes s in place. Each output character keeps the span of the input character it came from;
// characters merged by composition take the span of the first, as Hugging Face's alignments do.
void normalize(AlignedString& s, Form form);
// Lowercases every character (simple one-to-one case mapping).
void lowercase(AlignedString& s);

}  // namespace glassbox::unicode
