#include "session/options.h"

#include <charconv>
#include <cstdio>
#include <set>

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

namespace {

// cxxopts only accepts one-letter flags in short form (-k); users write --k and --k=3 like the other flags.
// Only a token in a flag's place is rewritten, never the value of the flag before it (--prompt '-->').
std::vector<std::string> long_one_letter_flags(const cxxopts::Options& options, int argc, char** argv) {
  std::set<std::string> with_value, one_letter;
  for (const std::string& group : options.groups())
    for (const cxxopts::HelpOptionDetails& o : options.group_help(group).options) {
      const bool takes_value = !o.is_boolean && !o.has_implicit;
      if (!o.s.empty()) {
        one_letter.insert(o.s);
        if (takes_value) with_value.insert(o.s);
      }
      for (const std::string& l : o.l)
        if (takes_value) with_value.insert(l);
    }
  std::vector<std::string> out{argv[0]};
  bool value_next = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (value_next || a == "--") {
      out.push_back(a);
      if (a == "--") out.insert(out.end(), argv + i + 1, argv + argc);
      if (a == "--") break;
      value_next = false;
      continue;
    }
    const bool long_form = a.rfind("--", 0) == 0, short_form = !long_form && a.size() == 2 && a[0] == '-';
    const size_t eq = a.find('=');
    const std::string name = long_form ? a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2)
                             : short_form ? a.substr(1)
                                          : "";
    if (long_form && name.size() == 1 && one_letter.count(name)) {
      out.push_back("-" + name);
      if (eq != std::string::npos) out.push_back(a.substr(eq + 1));
      else value_next = with_value.count(name) > 0;
      continue;
    }
    out.push_back(a);
    value_next = (long_form || short_form) && eq == std::string::npos && with_value.count(name) > 0;
  }
  return out;
}

}  // namespace

std::optional<cxxopts::ParseResult> parse_options(cxxopts::Options& options, int argc, char** argv) {
  std::vector<std::string> storage = long_one_letter_flags(options, argc, argv);
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
