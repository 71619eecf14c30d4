#pragma once
// What every lesson shares: the common flags (--model, --out, --format), headings, and saving figures.
#include <cxxopts.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace glassbox::lesson {

struct Lesson {
  std::string name;                  // "05_attention"
  std::filesystem::path model_dir;   // --model, or the default model
  std::filesystem::path out_dir;     // --out, default out/<name>
  bool png = true, svg = false;      // --format png|svg|both
  cxxopts::ParseResult args;         // the lesson's own flags too
  std::string command_line;          // stored in every figure as provenance
};

// Parses the common flags plus those `add_flags` declares. Returns nullopt after printing --help.
std::optional<Lesson> start(int argc, char** argv, const std::string& name, const std::string& summary,
                            const std::function<void(cxxopts::Options&)>& add_flags = {});

// Runs a lesson's body, turning errors into one line on stderr and exit code 1.
int run(int argc, char** argv, const std::function<int(int, char**)>& body);

// A numbered section heading, so the printed output reads like the tutorial's sections.
void section(const std::string& title);

}  // namespace glassbox::lesson
