#pragma once
// Flag handling shared by every subcommand, so each error names the flag at fault the same way.
#include <cstdint>
#include <cxxopts.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace glassbox::cli {

// Options with --help already added; the usage line reads "glassbox <command> ...".
cxxopts::Options make_options(const std::string& command, const std::string& description);

// Adds --model DIR (default: the project's default model).
void add_model_option(cxxopts::Options& options);

// Parses argv; returns nullopt after printing the help when --help was given. Unknown flags and stray
// positional arguments are errors naming them.
std::optional<cxxopts::ParseResult> parse(cxxopts::Options& options, int argc, char** argv);

// args[name] as T; a value that does not parse is an error naming --name.
template <typename T>
T get(const cxxopts::ParseResult& args, const std::string& name) {
  try {
    return args[name].as<T>();
  } catch (const cxxopts::exceptions::exception&) {
    fail("--" + name + ": '" + args[name].as<std::string>() + "' is not a valid value");
  }
}

std::filesystem::path model_dir(const cxxopts::ParseResult& args);

// "1,2,3" -> {1, 2, 3}; anything else is an error naming `flag`.
std::vector<int32_t> parse_id_list(const std::string& text, const std::string& flag);

}  // namespace glassbox::cli
