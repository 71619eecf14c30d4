// glassbox tree: the K most likely continuations of every node to depth D, drawn as a tree with the paths of
// greedy decoding, beam search and the most likely sequence marked, and the sequences ranked by total
// log-probability: greedy's locally best first step is often not the start of the best sequence.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "generate/search_tree.h"
#include "render/tree_chart.h"
#include "session/options.h"
#include "session/prompt.h"

namespace glassbox::cli {
namespace {

// The end of the prompt, for the root of the figure: what the first tokens continue.
std::string prompt_tail(const Prompt& prompt) {
  constexpr size_t kBytes = 24;
  const std::string text = prompt.tokenizer ? prompt.tokenizer->decode(prompt.ids, /*skip_special=*/true) : prompt.decode(prompt.ids);
  if (text.size() <= kBytes) return text;
  size_t start = text.size() - kBytes;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;  // a whole character
  return "…" + text.substr(start);
}

std::string sequence_text(const Prompt& prompt, const SearchTree& tree, int leaf) {
  std::string text;
  for (int32_t id : tree.tokens_to(leaf)) text += prompt.display(id);
  return text;
}

nlohmann::json path_json(const Prompt& prompt, const SearchTree& tree, int leaf) {
  return {{"ids", tree.tokens_to(leaf)}, {"text", prompt.decode(tree.tokens_to(leaf))},
          {"logprob", tree.nodes[size_t(leaf)].logprob}};
}

}  // namespace

int run_tree(int argc, char** argv) {
  auto options = make_options("tree", "The top-K continuations of a prompt as a search tree, with greedy, beam and most likely paths.");
  add_model_option(options);
  add_prompt_options(options);
  options.add_options()
      ("depth", "tokens deep", cxxopts::value<std::string>()->default_value("4"))
      ("k", "continuations expanded per node", cxxopts::value<std::string>()->default_value("3"))
      ("beam", "beam width (at most --k)", cxxopts::value<std::string>()->default_value("2"))
      ("max-nodes", "refuse trees with more nodes than this", cxxopts::value<std::string>()->default_value("1000"))
      ("show", "how many ranked sequences to print", cxxopts::value<std::string>()->default_value("10"))
      ("figure", "the tree figure, .png or .svg", cxxopts::value<std::string>()->default_value("tree.png"))
      ("json", "print the whole tree as JSON");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  const int depth = flag<int>(*args, "depth"), k = flag<int>(*args, "k"), beam = flag<int>(*args, "beam");
  const int64_t max_nodes = flag<int64_t>(*args, "max-nodes");
  const int show = flag<int>(*args, "show");
  if (show < 0) fail("--show must be >= 0");
  if (beam < 1 || beam > k) fail("--beam must be between 1 and --k (" + std::to_string(k) + ")");
  int64_t leaves = 1;  // k^depth, counted only as far as the figure's limit
  for (int d = 0; d < depth && leaves <= render::kMaxTreeLeaves; ++d) leaves *= k;
  if (depth >= 1 && k >= 1 && tree_nodes(depth, k, max_nodes) >= 0 && leaves > render::kMaxTreeLeaves)
    fail("--depth " + std::to_string(depth) + " --k " + std::to_string(k) + ": more than " +
         std::to_string(render::kMaxTreeLeaves) + " leaves are too many to draw");

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const Prompt prompt = resolve_prompt(folder, *args);
  const SearchTree tree = expand_tree(model, prompt.ids, depth, k, max_nodes);
  const int greedy = greedy_leaf(tree), beamed = beam_leaf(tree, beam), best = most_likely_leaf(tree);
  const std::vector<int> ranked = tree.leaves_by_logprob();
  const auto rank_of = [&](int leaf) { return int(std::find(ranked.begin(), ranked.end(), leaf) - ranked.begin()) + 1; };

  render::TreeChart chart;
  chart.nodes.push_back({-1, prompt_tail(prompt), 0});
  for (size_t i = 1; i < tree.nodes.size(); ++i)
    chart.nodes.push_back({tree.nodes[i].parent, prompt.tokenizer ? prompt.tokenizer->token_bytes(tree.nodes[i].token)
                                                                  : prompt.decode({tree.nodes[i].token}),
                           tree.nodes[i].prob});
  chart.paths = {{"greedy", tree.path_to(greedy)},
                 {"beam search (width " + std::to_string(beam) + ")", tree.path_to(beamed)},
                 {"most likely in the tree", tree.path_to(best)}};
  chart.title = "Decoding tree: top " + std::to_string(k) + " next tokens per node, " + std::to_string(depth) + " deep";
  chart.subtitle = "Edges carry p(token | prompt and path so far); " + std::to_string(tree.nodes.size() - 1) + " nodes";
  render::Provenance provenance{model.config().dir.string(), prompt.decode(prompt.ids), "glassbox", {}};
  for (int i = 0; i < argc; ++i) provenance.command_line += " " + std::string(argv[i]);
  const std::string figure = (*args)["figure"].as<std::string>();
  render::save(chart, figure, provenance);

  if (args->count("json")) {
    nlohmann::json nodes = nlohmann::json::array(), sequences = nlohmann::json::array();
    for (size_t i = 1; i < tree.nodes.size(); ++i) {
      const SearchNode& n = tree.nodes[i];
      nodes.push_back({{"index", i}, {"parent", n.parent}, {"depth", n.depth}, {"id", n.token},
                       {"token", prompt.decode({n.token})}, {"prob", n.prob}, {"logprob", n.logprob}});
    }
    for (int leaf : ranked) sequences.push_back(path_json(prompt, tree, leaf));
    const nlohmann::json out = {{"prompt_ids", prompt.ids}, {"depth", depth}, {"k", k}, {"beam", beam},
                                {"nodes", nodes}, {"greedy", path_json(prompt, tree, greedy)},
                                {"beam_search", path_json(prompt, tree, beamed)},
                                {"most_likely", path_json(prompt, tree, best)}, {"sequences", sequences},
                                {"figure", figure}};
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("%zu nodes: the top %d next tokens of every node, %d deep, after %zu prompt tokens\n\n",
              tree.nodes.size() - 1, k, depth, prompt.ids.size());
  // The sequence comes last: visible whitespace takes several bytes per column, so it would not pad evenly.
  std::printf("%4s  %9s  %9s  %-12s  %s\n", "rank", "log-prob", "prob", "found by", "sequence");
  for (size_t r = 0; r < ranked.size() && int(r) < show; ++r) {
    const int leaf = ranked[r];
    std::string marks;
    for (const auto& [who, at] : {std::pair{"greedy", greedy}, std::pair{"beam", beamed}})
      if (leaf == at) marks += std::string(marks.empty() ? "" : ", ") + who;
    std::printf("%4zu  %9.4f  %8.4f%%  %-12s  %s\n", r + 1, tree.nodes[size_t(leaf)].logprob,
                100 * std::exp(tree.nodes[size_t(leaf)].logprob), marks.c_str(), sequence_text(prompt, tree, leaf).c_str());
  }
  std::printf("\n");
  for (const auto& [who, leaf] : {std::pair{"greedy", greedy}, std::pair{"beam search", beamed}, std::pair{"most likely", best}})
    std::printf("%-12s log-prob %8.4f, rank %3d of %zu: %s\n", who, tree.nodes[size_t(leaf)].logprob, rank_of(leaf),
                ranked.size(), sequence_text(prompt, tree, leaf).c_str());
  std::printf("figure: %s\n", figure.c_str());
  return 0;
}

}  // namespace glassbox::cli
