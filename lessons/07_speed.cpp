// Lesson 07: choosing a model by speed. For an assistant, two numbers matter: time to first token (how
// long before the answer starts: the prompt's prefill) and tokens per second afterwards (decode). A server
// answers many people at once: batching N sequences into one decode step trades memory for throughput.
#include <cstdio>

#include "session/prompt.h"
#include "generate/generate.h"
#include "lesson.h"
#include "render/bar_chart.h"
#include "render/line_chart.h"

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

  lesson::section("3. Batch size: N answers in one decode step");
  // Decoding one sequence reads every weight once per token and does little arithmetic with it. With N
  // sequences in one step (Model::decode_batch) each weight read serves N rows, so tokens/sec grows with N
  // until arithmetic, not memory, is the limit. What grows instead is the KV cache: one per sequence.
  const ModelFolder folder = lesson::open_model(*l);
  const std::vector<int32_t> ids = encode_message(*folder.tokenizer, kTasks[0].prompt, folder.tokenizer->has_chat_template());
  GenerationSettings settings;
  settings.max_tokens = max_tokens;  // no stop ids: every sequence runs the same length
  render::LineChart throughput, memory;
  throughput.series.push_back({"all sequences together", {}, {}});
  memory.series.push_back({"peak memory of the process", {}, {}});
  std::printf("| %5s | %12s | %16s | %8s |\n", "batch", "tok/s (all)", "tok/s (each seq)", "peak GB");
  std::printf("|-------|--------------|------------------|----------|\n");
  for (int n : {1, 2, 4, 8, 16}) {
    const BatchResult r = generate_batch(folder.model, std::vector<std::vector<int32_t>>(size_t(n), ids), settings);
    std::printf("| %5d | %12.1f | %16.1f | %8.3f |\n", n, r.generation_tps(), r.generation_tps() / n, r.peak_memory_gb);
    for (render::LineChart* c : {&throughput, &memory}) c->series[0].x.push_back(n);
    throughput.series[0].y.push_back(r.generation_tps());
    memory.series[0].y.push_back(r.peak_memory_gb);
  }
  throughput.title = "Decode throughput vs batch size";
  throughput.subtitle = "N copies of the summarize prompt decoded together, " + std::to_string(max_tokens) + " tokens each";
  throughput.x_label = "batch size (sequences per decode step)";
  throughput.y_label = "tokens/sec, all sequences";
  memory.title = "Memory vs batch size";
  memory.subtitle = "each sequence keeps its own KV cache; the weights are shared";
  memory.x_label = throughput.x_label;
  memory.y_label = "peak memory (GB)";
  memory.y_from_zero = true;  // the growth is small next to what the weights take
  for (render::LineChart* c : {&throughput, &memory}) c->markers = true;
  lesson::save(*l, throughput, "batch_throughput");
  lesson::save(*l, memory, "batch_memory");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, speed); }
