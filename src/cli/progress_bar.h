#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal so that logs, pipes and tests see
// nothing of it: "label [#####     ] 12/200, 3.1 s, about 40 s left".
#include <chrono>
#include <cstdint>
#include <string>

namespace glassbox::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();  // ends the bar's line, if one was drawn
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(int64_t done, int64_t total);  // redraws at most ten times a second, and at the end

 private:
  std::string label_;
  bool tty_, drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace glassbox::cli
