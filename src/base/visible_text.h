#pragma once
// The one way glassbox shows a token's bytes, in tables and figures alike: space "␣", newline "↵", tab "⇥",
// carriage return "␍"; bytes that are not a whole UTF-8 character (a byte-level token holding part of one)
// and other control characters as hex groups "<E4 BD>"; invisible characters (format characters,
// separators other than space, unassigned and private-use code points) as "<U+200B>"; the empty token "∅".
#include <string>
#include <string_view>

namespace glassbox {

std::string visible_token(std::string_view bytes);

}  // namespace glassbox
