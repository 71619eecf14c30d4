#include "tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "base/error.h"
#include "tokenizer/added_tokens.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/decoder.h"
#include "tokenizer/json_fields.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/post_processor.h"
#include "tokenizer/pre_tokenizer.h"
#include "base/visible_text.h"
#include "base/utf8.h"

namespace glassbox {

struct Tokenizer::Impl {
  BpeModel model;
  Normalizer normalizer;
  PreTokenizer pre_tokenizer;
  AddedTokens added;
  PostProcessor post_processor;
  Decoder decoder;

  std::vector<std::string> pieces;  // by id: the vocabulary entry or added token content
  std::vector<bool> special;        // by id
  std::vector<bool> added_id;       // by id: an added token (decoded as its content)
  StringIdMap added_by_content;
  std::optional<ChatTemplate> chat;
  std::string chat_error;  // why a template that exists cannot be rendered (reported when it is used)
  std::optional<int32_t> bos;
  std::vector<int32_t> eos;

  std::vector<EncodedToken> encode(std::string_view text, bool add_special) const;
  void parse(const nlohmann::json& j, const std::string& name);  // the components of tokenizer.json
  bool valid(int32_t id) const { return id >= 0 && static_cast<size_t>(id) < pieces.size(); }
};

namespace {

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path.string() + ": cannot open");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    fail(path.string() + ": not valid JSON (" + e.what() + ")");
  }
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path.string() + ": cannot open");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// tokenizer_config.json gives tokens as a string or as {"content": ...}.
std::string config_token(const nlohmann::json& config, const std::string& key) {
  if (!config.contains(key)) return {};
  const auto& v = config.at(key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.contains("content") && v.at("content").is_string()) return v.at("content").get<std::string>();
  return {};
}

std::string config_template(const nlohmann::json& config, const std::filesystem::path& path) {
  if (!config.contains("chat_template") || config.at("chat_template").is_null()) return {};
  const auto& t = config.at("chat_template");
  if (t.is_string()) return t.get<std::string>();
  if (t.is_array())  // named templates: [{"name": "default", "template": "..."}, ...]
    for (const auto& named : t)
      if (named.value("name", "") == "default" && named.contains("template")) return named.at("template").get<std::string>();
  fail(path.string() + ": chat_template is neither a string nor a list with a \"default\" template");
}

}  // namespace

Tokenizer Tokenizer::load(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / "tokenizer.json";
  if (!std::filesystem::exists(file)) fail(file.string() + ": not found (a model directory needs tokenizer.json)");
  const nlohmann::json j = read_json(file);
  const std::string name = file.string();
  auto impl = std::make_shared<Impl>();
  try {
    impl->parse(j, name);
  } catch (const nlohmann::json::exception& e) {
    // A field of the wrong JSON type deep inside a component.
    fail(name + ": unexpected value (" + e.what() + ")");
  }
  return finish_load(dir, impl);
}

void Tokenizer::Impl::parse(const nlohmann::json& j, const std::string& name) {
  const auto field = [&](const char* key) -> const nlohmann::json& {
    static const nlohmann::json null;
    return j.contains(key) ? j.at(key) : null;
  };
  model = BpeModel::from_json(json_fields::require(j, "model", name), name + " model");
  normalizer = parse_normalizer(field("normalizer"), name + " normalizer");
  pre_tokenizer = parse_pre_tokenizer(field("pre_tokenizer"), name + " pre_tokenizer");
  post_processor = PostProcessor::parse(field("post_processor"), name + " post_processor");
  decoder = Decoder::parse(field("decoder"), name + " decoder");
  added = AddedTokens(field("added_tokens"), normalizer, name + " added_tokens");

  int32_t limit = model.id_limit();
  for (const AddedToken& a : added.tokens()) limit = std::max(limit, a.id + 1);
  pieces.resize(static_cast<size_t>(limit));
  special.resize(static_cast<size_t>(limit), false);
  added_id.resize(static_cast<size_t>(limit), false);
  for (int32_t id = 0; id < model.id_limit(); ++id)
    if (const std::string* p = model.id_to_token(id)) pieces[static_cast<size_t>(id)] = *p;
  for (const AddedToken& a : added.tokens()) {
    if (a.id < 0) fail(name + " added_tokens: negative id for \"" + a.content + "\"");
    pieces[static_cast<size_t>(a.id)] = a.content;
    special[static_cast<size_t>(a.id)] = a.special;
    added_id[static_cast<size_t>(a.id)] = true;
    added_by_content[a.content] = a.id;
  }
}

Tokenizer Tokenizer::finish_load(const std::filesystem::path& dir, std::shared_ptr<Impl> impl) {
  Tokenizer t;
  t.impl_ = impl;
  nlohmann::json config = nlohmann::json::object();
  const std::filesystem::path config_path = dir / "tokenizer_config.json";
  if (std::filesystem::exists(config_path)) config = read_json(config_path);
  const std::string bos = config_token(config, "bos_token"), eos = config_token(config, "eos_token");
  if (!bos.empty()) impl->bos = t.piece_to_id(bos);
  if (!eos.empty()) {
    const auto id = t.piece_to_id(eos);
    if (!id) fail(config_path.string() + ": eos_token \"" + eos + "\" is not in the vocabulary");
    impl->eos.push_back(*id);
  }
  // transformers prefers chat_template.jinja over the template inside tokenizer_config.json.
  const std::filesystem::path jinja_path = dir / "chat_template.jinja";
  const std::string jinja = std::filesystem::exists(jinja_path) ? read_text(jinja_path)
                                                                 : config_template(config, config_path);
  if (!jinja.empty()) {
    try {
      impl->chat = ChatTemplate::recognize(jinja, bos);
    } catch (const Error& e) {
      impl->chat_error = (dir / "tokenizer_config.json").string() + ": " + e.what();
    }
    for (const char* end_of_turn : {"<|im_end|>", "<|eot_id|>", "<|endoftext|>", "<|end_of_text|>"}) {
      const auto id = t.piece_to_id(end_of_turn);
      if (id && std::find(impl->eos.begin(), impl->eos.end(), *id) == impl->eos.end()) impl->eos.push_back(*id);
    }
  }
  return t;
}

std::vector<EncodedToken> Tokenizer::Impl::encode(std::string_view text, bool add_special) const {
  std::vector<EncodedToken> out;
  std::vector<Segment> raw, normalized;
  std::vector<AlignedString> words;
  std::vector<BpeModel::Token> tokens;
  added.split(AlignedString::from_input(text), false, raw);
  const auto push_added = [&](const Segment& s) {
    out.push_back({*s.token, s.text.span_of(0, s.text.text.size()), special[static_cast<size_t>(*s.token)]});
  };
  for (Segment& r : raw) {
    if (r.token) {
      push_added(r);
      continue;
    }
    if (r.text.empty()) continue;
    if (normalizer) normalizer(r.text);
    normalized.clear();
    added.split(std::move(r.text), true, normalized);
    for (Segment& s : normalized) {
      if (s.token) {
        push_added(s);
        continue;
      }
      if (s.text.empty()) continue;
      words.clear();
      words.push_back(std::move(s.text));
      if (pre_tokenizer) pre_tokenizer(words);
      for (const AlignedString& p : words) {
        tokens.clear();
        model.tokenize(p.text, tokens);
        for (const auto& t : tokens) out.push_back({t.id, p.span_of(t.begin, t.end), false});
      }
    }
  }
  post_processor.process(out, add_special, [this](int32_t id) {
    return valid(id) ? pieces[static_cast<size_t>(id)] : std::string();
  });
  return out;
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool add_special) const {
  const auto tokens = impl_->encode(text, add_special);
  std::vector<int32_t> ids;
  ids.reserve(tokens.size());
  for (const auto& t : tokens) ids.push_back(t.id);
  return ids;
}

std::vector<TokenInfo> Tokenizer::inspect(std::string_view text, bool add_special) const {
  std::vector<TokenInfo> out;
  for (const auto& t : impl_->encode(text, add_special)) {
    TokenInfo info;
    info.id = t.id;
    info.piece = id_to_piece(t.id);
    info.bytes = token_bytes(t.id);
    info.display = display(t.id);
    info.begin = t.span.begin;
    info.end = t.span.end;
    info.special = t.special;
    info.partial_utf8 = !utf8::is_valid(info.bytes);
    out.push_back(std::move(info));
  }
  return out;
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skip_special) const {
  std::vector<std::string> pieces;
  pieces.reserve(ids.size());
  for (int32_t id : ids) {
    if (!impl_->valid(id)) fail("decode: token id " + std::to_string(id) + " is outside the vocabulary of " +
                                std::to_string(vocab_size()));
    if (skip_special && is_special(id)) continue;
    pieces.push_back(impl_->pieces[static_cast<size_t>(id)]);
  }
  return impl_->decoder.decode(std::move(pieces));
}

std::string Tokenizer::token_bytes(int32_t id) const {
  if (!impl_->valid(id)) return {};
  const std::string& piece = impl_->pieces[static_cast<size_t>(id)];
  return impl_->added_id[static_cast<size_t>(id)] ? piece : impl_->decoder.piece_bytes(piece);
}

std::string Tokenizer::display(int32_t id) const {
  if (is_special(id)) return id_to_piece(id);
  return visible_token(token_bytes(id));
}

std::string Tokenizer::id_to_piece(int32_t id) const {
  return impl_->valid(id) ? impl_->pieces[static_cast<size_t>(id)] : std::string();
}

std::optional<int32_t> Tokenizer::piece_to_id(std::string_view piece) const {
  const auto it = impl_->added_by_content.find(piece);
  if (it != impl_->added_by_content.end()) return it->second;
  return impl_->model.token_to_id(piece);
}

int32_t Tokenizer::vocab_size() const { return static_cast<int32_t>(impl_->pieces.size()); }

bool Tokenizer::is_special(int32_t id) const { return impl_->valid(id) && impl_->special[static_cast<size_t>(id)]; }

std::vector<int32_t> Tokenizer::eos_ids() const { return impl_->eos; }

std::optional<int32_t> Tokenizer::bos_id() const { return impl_->bos; }

bool Tokenizer::has_chat_template() const { return impl_->chat.has_value() || !impl_->chat_error.empty(); }

const ChatTemplate& Tokenizer::chat_template() const {
  if (!impl_->chat_error.empty()) fail(impl_->chat_error);
  if (!impl_->chat) fail("this tokenizer has no chat template (tokenizer_config.json chat_template); use --raw");
  return *impl_->chat;
}

std::string Tokenizer::apply_chat_template(const std::vector<ChatMessage>& messages, bool add_generation_prompt,
                                           bool enable_thinking) const {
  return chat_template().render(messages, add_generation_prompt, enable_thinking);
}

}  // namespace glassbox
