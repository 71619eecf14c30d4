#include "eval/probe.h"

#include <algorithm>
#include <map>
#include <random>

#include "base/error.h"
#include "eval/jsonl.h"
#include "model/hooks.h"
#include "model/site.h"
#include "session/prompt.h"

namespace glassbox {
namespace {

// The activation of one sample, all its positions, reduced to one row: the last position's, or the mean.
Eigen::RowVectorXf reduce(const Activation& a, ProbePosition position) {
  const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> m(a.data, a.rows, a.cols);
  if (position == ProbePosition::Last) return m.row(a.rows - 1);
  return m.colwise().mean();
}

std::vector<int> select(const std::vector<int>& values, const std::vector<int>& indices) {
  std::vector<int> out;
  for (int i : indices) out.push_back(values[size_t(i)]);
  return out;
}

Eigen::MatrixXf select_rows(const Eigen::MatrixXf& m, const std::vector<int>& indices) {
  Eigen::MatrixXf out(Eigen::Index(indices.size()), m.cols());
  for (size_t r = 0; r < indices.size(); ++r) out.row(Eigen::Index(r)) = m.row(indices[r]);
  return out;
}

}  // namespace

ProbeData read_probe_data(const std::filesystem::path& path, const Model& model, const Tokenizer& tokenizer) {
  ProbeData data;
  std::vector<std::string> names;
  for (const JsonlRecord& r : read_jsonl(path)) {
    r.only_fields({"text", "messages", "label"});
    if (r.has("text") == r.has("messages")) r.fail("give exactly one of \"text\" and \"messages\"");
    std::vector<int32_t> ids;
    if (r.has("text")) {
      ids = tokenizer.encode(r.string("text"), /*add_special=*/true);
    } else {
      ChatRequest request;
      request.messages = r.messages("messages");
      request.add_generation_prompt = false;  // the conversation as it stands, not awaiting a reply
      if (!tokenizer.has_chat_template()) r.fail("\"messages\" needs a chat template, and the model has none");
      try {
        ids = tokenizer.encode(tokenizer.apply_chat_template(request), /*add_special=*/false);
      } catch (const Error& e) {
        r.fail(e.what());
      }
    }
    if (ids.empty()) r.fail("the text encodes to no tokens");
    if (int64_t(ids.size()) > model.config().max_positions)
      r.fail("the text is " + std::to_string(ids.size()) + " tokens, longer than the model's context (" +
             std::to_string(model.config().max_positions) + ")");
    data.ids.push_back(std::move(ids));
    names.push_back(r.string_or_integer("label"));
  }
  std::map<std::string, int> index;
  for (const std::string& n : names) index.emplace(n, 0);
  if (index.size() < 2) fail(path.string() + ": every sample has the label \"" + names.front() + "\"; a probe needs two or more labels");
  for (auto& [name, i] : index) i = int(data.label_names.size()), data.label_names.push_back(name);
  for (const std::string& n : names) data.labels.push_back(index.at(n));
  return data;
}

Split seeded_split(int64_t n, double test_fraction, uint64_t seed) {
  if (!(test_fraction > 0 && test_fraction < 1)) fail("--test-fraction must be between 0 and 1");
  std::vector<int> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[size_t(i)] = int(i);
  std::mt19937_64 rng(seed);  // its output sequence is fixed by the C++ standard
  for (int64_t i = n - 1; i > 0; --i) std::swap(order[size_t(i)], order[size_t(rng() % uint64_t(i + 1))]);
  const int64_t test = int64_t(double(n) * test_fraction + 0.5);
  if (test < 1 || n - test < 2)
    fail(std::to_string(n) + " samples with --test-fraction " + std::to_string(test_fraction) +
         " leave no test or training set; add samples");
  return {std::vector<int>(order.begin() + test, order.end()), std::vector<int>(order.begin(), order.begin() + test)};
}

SiteKind probe_kind(const std::string& site) {
  const SiteKind kind = parse_kind(site, "--site");
  if (!is_per_layer(kind) || is_attention_pattern(kind))
    fail("--site: '" + site + "' is not a per-layer activation with one vector per position "
         "(resid_post, resid_pre, resid_mid, attn_out, mlp_out, z, q, k, ...)");
  return kind;
}

int64_t site_width(const ModelConfig& c, const std::string& site) {
  return site_shape(Site{probe_kind(site), 0}, c, 1, 1).back();
}

std::vector<ProbeReport> run_probes(const Model& model, const ProbeData& data,
                                    const std::vector<std::vector<int>>& labelings, const ProbeOptions& options,
                                    const std::function<void(int64_t, int64_t)>& on_sample) {
  const ModelConfig& c = model.config();
  const int64_t n = int64_t(data.ids.size()), width = site_width(c, options.site);
  const int classes = int(data.label_names.size());
  const Split split = seeded_split(n, options.test_fraction, options.seed);

  std::vector<ProbeReport> reports(labelings.size());
  std::vector<std::vector<int>> train_y, test_y;
  for (size_t k = 0; k < labelings.size(); ++k) {
    if (labelings[k].size() != data.ids.size()) fail("probe: a labeling does not label every sample");
    train_y.push_back(select(labelings[k], split.train));
    test_y.push_back(select(labelings[k], split.test));
    ProbeReport& report = reports[k];
    report.train = int64_t(split.train.size());
    report.test = int64_t(split.test.size());
    std::vector<int> counts(size_t(classes), 0);
    for (int y : train_y[k]) ++counts[size_t(y)];
    if (std::count_if(counts.begin(), counts.end(), [](int m) { return m > 0; }) < 2)
      fail("the training split holds only one label; add samples of the others");
    report.baseline_label = int(std::max_element(counts.begin(), counts.end()) - counts.begin());
    report.baseline = accuracy(std::vector<int>(test_y[k].size(), report.baseline_label), test_y[k]);
  }

  // The probed activations: for the residual stream, the embedding first (what the stream holds before any
  // layer, TransformerLens' resid_pre.0, probed as layer -1); then one per layer.
  const SiteKind kind = probe_kind(options.site);
  std::vector<Site> slots;
  if (kind == SiteKind::resid_post) slots.push_back({SiteKind::embed, -1});
  for (int64_t l = 0; l < c.n_layers; ++l) slots.push_back({kind, l});

  // A hook reduces each activation to its row as the forward pass goes by, so a pass holds, per slot, only
  // one row per sample: the slots of a pass are as many as the memory budget allows.
  const int64_t per_slot = n * width * int64_t(sizeof(float));
  const int64_t count = int64_t(slots.size());
  const int per_pass = int(std::clamp<int64_t>(options.memory_budget_bytes / per_slot, 1, count));
  const int passes = int((count + per_pass - 1) / per_pass);
  for (ProbeReport& r : reports) r.layers_per_pass = per_pass, r.passes = passes;

  int64_t done = 0;
  for (int64_t first = 0; first < count; first += per_pass) {
    const int64_t last = std::min<int64_t>(first + per_pass, count);
    std::vector<Eigen::MatrixXf> features(size_t(last - first), Eigen::MatrixXf(n, width));
    int64_t sample = 0;
    Hooks hooks;
    for (int64_t j = first; j < last; ++j)
      hooks.add(slots[size_t(j)], [&, j](Activation& a) { features[size_t(j - first)].row(sample) = reduce(a, options.position); });
    for (; sample < n; ++sample) {
      KVCache cache = model.new_cache(int64_t(data.ids[size_t(sample)].size()));
      model.forward(data.ids[size_t(sample)], cache, &hooks);
      if (on_sample) on_sample(++done, n * passes);
    }
    for (int64_t j = first; j < last; ++j) {
      const Eigen::MatrixXf train_x = select_rows(features[size_t(j - first)], split.train);
      const Eigen::MatrixXf test_x = select_rows(features[size_t(j - first)], split.test);
      for (size_t k = 0; k < labelings.size(); ++k) {
        const LogisticRegression probe = LogisticRegression::fit(train_x, train_y[k], classes, options.logistic);
        reports[k].layers.push_back({int(slots[size_t(j)].layer), accuracy(probe.predict(train_x), train_y[k]),
                                     accuracy(probe.predict(test_x), test_y[k]), probe.iterations(), probe.converged()});
      }
    }
  }
  return reports;
}

ProbeReport run_probes(const Model& model, const ProbeData& data, const ProbeOptions& options,
                       const std::function<void(int64_t, int64_t)>& on_sample) {
  return run_probes(model, data, {data.labels}, options, on_sample).front();
}

}  // namespace glassbox
