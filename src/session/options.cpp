#include "session/options.h"

#include <charconv>
#include <cstdio>

#include "base/error.h"
#include "session/shared_paths.h"

namespace glassbox {

cxxopts::Options make_options(const std::string& command, const std::string& description) {
  cxxopts::Options options("glassbox " + command, description);
  options.add_options()("h,help", "show this help");
  return options;
}

void add_model_option(cxxopts::Options& options) {
  options.add_options()("model", "Hugging Face checkpoint directory (default: the demo model)", cxxopts::value<std::string>());
}

std::optional<cxxopts::ParseResult> parse_options(cxxopts::Options& options, int argc, char** argv) {
  // cxxopts only accepts one-letter flags in short form (-k); users write --k like the other flags.
  std::vector<std::string> storage(argv, argv + argc);
  for (std::string& a : storage)
    if (a.size() >= 3 && a.rfind("--", 0) == 0 && (a.size() == 3 || a[3] == '=')) a.erase(0, 1);
  std::vector<char*> rewritten;
  for (std::string& a : storage) rewritten.push_back(a.data());
  cxxopts::ParseResult args = options.parse(int(rewritten.size()), rewritten.data());
  if (args.count("help")) {
    std::fputs(options.help().c_str(), stdout);
    return std::nullopt;
  }
  if (!args.unmatched().empty()) fail("unexpected argument '" + args.unmatched().front() + "'");
  return args;
}

std::filesystem::path model_dir(const cxxopts::ParseResult& args) {
  return args.count("model") ? std::filesystem::path(args["model"].as<std::string>()) : default_model_dir();
}

std::vector<int32_t> parse_id_list(const std::string& text, const std::string& flag) {
  std::vector<int32_t> ids;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    while (p < end && *p == ' ') ++p;
    int32_t id = 0;
    const auto [next, ec] = std::from_chars(p, end, id);
    if (ec != std::errc() || next == p) fail(flag + ": expected comma-separated token ids, got '" + text + "'");
    ids.push_back(id);
    p = next;
    while (p < end && *p == ' ') ++p;
    if (p < end && *p++ != ',') fail(flag + ": expected comma-separated token ids, got '" + text + "'");
  }
  if (ids.empty()) fail(flag + ": no token ids given");
  return ids;
}

}  // namespace glassbox
