// Lesson 07: choosing a model by speed. For an assistant, two numbers matter: time to first token (how
// long before the answer starts: the prompt's prefill) and tokens per second afterwards (decode).
#include <cstdio>

#include "session/prompt.h"
#include "generate/generate.h"
#include "lesson.h"
#include "render/bar_chart.h"

using namespace glassbox;

namespace {

struct Task {
  const char* name;
  const char* prompt;
};

const Task kTasks[] = {
    {"summarize", "Summarize in one sentence: The meeting moved from Tuesday to Thursday because the room was "
                  "booked, and everyone should bring the quarterly report."},
    {"extract", "Extract the date and the city from this text: The conference opens on 12 May in Lisbon."},
    {"reply", "Write a short, polite reply to this email: Hi, could you send me the slides from yesterday?"},
};

struct Measurement {
  std::string model, task;
  double ttft_ms, tps, total_s, peak_gb;
};

std::vector<Measurement> measure(const lesson::Lesson& l, const std::filesystem::path& dir, int max_tokens) {
  const ModelFolder folder = lesson::open_model(l, dir);
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;
  std::vector<Measurement> rows;
  for (const Task& task : kTasks) {
    const std::vector<int32_t> ids = encode_message(tokenizer, task.prompt, tokenizer.has_chat_template());
    GenerationSettings settings;
    settings.max_tokens = max_tokens;
    settings.stop_ids = folder.stop_ids;
    const GenerationResult r = generate(model, ids, settings);
    rows.push_back({dir.filename().string(), task.name, r.prompt_seconds * 1e3, r.generation_tps(),
                    r.prompt_seconds + r.generation_seconds, r.peak_memory_gb});
    std::printf("%-14s %-10s prompt %4zu tokens, answer %4zu tokens: \"%.60s...\"\n", rows.back().model.c_str(),
                task.name, ids.size(), r.ids.size(), tokenizer.decode(r.ids, true).c_str());
  }
  return rows;
}

int speed(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "07_speed", "Time to first token, tokens/sec and memory per task.",
                         [](cxxopts::Options& o) {
                           o.add_options()
                               ("max-tokens", "tokens per answer", cxxopts::value<std::string>()->default_value("48"))
                               ("compare", "a second model folder", cxxopts::value<std::string>());
                         });
  if (!l) return 0;
  const int max_tokens = flag<int>(l->args, "max-tokens");

  lesson::section("1. Three assistant tasks");
  std::vector<Measurement> rows = measure(*l, l->model_dir, max_tokens);
  if (l->args.count("compare")) {
    const std::vector<Measurement> more = measure(*l, l->args["compare"].as<std::string>(), max_tokens);
    rows.insert(rows.end(), more.begin(), more.end());
  }

  lesson::section("2. The numbers");
  // Time to first token grows with the prompt; tokens/sec is set by how many weight bytes every token
  // must read. Peak memory is the process's, so a second model adds to the first.
  std::printf("| %-14s | %-10s | %10s | %8s | %8s | %8s |\n", "model", "task", "TTFT ms", "tok/s", "total s", "peak GB");
  std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(16, '-').c_str(), std::string(12, '-').c_str(),
              std::string(12, '-').c_str(), std::string(10, '-').c_str(), std::string(10, '-').c_str(),
              std::string(10, '-').c_str());
  render::BarChart chart;
  for (const Measurement& m : rows) {
    std::printf("| %-14s | %-10s | %10.1f | %8.1f | %8.3f | %8.3f |\n", m.model.c_str(), m.task.c_str(), m.ttft_ms,
                m.tps, m.total_s, m.peak_gb);
    chart.labels.push_back(m.model + " · " + m.task);
    chart.values.push_back(m.tps);
  }
  chart.format = render::ValueFormat::Number;
  chart.labels_are_tokens = false;
  chart.title = "Decode speed per task (tokens/sec, higher is better)";
  chart.subtitle = std::to_string(max_tokens) + " tokens at most per answer, greedy";
  lesson::save(*l, chart, "speed");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, speed); }
