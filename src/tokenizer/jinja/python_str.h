#pragma once
// Python's str methods on UTF-8 text, counted in code points as Python counts them: strip, split,
// splitlines, find, replace, case mapping (with the special cases where one letter becomes two, such as
// ß -> SS), character classes and repr(). Input is valid UTF-8 (templates and JSON are checked on entry).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glassbox::jinja::py {

bool is_space(char32_t c);  // str.isspace() of one character
bool is_ascii(std::string_view s);
size_t length(std::string_view s);  // code points
std::vector<char32_t> code_points(std::string_view s);
std::string encode(const char32_t* begin, const char32_t* end);

// Python slice semantics for a sequence of n items: the indices start, start+step, ... it selects.
std::vector<size_t> slice_indices(int64_t n, std::optional<int64_t> start, std::optional<int64_t> stop,
                                  std::optional<int64_t> step);

// Byte offset of code point index `index` of s, index clamped to [0, length] after Python's negative wrap.
size_t byte_offset(std::string_view s, int64_t index);

// strip(), lstrip(), rstrip(): `chars` null strips whitespace, else any of its characters.
std::string strip(std::string_view s, const std::string* chars, bool left, bool right);
// split() / rsplit(): `sep` null splits on runs of whitespace and drops empty parts.
std::vector<std::string> split(std::string_view s, const std::string* sep, int64_t maxsplit);
std::vector<std::string> rsplit(std::string_view s, const std::string* sep, int64_t maxsplit);
std::vector<std::string> splitlines(std::string_view s, bool keepends);
std::string replace(std::string_view s, std::string_view old, std::string_view with, int64_t count);
// find() and count() within the code point range [start, end); find returns -1 when absent.
int64_t find(std::string_view s, std::string_view sub, std::optional<int64_t> start, std::optional<int64_t> end,
             bool reverse);
int64_t count(std::string_view s, std::string_view sub, std::optional<int64_t> start, std::optional<int64_t> end);

std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string capitalize(std::string_view s);  // str.capitalize(): first character title case, the rest lower
std::string title(std::string_view s);       // str.title(): every cased run starts upper
std::string swapcase(std::string_view s);

bool is_lower(std::string_view s);  // str.islower(): has a cased character and none upper
bool is_upper(std::string_view s);
bool is_alpha(std::string_view s);
bool is_digit(std::string_view s);
bool is_decimal(std::string_view s);
bool is_numeric(std::string_view s);
bool is_alnum(std::string_view s);
bool is_all_space(std::string_view s);  // str.isspace()
bool is_title(std::string_view s);

std::string repr(std::string_view s);  // 'text' with Python's quoting and escapes

}  // namespace glassbox::jinja::py
