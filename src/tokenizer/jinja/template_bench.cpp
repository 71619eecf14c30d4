// template-bench DIR: how long glassbox takes to render chat templates. DIR is ../shared's
// fixtures/chat-templates; for every template, every conversation of golden.jsonl that renders is rendered
// repeatedly. Prints per template the time to parse it once and to render one conversation (the mean over
// its conversations), then the slowest render of all.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "tokenizer/jinja/json.h"
#include "tokenizer/jinja/template.h"

namespace {

using namespace glassbox::jinja;
using Clock = std::chrono::steady_clock;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Mean microseconds per call of `f`, repeated for at least 50 ms.
template <typename F>
double microseconds_per_call(F f) {
  int n = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    f();
    ++n;
    elapsed = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  } while (elapsed < 50'000);
  return elapsed / n;
}

struct Case {
  Variables variables;
  std::optional<Moment> now;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: template-bench DIR   (DIR: ../shared/fixtures/chat-templates)\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::ifstream golden(dir + "/golden.jsonl");
  if (!golden) {
    std::fprintf(stderr, "error: %s/golden.jsonl: cannot open\n", dir.c_str());
    return 1;
  }
  std::map<std::string, std::vector<Case>> cases;
  for (std::string line; std::getline(golden, line);) {
    const auto g = nlohmann::ordered_json::parse(line);
    if (!g["error"].is_null()) continue;
    Case c;
    c.variables = {{"messages", from_json(g["messages"])}, {"tools", Value::none()}, {"documents", Value::none()},
                   {"add_generation_prompt", Value::boolean(g["add_generation_prompt"].get<bool>())}};
    for (const auto& [k, v] : g["special_tokens"].items()) c.variables.emplace_back(k, from_json(v));
    for (const auto& [k, v] : g["kwargs"].items()) c.variables.emplace_back(k, from_json(v));
    if (!g["strftime_now"].is_null()) c.now = Moment{};  // a fixed clock: no system call in the loop
    cases[g["template"]].push_back(std::move(c));
  }
  std::printf("%-38s %10s %12s\n", "template", "parse µs", "render µs");
  double slowest = 0;
  std::string slowest_name;
  for (const auto& [template_name, list] : cases) {
    const std::string& name = template_name;  // a plain reference, which lambdas may capture
    const std::string source = read_file(dir + "/templates/" + name + ".jinja");
    const double parse = microseconds_per_call([&] { Template::parse(source, name); });
    const Template t = Template::parse(source, name);
    double total = 0;
    for (const Case& c : list) {
      const double us = microseconds_per_call([&] { t.render(c.variables, c.now); });
      total += us;
      if (us > slowest) slowest = us, slowest_name = name;
    }
    std::printf("%-38s %10.1f %12.1f\n", name.c_str(), parse, total / double(list.size()));
  }
  std::printf("slowest render: %.1f µs (%s)\n", slowest, slowest_name.c_str());
  return 0;
}
