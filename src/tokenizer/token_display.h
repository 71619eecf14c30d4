#pragma once
// The visible form of a token's bytes for tables and figures: space "␣", newline "↵", tab "⇥", carriage
// return "␍"; other control bytes and bytes that are not a whole UTF-8 character as \xNN; invisible
// Unicode characters (format characters, separators other than space) as <U+XXXX>.
#include <string>
#include <string_view>

namespace glassbox {

std::string visible_bytes(std::string_view bytes);

}  // namespace glassbox
