#include "tokenizer/bpe_model.h"

#include <cstdio>
#include <queue>

#include "base/error.h"
#include "tokenizer/json_fields.h"
#include "base/utf8.h"

namespace glassbox {
namespace {

// Words longer than this are not cached (they are rare, and would let one input fill the cache).
constexpr size_t kMaxCachedWordBytes = 64;
constexpr size_t kMaxCachedWords = 200000;

std::pair<std::string, std::string> parse_merge(const nlohmann::json& m, const std::string& where) {
  if (m.is_string()) {
    const std::string s = m.get<std::string>();
    const size_t space = s.find(' ');
    if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
      fail(where + ": merge \"" + s + "\" is not two tokens separated by one space");
    return {s.substr(0, space), s.substr(space + 1)};
  }
  if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string())
    return {m[0].get<std::string>(), m[1].get<std::string>()};
  fail(where + ": a merge is neither \"a b\" nor [\"a\", \"b\"]");
}

}  // namespace

BpeModel BpeModel::from_json(const nlohmann::json& model, const std::string& where) {
  using namespace json_fields;
  if (model.contains("type") && type_of(model, where) != "BPE") unsupported(where + ".type", type_of(model, where));
  if (model.contains("dropout") && !model.at("dropout").is_null() &&
      (!model.at("dropout").is_number() || model.at("dropout").get<double>() != 0.0))
    unsupported(where + ".dropout", "BPE dropout");
  BpeModel m;
  const auto& vocab = require(model, "vocab", where);
  if (!vocab.is_object()) fail(where + ".vocab: expected an object of token to id");
  int32_t max_id = -1;
  m.vocab_.reserve(vocab.size());
  for (const auto& [piece, id] : vocab.items()) {
    const int32_t i = token_id(id, where + ".vocab[\"" + piece + "\"]");
    m.vocab_.emplace(piece, i);
    max_id = std::max(max_id, i);
  }
  m.pieces_.resize(static_cast<size_t>(max_id + 1));
  m.has_piece_.resize(m.pieces_.size(), false);
  for (const auto& [piece, id] : m.vocab_) {
    m.pieces_[static_cast<size_t>(id)] = piece;
    m.has_piece_[static_cast<size_t>(id)] = true;
  }

  m.continuing_prefix_ = string_or(model, "continuing_subword_prefix", "", where);
  m.end_suffix_ = string_or(model, "end_of_word_suffix", "", where);
  m.byte_fallback_ = bool_or(model, "byte_fallback", false, where);
  m.fuse_unk_ = bool_or(model, "fuse_unk", false, where);
  m.ignore_merges_ = bool_or(model, "ignore_merges", false, where);
  const std::string unk = string_or(model, "unk_token", "", where);
  if (!unk.empty()) {
    const auto id = m.token_to_id(unk);
    if (!id) fail(where + ".unk_token: \"" + unk + "\" is not in the vocabulary");
    m.unk_id_ = id;
  }
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    m.byte_ids_[static_cast<size_t>(b)] = m.token_to_id(name).value_or(-1);
  }

  const auto& merges = list_at(model, "merges", where);
  m.merges_.reserve(merges.size());
  for (size_t rank = 0; rank < merges.size(); ++rank) {
    const std::string at = where + ".merges[" + std::to_string(rank) + "]";
    const auto [a, b] = parse_merge(merges[rank], at);
    const auto ia = m.token_to_id(a), ib = m.token_to_id(b);
    // With a continuing-subword prefix, the right part carries it but the merged token does not repeat it.
    const std::string merged =
        a + (b.rfind(m.continuing_prefix_, 0) == 0 ? b.substr(m.continuing_prefix_.size()) : b);
    const auto im = m.token_to_id(merged);
    if (!ia || !ib || !im) fail(at + ": \"" + a + " " + b + "\" uses a token that is not in the vocabulary");
    m.merges_.try_emplace(pair_key(*ia, *ib), Merge{static_cast<int32_t>(rank), *im});
  }
  return m;
}

std::optional<int32_t> BpeModel::token_to_id(std::string_view piece) const {
  const auto it = vocab_.find(piece);
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::id_to_token(int32_t id) const {
  if (id < 0 || id >= id_limit() || !has_piece_[static_cast<size_t>(id)]) return nullptr;
  return &pieces_[static_cast<size_t>(id)];
}

void BpeModel::tokenize(std::string_view word, std::vector<Token>& out) const {
  if (word.empty()) return;
  if (ignore_merges_) {
    if (const auto id = token_to_id(word)) {
      out.push_back({*id, 0, static_cast<uint32_t>(word.size())});
      return;
    }
  }
  const bool cacheable = word.size() <= kMaxCachedWordBytes;
  if (cacheable) {
    std::lock_guard lock(cache_->mutex);
    const auto it = cache_->words.find(word);
    if (it != cache_->words.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  const size_t first = out.size();
  merge_word(word, out);
  if (cacheable) {
    std::lock_guard lock(cache_->mutex);
    if (cache_->words.size() >= kMaxCachedWords) cache_->words.clear();
    cache_->words.emplace(std::string(word), std::vector<Token>(out.begin() + static_cast<long>(first), out.end()));
  }
}

void BpeModel::merge_word(std::string_view word, std::vector<Token>& out) const {
  // The word as a linked list of symbols, initially one per character (or per byte, with byte fallback).
  struct Symbol {
    int32_t id;
    int32_t prev, next;
    uint32_t begin, end;
  };
  std::vector<Symbol> symbols;
  std::string piece;
  for (size_t i = 0; i < word.size();) {
    const size_t begin = i;
    i += utf8::char_length(static_cast<unsigned char>(word[i]));
    const std::string_view c = word.substr(begin, i - begin);
    piece.clear();
    if (begin > 0) piece += continuing_prefix_;
    piece += c;
    if (i == word.size()) piece += end_suffix_;
    const auto push = [&](int32_t id, size_t b, size_t e) {
      const auto n = static_cast<int32_t>(symbols.size());
      symbols.push_back({id, n - 1, n + 1, static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
    };
    if (const auto id = token_to_id(piece)) {
      push(*id, begin, i);
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (size_t k = begin; k < i; ++k) all = all && byte_ids_[static_cast<unsigned char>(word[k])] >= 0;
      if (all) {
        for (size_t k = begin; k < i; ++k) push(byte_ids_[static_cast<unsigned char>(word[k])], k, k + 1);
        continue;
      }
    }
    if (!unk_id_) continue;  // as Hugging Face does: an unknown character without <unk> is dropped
    if (fuse_unk_ && !symbols.empty() && symbols.back().id == *unk_id_) symbols.back().end = static_cast<uint32_t>(i);
    else push(*unk_id_, begin, i);
  }
  if (symbols.empty()) return;
  symbols.back().next = -1;

  // Always merge the pair of lowest rank, leftmost first; stale queue entries are skipped when popped.
  struct Candidate {
    int32_t rank, left, id;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
  const auto consider = [&](int32_t left) {
    if (left < 0 || symbols[static_cast<size_t>(left)].next < 0) return;
    const Symbol& l = symbols[static_cast<size_t>(left)];
    const auto it = merges_.find(pair_key(l.id, symbols[static_cast<size_t>(l.next)].id));
    if (it != merges_.end()) queue.push({it->second.rank, left, it->second.id});
  };
  for (int32_t k = 0; k + 1 < static_cast<int32_t>(symbols.size()); ++k) consider(k);
  while (!queue.empty()) {
    const Candidate c = queue.top();
    queue.pop();
    Symbol& l = symbols[static_cast<size_t>(c.left)];
    if (l.end == l.begin || l.next < 0) continue;  // merged away, or nothing to its right any more
    const Symbol& r = symbols[static_cast<size_t>(l.next)];
    const auto it = merges_.find(pair_key(l.id, r.id));
    if (it == merges_.end() || it->second.id != c.id) continue;
    const int32_t right = l.next;
    l.id = c.id;
    l.end = r.end;
    l.next = r.next;
    symbols[static_cast<size_t>(right)].end = symbols[static_cast<size_t>(right)].begin;  // marks it dead
    if (l.next >= 0) symbols[static_cast<size_t>(l.next)].prev = c.left;
    consider(l.prev);
    consider(c.left);
  }
  for (int32_t k = 0; k >= 0; k = symbols[static_cast<size_t>(k)].next) {
    const Symbol& s = symbols[static_cast<size_t>(k)];
    out.push_back({s.id, s.begin, s.end});
  }
}

}  // namespace glassbox
