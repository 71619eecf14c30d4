#include "cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace glassbox::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), tty_(isatty(fileno(stderr)) != 0), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fputc('\n', stderr);
}

void ProgressBar::update(int64_t done, int64_t total) {
  if (!tty_ || total <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  const int filled = int(kWidth * done / total);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::fprintf(stderr, "\r%s [%s%s] %lld/%lld, %.1f s", label_.c_str(), std::string(size_t(filled), '#').c_str(),
               std::string(size_t(kWidth - filled), ' ').c_str(), (long long)done, (long long)total, elapsed);
  if (done > 0 && done < total) std::fprintf(stderr, ", about %.0f s left  ", elapsed * double(total - done) / double(done));
  else std::fprintf(stderr, "                    ");
  std::fflush(stderr);
}

}  // namespace glassbox::cli
