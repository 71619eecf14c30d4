// Lesson 12: steering. The difference between the residual streams of two prompts is a direction in the
// model's hidden space ("computer" minus "LORD"). Adding it, scaled, to the residual stream of any prompt
// pushes the generation that way: no training, one vector.
#include <cmath>
#include <cstdio>

#include "base/columns.h"
#include "generate/generate.h"
#include "generate/sampler.h"
#include "lesson.h"
#include "model/interventions.h"
#include "render/bar_chart.h"

using namespace glassbox;

namespace {

// Greedy text after `ids` with `hooks` (may be empty) in the forward pass of every step.
std::string continuation(const ModelFolder& folder, const std::vector<int32_t>& ids, const Hooks& hooks, int tokens) {
  GenerationSettings settings;
  settings.max_tokens = tokens;
  settings.stop_ids = folder.stop_ids;
  settings.hooks = hooks.empty() ? nullptr : &hooks;
  std::string text = folder.tokenizer->decode(generate(folder.model, ids, settings).ids, /*skip_special=*/true);
  for (char& ch : text) if (ch == '\n') ch = ' ';  // one paragraph, to print side by side
  return text;
}

// Two texts side by side, wrapped at `width` columns each.
void side_by_side(const std::string& left, const std::string& right, int width) {
  std::printf("%s | %s\n", pad_columns("without steering", width).c_str(), "with steering");
  std::printf("%s-+-%s\n", std::string(size_t(width), '-').c_str(), std::string(size_t(width), '-').c_str());
  auto take_line = [&](std::string& text) {  // the words of `text` that fit in `width` columns, removed from it
    std::string line;
    size_t end = 0;
    while (end < text.size()) {
      size_t next = text.find(' ', end + 1);
      if (next == std::string::npos) next = text.size();
      if (display_width(text.substr(0, next)) > width && end > 0) break;
      end = next;
    }
    line = text.substr(0, end);
    text.erase(0, end < text.size() ? end + 1 : end);
    return line;
  };
  std::string a = left, b = right;
  while (!a.empty() || !b.empty()) std::printf("%s | %s\n", pad_columns(take_line(a), width).c_str(), take_line(b).c_str());
}

render::BarChart next_tokens(const Tokenizer& tokenizer, const std::vector<float>& logits, const std::string& title) {
  const std::vector<double> p = softmax(logits);
  render::BarChart chart;
  for (int32_t id : top_indices(p, 8)) {
    chart.labels.push_back(tokenizer.token_bytes(id));
    chart.values.push_back(p[size_t(id)]);
  }
  chart.title = title;
  return chart;
}

int steering_lesson(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "12_steering", "A direction from two prompts, added to the residual stream.",
                         [](cxxopts::Options& o) {
                           o.add_options()
                               ("positive", "steer towards this", cxxopts::value<std::string>()->default_value("The computer"))
                               ("negative", "and away from this", cxxopts::value<std::string>()->default_value("The LORD"))
                               ("prompt", "the text to continue", cxxopts::value<std::string>()->default_value("And he said unto them,"))
                               ("layer", "the residual stream after this layer is steered (default: a quarter of the depth)", cxxopts::value<std::string>())
                               ("scale", "how much of the direction to add", cxxopts::value<std::string>()->default_value("0.5"));
                         });
  if (!l) return 0;
  const ModelFolder folder = lesson::open_model(*l);
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;
  const ModelConfig& c = model.config();
  const int64_t layer = l->args.count("layer") ? flag<int64_t>(l->args, "layer") : c.n_layers / 4;
  if (layer < 0 || layer >= c.n_layers) fail("--layer: outside 0.." + std::to_string(c.n_layers - 1));
  const float scale = flag<float>(l->args, "scale");
  const std::string positive = l->args["positive"].as<std::string>(), negative = l->args["negative"].as<std::string>();
  const std::string prompt = l->args["prompt"].as<std::string>();
  const std::vector<int32_t> ids = lesson::encode(tokenizer, prompt);
  const Site site{SiteKind::resid_post, layer};

  lesson::section("1. A direction from two prompts");
  // resid_post.L at the last position of each prompt; their difference points from one to the other
  // (what `glassbox steer-vector` writes).
  const std::vector<float> direction =
      steering_vector(model, site, lesson::encode(tokenizer, positive), lesson::encode(tokenizer, negative), /*mean=*/false);
  const CapturedTensor resid = run_with_cache(model, ids, {site}).get(site);
  auto norm = [](const float* v, int64_t n) {
    double s = 0;
    for (int64_t i = 0; i < n; ++i) s += double(v[i]) * v[i];
    return std::sqrt(s);
  };
  std::printf("direction = %s(\"%s\") - %s(\"%s\"): %zu values, norm %.2f\n", site_name(site).c_str(), positive.c_str(),
              site_name(site).c_str(), negative.c_str(), direction.size(), norm(direction.data(), int64_t(direction.size())));
  std::printf("for scale: the residual stream of the prompt's last token has norm %.2f there\n",
              norm(resid.values.data() + (resid.shape[0] - 1) * c.hidden, c.hidden));

  lesson::section("2. Before and after");
  // A hook adds scale x direction to resid_post.L at every position, in the prompt and in every generated
  // step: the --steer flag.
  Hooks steer;
  add_steering(steer, site, direction, scale);
  std::printf("\"%s\", greedy, %s + %.2f x direction:\n\n", prompt.c_str(), site_name(site).c_str(), scale);
  side_by_side(continuation(folder, ids, {}, 32), continuation(folder, ids, steer, 32), 44);
  KVCache plain_cache = model.new_cache(int64_t(ids.size())), steered_cache = model.new_cache(int64_t(ids.size()));
  render::BarChart before = next_tokens(tokenizer, model.forward(ids, plain_cache), "Next token without steering");
  render::BarChart after = next_tokens(tokenizer, model.forward(ids, steered_cache, &steer), "Next token with steering");
  before.subtitle = "after \"" + prompt + "\"";
  char how[64];
  std::snprintf(how, sizeof how, " + %.2f x (", scale);
  after.subtitle = before.subtitle + ", " + site_name(site) + how + "\"" + positive + "\" - \"" + negative + "\")";
  lesson::save(*l, before, "next_before", prompt);
  lesson::save(*l, after, "next_after", prompt);

  lesson::section("3. How much");
  // Too little changes nothing; too much drowns the prompt and the text collapses into the direction's
  // favourite words.
  for (float s : {0.25f * scale, scale, 2 * scale}) {
    Hooks hooks;
    add_steering(hooks, site, direction, s);
    std::printf("scale %5.3f: %s\n", s, continuation(folder, ids, hooks, 16).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, steering_lesson); }
