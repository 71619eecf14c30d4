#include "session/model_folder.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/error.h"

namespace glassbox {
namespace fs = std::filesystem;

namespace {

// generation_config.json's eos_token_id (an id or a list), which transformers' generate() stops on.
std::vector<int64_t> generation_eos_ids(const fs::path& dir) {
  const fs::path path = dir / "generation_config.json";
  if (!fs::exists(path)) return {};
  std::ifstream in(path);
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) fail(path.string() + ": not a JSON object");
  if (!j.contains("eos_token_id") || j["eos_token_id"].is_null()) return {};
  const nlohmann::json& v = j["eos_token_id"];
  std::vector<int64_t> ids;
  for (const nlohmann::json& id : v.is_array() ? v : nlohmann::json::array({v})) {
    if (!id.is_number_integer()) fail(path.string() + ": field eos_token_id must hold integers, got " + v.dump());
    ids.push_back(id.get<int64_t>());
  }
  return ids;
}

}  // namespace

const Tokenizer& ModelFolder::require_tokenizer(const std::string& flag) const {
  if (!tokenizer)
    fail(flag + ": " + (model.config().dir / "tokenizer.json").string() +
         " does not exist; pass --tokenizer DIR (lessons) or --prompt-ids");
  return *tokenizer;
}

ModelFolder open_model_folder(const fs::path& dir, const fs::path& tokenizer_dir) {
  ModelFolder f{Model::load(dir), nullptr, {}};
  const fs::path tok = tokenizer_dir.empty() ? dir : tokenizer_dir;
  if (!tokenizer_dir.empty() && !fs::exists(tok / "tokenizer.json"))
    fail("--tokenizer: " + (tok / "tokenizer.json").string() + " does not exist");
  if (fs::exists(tok / "tokenizer.json")) f.tokenizer = std::make_shared<const Tokenizer>(Tokenizer::load(tok));

  const int64_t vocab = f.model.config().vocab;
  auto add_stop = [&](int64_t id) {
    // An eos id outside the vocabulary can never be sampled; keeping it would only hide a broken config.
    if (id >= 0 && id < vocab && std::find(f.stop_ids.begin(), f.stop_ids.end(), int32_t(id)) == f.stop_ids.end())
      f.stop_ids.push_back(int32_t(id));
  };
  for (int64_t id : f.model.config().eos_ids) add_stop(id);
  for (int64_t id : generation_eos_ids(dir)) add_stop(id);
  if (f.tokenizer)
    for (int32_t id : f.tokenizer->eos_ids()) add_stop(id);
  return f;
}

}  // namespace glassbox
