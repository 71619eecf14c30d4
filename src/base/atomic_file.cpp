#include "base/atomic_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <streambuf>
#include <vector>

#include "base/error.h"

namespace glassbox {
namespace fs = std::filesystem;

namespace {

// An output stream buffer over a file descriptor that remembers why a write failed (errno), which
// std::ofstream forgets.
class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd), buffer_(1 << 20) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    for (const char* p = pbase(); p < pptr();) {
      const ssize_t n = ::write(fd_, p, size_t(pptr() - p));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (!error_) error_ = n < 0 ? errno : EIO;
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return false;
      }
      p += n;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0;
  }

  int fd_;
  int error_ = 0;
  std::vector<char> buffer_;
};

// Runs `write` into the open descriptor `fd` and fails naming `path` when a write did not go through.
void write_to(int fd, const fs::path& path, const std::function<void(std::ostream&)>& write) {
  FdBuffer buffer(fd);
  std::ostream out(&buffer);
  write(out);
  out.flush();
  if (buffer.error()) fail(path.string() + ": cannot write: " + std::strerror(buffer.error()));
  if (!out) fail(path.string() + ": cannot write");
}

// Where writing `path` really goes: links followed to their final target (which may not exist yet).
fs::path follow_links(const fs::path& path) {
  fs::path p = path;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec))) return p;
    const fs::path target = fs::read_symlink(p, ec);
    if (ec) fail(path.string() + ": cannot follow link: " + ec.message());
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  fail(path.string() + ": too many levels of symbolic links");
}

}  // namespace

std::vector<fs::path> create_missing_parents(const fs::path& file) {
  std::vector<fs::path> created;
  fs::path dir = file.parent_path();
  std::vector<fs::path> missing;
  std::error_code ec;
  for (; !dir.empty() && !fs::exists(fs::symlink_status(dir, ec)); dir = dir.parent_path()) missing.push_back(dir);
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (!fs::create_directory(*it, ec) && ec) {
      for (auto d = created.rbegin(); d != created.rend(); ++d) fs::remove(*d, ec);
      fail(it->string() + ": cannot create directory: " + ec.message());
    }
    created.push_back(*it);
  }
  return created;
}

void remove_empty_directories(const std::vector<fs::path>& created) {
  std::error_code ec;
  for (auto d = created.rbegin(); d != created.rend(); ++d) fs::remove(*d, ec);  // only empty ones go
}

namespace {

// A character device or a FIFO: written in place (the kernel follows the links, /proc/self/fd's included).
void write_in_place(const fs::path& path, bool fifo, const std::function<void(std::ostream&)>& write) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (fifo && errno == ENXIO) fail(path.string() + ": a FIFO that nobody is reading");
    fail(path.string() + ": cannot open for writing: " + std::strerror(errno));
  }
  // Non-blocking was only for the open: a slow reader should slow the writer down, not fail it.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  try {
    write_to(fd, path, write);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

}  // namespace

fs::path temporary_sibling(const fs::path& path) {
  // Names stay within NAME_MAX (255) however long the destination's name is.
  const std::string name = path.filename().string().substr(0, 200);
  return path.parent_path() / ("." + name + ".tmp." + std::to_string(::getpid()));
}

void remove_stale_temporaries(const fs::path& path) {
  const std::string prefix = temporary_sibling(path).filename().string();
  const std::string stem = prefix.substr(0, prefix.rfind('.') + 1);  // ".NAME.tmp."
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= stem.size() || name.compare(0, stem.size(), stem) != 0) continue;
    const std::string pid = name.substr(stem.size());
    if (pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos) continue;
    if (::kill(pid_t(std::stol(pid)), 0) == 0 || errno != ESRCH) continue;  // its writer may still run
    std::error_code rm;
    fs::remove_all(it->path(), rm);
  }
}

void write_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  const std::string where = path.string();
  if (path.empty() || !path.has_filename() || path.filename() == "." || path.filename() == "..")
    fail(where + ": names a directory; give a file name");
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;  // through any links
  if (exists && !S_ISREG(st.st_mode)) {
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return write_in_place(path, S_ISFIFO(st.st_mode), write);
    fail(where + ": is " + (S_ISDIR(st.st_mode) ? "a directory" : S_ISBLK(st.st_mode) ? "a block device" : "a socket") +
         "; not replacing it");
  }
  // A regular file or a new name: the file to replace is the links' final target, so the links stay.
  const fs::path target = follow_links(path);
  const std::vector<fs::path> created = target == path ? create_missing_parents(target) : std::vector<fs::path>{};
  remove_stale_temporaries(target);
  const fs::path tmp = temporary_sibling(target);
  ::unlink(tmp.c_str());  // our own leftover, from a process of the same id long ago
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int err = errno;
    remove_empty_directories(created);
    fail(where + ": cannot write: " + std::strerror(err));
  }
  bool open = true;
  try {
    if (exists) ::fchmod(fd, st.st_mode & 07777);  // a replaced file keeps its permissions
    write_to(fd, path, write);
    if (::fsync(fd) != 0) fail(where + ": cannot write: " + std::strerror(errno));
    open = false;
    if (::close(fd) != 0) fail(where + ": cannot write: " + std::strerror(errno));
  } catch (...) {
    if (open) ::close(fd);
    ::unlink(tmp.c_str());
    remove_empty_directories(created);
    throw;
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    remove_empty_directories(created);
    fail(where + ": cannot write: " + std::strerror(err));
  }
}

void write_file_atomically(const fs::path& path, std::string_view bytes) {
  write_atomically(path, [&](std::ostream& out) { out.write(bytes.data(), std::streamsize(bytes.size())); });
}

void write_directory_atomically(const fs::path& out, const std::function<void(const fs::path& tmp)>& fill) {
  if (!out.has_filename() || out.filename() == "." || out.filename() == "..")
    fail(out.string() + ": give the name of a new directory");
  std::error_code ec;
  if (fs::exists(fs::symlink_status(out, ec))) fail(out.string() + ": already exists");
  remove_stale_temporaries(out);  // what a killed writer left behind
  const fs::path tmp = temporary_sibling(out);
  fs::remove_all(tmp, ec);
  const std::vector<fs::path> created = create_missing_parents(out);
  try {
    fs::create_directory(tmp);
    fill(tmp);
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, out.c_str(), RENAME_NOREPLACE) != 0)
      fail(out.string() + ": " + std::strerror(errno));
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(tmp, ec);
    remove_empty_directories(created);
    fail(out.string() + ": " + e.code().message());
  } catch (...) {
    fs::remove_all(tmp, ec);
    remove_empty_directories(created);
    throw;
  }
}

}  // namespace glassbox
