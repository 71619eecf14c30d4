#pragma once
// Text as the figures show it: valid UTF-8 only (tokens are made visible by base/visible_text.h), widths
// measured with the same fonts the PNG renderer uses, and ellipses for labels that do not fit.
#include <string>
#include <string_view>

namespace glassbox::render {

// Valid UTF-8 with every invalid byte replaced by U+FFFD and control characters dropped (newlines and
// tabs too unless kept), so neither Cairo nor an XML parser ever sees something it rejects.
std::string sanitize_utf8(std::string_view bytes, bool keep_line_breaks = false);

// Width in pixels of `utf8` at `size` px, measured with DejaVu Sans and its fallbacks.
double text_width(std::string_view utf8, double size, bool bold = false);

// `utf8` itself when it fits in max_width, else its longest prefix (whole characters) followed by "…".
std::string fit_text(std::string_view utf8, double max_width, double size, bool bold = false);

}  // namespace glassbox::render
