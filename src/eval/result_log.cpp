#include "eval/result_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace glassbox {
namespace {

std::string read_fd(int fd, const std::string& name) {
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(name + ": cannot read: " + std::strerror(errno));
    if (n == 0) return bytes;
    bytes.append(buf, size_t(n));
  }
}

}  // namespace

ResultLog::ResultLog(const std::filesystem::path& path, bool resume) : path_(path) {
  const std::string name = path.string();
  // O_NOFOLLOW refuses a symbolic link; O_NONBLOCK keeps open() from waiting on a FIFO, refused just below.
  fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd_ < 0)
    fail(name + ": cannot open for writing: " + (errno == ELOOP ? "it is a symbolic link" : std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    fail(name + ": not a regular file");
  }
  if (!resume && st.st_size > 0) {
    ::close(fd_);
    fd_ = -1;
    fail(name + ": already holds results; pass --resume to continue that run, or choose another --out");
  }
  try {
    const std::string bytes = read_fd(fd_, name);
    const size_t finished = bytes.rfind('\n') == std::string::npos ? 0 : bytes.rfind('\n') + 1;
    if (finished < bytes.size()) {  // killed in the middle of a write: that sample did not finish
      if (::ftruncate(fd_, off_t(finished)) != 0) fail(name + ": cannot cut the unfinished last line: " + std::strerror(errno));
      cut_ = true;
    }
    int64_t line = 0;
    for (size_t begin = 0; begin < finished;) {
      const size_t end = bytes.find('\n', begin);
      const std::string text = bytes.substr(begin, end - begin);
      begin = end + 1;
      ++line;
      const auto where = [&] { return name + " line " + std::to_string(line) + ": "; };
      nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (!value.is_object() || !value.contains("id")) fail(where() + "not a result record (a JSON object with \"id\")");
      const std::string key = value["id"].dump();
      if (!keys_.insert(key).second) fail(where() + "id " + key + " appears twice");
      records_.emplace_back(name, line, std::move(value));
    }
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
}

ResultLog::~ResultLog() {
  if (fd_ >= 0) ::close(fd_);
}

void ResultLog::append(const nlohmann::json& record) {
  const std::string key = record.at("id").dump();
  if (!keys_.insert(key).second) fail(path_.string() + ": id " + key + " is already in the file");
  const std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  // One write() per line: the kernel appends it whole, and a kill can only cut the file at a line boundary or
  // leave one unfinished last line, which the constructor cuts off on --resume.
  for (size_t done = 0; done < line.size();) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path_.string() + ": cannot write: " + std::strerror(errno));
    done += size_t(n);
  }
  if (::fsync(fd_) != 0) fail(path_.string() + ": cannot flush to disk: " + std::strerror(errno));
  records_.emplace_back(path_.string(), int64_t(records_.size()) + 1, record);
}

}  // namespace glassbox
