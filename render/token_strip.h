#pragma once
// Tokens as chips in reading order, alternating colours, each token's id under its chip, whitespace and
// raw bytes made visible, wrapped onto lines.
//
//   render::TokenStrip s;
//   for (int id : ids) s.tokens.push_back({tokenizer.token_bytes(id), id});
//   s.title = "How the prompt is tokenized";
//   render::save(s, "out/tokens.svg", provenance);
#include <filesystem>
#include <string>
#include <vector>

#include "render/provenance.h"

namespace glassbox::render {

struct StripToken {
  std::string bytes;  // the token's raw text; not necessarily valid UTF-8
  int id = -1;        // shown under the chip; negative: no id line
};

struct TokenStrip {
  std::vector<StripToken> tokens;
  std::string title, subtitle;
  int width_px = 900;
};

// Fails on an empty token list.
void save(const TokenStrip& strip, const std::filesystem::path& path, const Provenance& provenance = {});

}  // namespace glassbox::render
