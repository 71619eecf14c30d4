#pragma once
// Decoding drawn as a search: the K most likely next tokens of every node, expanded to depth D, and the
// paths three decoders take through that tree. Greedy follows the most likely child at each step; beam
// search keeps the B best partial sequences by total log-probability; the most likely sequence is the leaf
// with the highest total log-probability. Greedy's early choice often loses to a sequence that starts with a
// less likely token.
#include <cstdint>
#include <span>
#include <vector>

#include "model/model.h"

namespace glassbox {

struct SearchNode {
  int32_t token = -1;    // -1 for the root (the prompt)
  int parent = -1;
  int depth = 0;
  double prob = 1;       // p(token | prompt and the path to the parent)
  double logprob = 0;    // total log-probability of the path from the root
  std::vector<int> children;  // most likely first
};

struct SearchTree {
  std::vector<SearchNode> nodes;  // nodes[0] is the root; parents come before their children
  int depth = 0, k = 0;

  std::vector<int> path_to(int node) const;              // root first
  std::vector<int32_t> tokens_to(int node) const;        // the tokens along path_to(node), root excluded
  std::vector<int> leaves_by_logprob() const;            // the leaves, most likely first
  int find(const std::vector<int32_t>& tokens) const;    // the node these tokens lead to from the root, or -1
};

// K + K^2 + ... + K^D, or -1 when it exceeds `limit`.
int64_t tree_nodes(int depth, int k, int64_t limit);

// Expands the tree after `prompt`: every node above depth D gets its K most likely next tokens. Fails with an
// error naming --max-nodes when the tree would hold more than max_nodes nodes (the root not counted).
SearchTree expand_tree(const Model& model, std::span<const int32_t> prompt, int depth, int k, int64_t max_nodes);

// Each returns the leaf it ends at.
int greedy_leaf(const SearchTree& tree);
int beam_leaf(const SearchTree& tree, int width);  // width <= k: the tree then holds every beam candidate
int most_likely_leaf(const SearchTree& tree);

}  // namespace glassbox
