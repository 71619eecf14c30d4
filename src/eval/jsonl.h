#pragma once
// JSON Lines input (eval prompts, probe data): one JSON object per line, read and checked whole before any
// work starts, every error naming the file and the line.
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tokenizer/chat_template.h"

namespace glassbox {

class JsonlRecord {
 public:
  JsonlRecord(std::string file, int64_t line, nlohmann::json value)
      : file_(std::move(file)), line_(line), value_(std::move(value)) {}

  int64_t line() const { return line_; }
  const nlohmann::json& value() const { return value_; }
  bool has(const char* key) const { return value_.contains(key); }

  // "<file> line N: message"
  [[noreturn]] void fail(const std::string& message) const;
  // Fails on a field outside `known`, so a misspelt key is not silently ignored.
  void only_fields(std::initializer_list<const char*> known) const;
  std::string string(const char* key) const;  // a required string field
  // A string, or an integer written as its digits (ids and labels may be either).
  std::string string_or_integer(const char* key) const;
  // A conversation for the chat template: [{"role": "...", "content": ...}, ...], at least one message.
  jinja::Value messages(const char* key) const;

 private:
  std::string file_;
  int64_t line_;
  nlohmann::json value_;
};

// The non-blank lines of `path`, each a JSON object. Fails on a file that is missing, not a regular file,
// larger than 1 GiB, or holds no records.
std::vector<JsonlRecord> read_jsonl(const std::filesystem::path& path);

}  // namespace glassbox
