#pragma once
// Flag handling shared by every subcommand, so each error names the flag at fault the same way.
#include <charconv>
#include <cstdint>
#include <cxxopts.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"

namespace glassbox {

// Options with --help already added; the usage line reads "glassbox <command> ...".
cxxopts::Options make_options(const std::string& command, const std::string& description);

// Adds --model DIR (default: the project's default model).
void add_model_option(cxxopts::Options& options);

// Parses argv; returns nullopt after printing the help when --help was given. Unknown flags and stray
// positional arguments are errors naming them.
std::optional<cxxopts::ParseResult> parse_options(cxxopts::Options& options, int argc, char** argv);

// Flag values are declared as strings and converted here, because cxxopts' own conversion errors do not
// say which flag was wrong. A value that does not parse is an error naming --name.
template <typename T>
T flag(const cxxopts::ParseResult& args, const std::string& name) {
  const std::string text = args[name].as<std::string>();
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) fail("--" + name + ": '" + text + "' is not a valid value");
  return value;
}

std::filesystem::path model_dir(const cxxopts::ParseResult& args);

// "1,2,3" -> {1, 2, 3}; anything else is an error naming `flag`.
std::vector<int32_t> parse_id_list(const std::string& text, const std::string& flag);

}  // namespace glassbox
