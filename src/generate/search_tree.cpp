#include "generate/search_tree.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "generate/sampler.h"

namespace glassbox {
namespace {

// Adds the K most likely continuations of `node` (whose path is already in `cache`, with `logits` its
// next-token scores), then expands each child from a copy of the cache: one decode step per node.
void expand(const Model& model, SearchTree& tree, int node, const KVCache& cache, const std::vector<float>& logits) {
  const std::vector<double> p = softmax(logits);
  for (int32_t id : top_indices(p, size_t(tree.k))) {
    SearchNode child;
    child.token = id;
    child.parent = node;
    child.depth = tree.nodes[size_t(node)].depth + 1;
    child.prob = p[size_t(id)];
    child.logprob = tree.nodes[size_t(node)].logprob + std::log(child.prob);
    tree.nodes[size_t(node)].children.push_back(int(tree.nodes.size()));
    tree.nodes.push_back(child);
  }
  const std::vector<int> children = tree.nodes[size_t(node)].children;
  for (int c : children) {
    if (tree.nodes[size_t(c)].depth == tree.depth) continue;
    KVCache branch = cache;
    const int32_t token = tree.nodes[size_t(c)].token;
    expand(model, tree, c, branch, model.forward(std::span<const int32_t>(&token, 1), branch));
  }
}

}  // namespace

std::vector<int> SearchTree::path_to(int node) const {
  std::vector<int> path;
  for (int n = node; n >= 0; n = nodes[size_t(n)].parent) path.push_back(n);
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<int32_t> SearchTree::tokens_to(int node) const {
  std::vector<int32_t> ids;
  for (int n : path_to(node))
    if (n != 0) ids.push_back(nodes[size_t(n)].token);
  return ids;
}

std::vector<int> SearchTree::leaves_by_logprob() const {
  std::vector<int> leaves;
  for (size_t i = 1; i < nodes.size(); ++i)
    if (nodes[i].children.empty()) leaves.push_back(int(i));
  std::stable_sort(leaves.begin(), leaves.end(),
                   [&](int a, int b) { return nodes[size_t(a)].logprob > nodes[size_t(b)].logprob; });
  return leaves;
}

int SearchTree::find(const std::vector<int32_t>& tokens) const {
  int node = 0;
  for (int32_t id : tokens) {
    const std::vector<int>& c = nodes[size_t(node)].children;
    const auto next = std::find_if(c.begin(), c.end(), [&](int n) { return nodes[size_t(n)].token == id; });
    if (next == c.end()) return -1;
    node = *next;
  }
  return node;
}

int64_t tree_nodes(int depth, int k, int64_t limit) {
  int64_t total = 0, level = 1;
  for (int d = 1; d <= depth; ++d) {
    if (level > limit / k) return -1;
    level *= k;
    total += level;
    if (total > limit) return -1;
  }
  return total;
}

SearchTree expand_tree(const Model& model, std::span<const int32_t> prompt, int depth, int k, int64_t max_nodes) {
  if (depth < 1) fail("--depth must be at least 1");
  if (k < 1) fail("--k must be at least 1");
  if (k > model.config().vocab) fail("--k must be at most the vocabulary size (" + std::to_string(model.config().vocab) + ")");
  if (max_nodes < 1) fail("--max-nodes must be at least 1");
  if (tree_nodes(depth, k, max_nodes) < 0)
    fail("--max-nodes: a tree of depth " + std::to_string(depth) + " with " + std::to_string(k) +
         " children per node has more than " + std::to_string(max_nodes) + " nodes; lower --depth or --k, or raise --max-nodes");
  if (prompt.empty()) fail("the prompt is empty");
  const int64_t length = int64_t(prompt.size()) + depth - 1;  // the deepest expanded node's path
  if (length > model.config().max_positions)
    fail("prompt of " + std::to_string(prompt.size()) + " tokens plus --depth " + std::to_string(depth) +
         " is longer than the model's context (max_position_embeddings = " + std::to_string(model.config().max_positions) + ")");
  SearchTree tree;
  tree.depth = depth;
  tree.k = k;
  tree.nodes.push_back(SearchNode{});
  KVCache cache = model.new_cache(length);
  const std::vector<float> logits = model.forward(prompt, cache);
  expand(model, tree, 0, cache, logits);
  return tree;
}

int greedy_leaf(const SearchTree& tree) {
  int node = 0;
  while (!tree.nodes[size_t(node)].children.empty()) node = tree.nodes[size_t(node)].children.front();
  return node;
}

int beam_leaf(const SearchTree& tree, int width) {
  if (width < 1 || width > tree.k)
    fail("--beam must be between 1 and --k (" + std::to_string(tree.k) + "): the tree holds only the top " +
         std::to_string(tree.k) + " continuations of each node");
  const auto better = [&](int a, int b) { return tree.nodes[size_t(a)].logprob > tree.nodes[size_t(b)].logprob; };
  std::vector<int> beams = {0};
  for (int d = 0; d < tree.depth; ++d) {
    std::vector<int> candidates;
    for (int b : beams)
      for (int c : tree.nodes[size_t(b)].children) candidates.push_back(c);
    std::stable_sort(candidates.begin(), candidates.end(), better);
    candidates.resize(std::min(candidates.size(), size_t(width)));
    beams = std::move(candidates);
  }
  return beams.front();
}

int most_likely_leaf(const SearchTree& tree) { return tree.leaves_by_logprob().front(); }

}  // namespace glassbox
