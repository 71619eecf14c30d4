#pragma once
// JSON from untrusted files (config.json, tokenizer.json, safetensors headers, shard indexes): parsed with
// errors that name the file and the line, never quoting the file's content, and with nesting bounded so a
// hostile file cannot exhaust the stack of the code that walks it.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace glassbox {

// Deeper nesting than any real checkpoint or tokenizer file uses.
constexpr int kMaxJsonDepth = 64;

// An Error "<where>: not valid JSON (line L, column C: reason)" when `text` does not parse.
nlohmann::json parse_json(std::string_view text, const std::string& where);

// A JSON file, read through InputFile (a regular file, at most max_bytes).
nlohmann::json read_json_file(const std::filesystem::path& path, uint64_t max_bytes);

// A value for an error message: short and on one line ("\"abc\"", "12", "an object").
std::string json_excerpt(const nlohmann::json& value);

}  // namespace glassbox
