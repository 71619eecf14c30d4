#pragma once
// Where a figure came from, stored inside the file (PNG tEXt/iTXt chunks, SVG <metadata>) so a figure
// found later can be reproduced.
#include <string>
#include <utility>
#include <vector>

namespace glassbox::render {

struct Provenance {
  std::string model;
  std::string prompt;
  std::string command_line;
  std::vector<std::pair<std::string, std::string>> extra;  // further (key, value) pairs, in order
};

}  // namespace glassbox::render
