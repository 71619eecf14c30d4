// Lesson 13: measuring and decoding. Perplexity says how surprised a model is by a text; a search tree shows
// why greedy decoding misses likelier sequences, and where beam search and sampling go instead; an evaluation
// run measures answers, time and memory over many prompts.
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>

#include "base/visible_text.h"
#include "eval/eval_run.h"
#include "eval/perplexity.h"
#include "generate/search_tree.h"
#include "lesson.h"
#include "render/bar_chart.h"
#include "render/tree_chart.h"

using namespace glassbox;

namespace {

// Written for this lesson, so no model has seen it: in the style of the demo model's corpus, not from it.
const char* kHeldOut =
    "The farmer rose early in the morning and went out to his field. He looked at the sky and said to his son, "
    "The rain will come before evening, so let us bring in the wheat. And they worked together until the sun was "
    "low, and the barn was full, and they gave thanks and rested.";

// The same words in a shuffled order (our own Fisher-Yates, so every platform shuffles alike).
std::string shuffle_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words{std::istream_iterator<std::string>(in), {}};
  std::mt19937_64 rng(1);
  for (size_t i = words.size() - 1; i > 0; --i) std::swap(words[i], words[rng() % (i + 1)]);
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string tokens_text(const Tokenizer& tokenizer, const std::vector<int32_t>& ids) {
  std::string s;
  for (int32_t id : ids) s += tokenizer.display(id);
  return s;
}

struct Question {
  const char* id;
  const char* prompt;
  const char* expected;
};

const Question kQuestions[] = {
    {"genesis", "In the beginning God created the heaven and the", "earth"},
    {"light", "And God said, Let there be light: and there was", "light"},
    {"shepherd", "The LORD is my", "shepherd"},
    {"commandment", "Thou shalt not", "steal"},
    {"bore", "BORE, n. A person who talks when you wish him to", "listen"},
    {"byte", "byte, n. A unit of information consisting of eight", "bits"},
};

int decoding(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "13_decoding", "Perplexity, decoding as a search tree, and an evaluation run.",
                         lesson::prompt_flag("the prompt the tree grows from", "In the beginning God"));
  if (!l) return 0;
  const ModelFolder folder = lesson::open_model(*l);
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;

  lesson::section("1. Perplexity: a text the model has never seen, and the same words shuffled");
  // exp(mean negative log-probability per token): how many tokens the model is, on average, choosing between.
  const int64_t context = std::min<int64_t>(512, model.config().max_positions);
  render::BarChart bars;
  for (const auto& [name, text] : {std::pair{"held-out text", std::string(kHeldOut)},
                                   std::pair{"same words, shuffled", shuffle_words(kHeldOut)}}) {
    const PerplexityResult r = perplexity(model, lesson::encode(tokenizer, text), context, context);
    std::printf("%-22s %3lld tokens scored, nll %.3f nats/token, perplexity %7.2f ± %.2f\n", name,
                (long long)r.tokens, r.nll, r.ppl, r.ppl_se);
    bars.labels.push_back(name);
    bars.values.push_back(r.ppl);
  }
  bars.format = render::ValueFormat::Number;
  bars.labels_are_tokens = false;
  bars.title = "Perplexity of a held-out text and of its words shuffled (lower: less surprised)";
  lesson::save(*l, bars, "perplexity");

  lesson::section("2. Greedy, beam search and sampling on one search tree");
  const std::string prompt = l->args["prompt"].as<std::string>();
  const std::vector<int32_t> ids = lesson::encode(tokenizer, prompt);
  constexpr int kDepth = 4, kK = 3, kBeam = 2;
  const SearchTree tree = expand_tree(model, ids, kDepth, kK, 1000);
  const int greedy = greedy_leaf(tree), beam = beam_leaf(tree, kBeam), best = most_likely_leaf(tree);
  const std::vector<int> ranked = tree.leaves_by_logprob();
  for (const auto& [who, leaf] : {std::pair{"greedy", greedy}, std::pair{"beam search (2)", beam}, std::pair{"most likely", best}}) {
    const int rank = int(std::find(ranked.begin(), ranked.end(), leaf) - ranked.begin()) + 1;
    std::printf("%-16s log-prob %7.3f, rank %2d of %zu: %s\n", who, tree.nodes[size_t(leaf)].logprob, rank,
                ranked.size(), tokens_text(tokenizer, tree.tokens_to(leaf)).c_str());
  }
  // Sampling draws each token from the whole distribution, not only from the top 3 the tree holds.
  std::printf("\nsampled at temperature 1:\n");
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    GenerationSettings s;
    s.max_tokens = kDepth;
    s.sampler.temperature = 1.0f;
    s.sampler.seed = seed;
    const std::vector<int32_t> drawn = generate(model, ids, s).ids;
    std::vector<int32_t> all = ids;
    all.insert(all.end(), drawn.begin(), drawn.end());
    double logprob = 0;
    for (double nll : token_nlls(model, all, int64_t(ids.size()))) logprob -= nll;
    const int node = tree.find(drawn);
    const std::string where = node < 0 || tree.nodes[size_t(node)].depth < kDepth
                                  ? "outside the tree"
                                  : "rank " + std::to_string(std::find(ranked.begin(), ranked.end(), node) - ranked.begin() + 1);
    std::printf("  seed %llu: log-prob %7.3f, %-16s %s\n", (unsigned long long)seed, logprob, (where + ":").c_str(),
                tokens_text(tokenizer, drawn).c_str());
  }
  render::TreeChart chart;
  chart.nodes.push_back({-1, prompt, 0});
  for (size_t i = 1; i < tree.nodes.size(); ++i)
    chart.nodes.push_back({tree.nodes[i].parent, tokenizer.token_bytes(tree.nodes[i].token), tree.nodes[i].prob});
  chart.paths = {{"greedy", tree.path_to(greedy)}, {"beam search (width 2)", tree.path_to(beam)},
                 {"most likely", tree.path_to(best)}};
  chart.title = "Three decoders on one tree: top 3 next tokens per node, 4 deep";
  chart.subtitle = "Edges carry p(token | prompt and path so far)";
  lesson::save(*l, chart, "tree", prompt);

  lesson::section("3. A small evaluation run");
  GenerationSettings settings;
  settings.max_tokens = 8;
  settings.stop_ids = folder.stop_ids;
  std::vector<nlohmann::json> records;
  for (const Question& q : kQuestions) {
    EvalSample sample;
    sample.id = q.id;
    sample.expected = q.expected;
    sample.prompt_ids = lesson::encode(tokenizer, q.prompt);  // plain text: the model continues it
    records.push_back(run_eval_sample(model, tokenizer, sample, settings));
    const nlohmann::json& r = records.back();
    std::printf("%-12s expected %-10s contains: %-3s output: %s\n", q.id, q.expected, r["contains"].get<bool>() ? "yes" : "no",
                visible_token(r["output"].get<std::string>()).c_str());
  }
  std::printf("\n%s", format_summary(summarize(records)).c_str());
  lesson::save(*l, time_chart(records), "eval_time");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, decoding); }
