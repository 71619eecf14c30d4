#include "tokenizer/jinja/strftime.h"

#include <chrono>
#include <cstdio>

#include "tokenizer/jinja/error.h"

namespace glassbox::jinja {

std::string python_strftime(const std::string& format, const Moment& moment) {
  if (format.size() > 4096) failure("strftime_now: format longer than 4096 bytes");
  std::string expanded;  // Python's own directives first; the rest goes to the C library
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 >= format.size()) {
      expanded += format[i];
      continue;
    }
    const char d = format[++i];
    if (d == 'f') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%06d", moment.microseconds);
      expanded += buf;
    } else if (d != 'z' && d != 'Z') {
      expanded += '%';
      expanded += d;
    }
  }
  std::string out(expanded.size() * 32 + 64, '\0');  // no C directive expands beyond 32 bytes in the C locale
  const size_t n = std::strftime(out.data(), out.size(), expanded.c_str(), &moment.time);
  out.resize(n);
  return out;
}

Moment local_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  Moment m;
  localtime_r(&t, &m.time);
  m.microseconds = int(std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000);
  return m;
}

}  // namespace glassbox::jinja
