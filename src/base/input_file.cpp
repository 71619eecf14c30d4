#include "base/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace glassbox {
namespace fs = std::filesystem;

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a plain file";
}

// Whether `inner` is `outer` or below it; both are canonical.
bool is_within(const fs::path& inner, const fs::path& outer) {
  auto i = inner.begin();
  for (auto o = outer.begin(); o != outer.end(); ++o, ++i)
    if (i == inner.end() || *i != *o) return false;
  return true;
}

}  // namespace

InputFile::InputFile(const fs::path& path) : path_(path) {
  const std::string where = path.string();
  // stat first, so that nothing that is not a regular file is even opened (opening some devices has effects).
  struct stat st {};
  if (::stat(where.c_str(), &st) != 0) fail(where + ": cannot open: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) fail(where + ": not a regular file (" + kind_of(st.st_mode) + ")");
  // O_NONBLOCK: if the name was swapped for a FIFO since the stat, open returns at once instead of waiting for
  // a writer, and the fstat below rejects it. On a regular file the flag changes nothing.
  fd_ = ::open(where.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd_ < 0) fail(where + ": cannot open: " + std::strerror(errno));
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fail(where + ": not a regular file (" + kind_of(st.st_mode) + ")");
  }
  size_ = uint64_t(st.st_size);
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

InputFile::InputFile(InputFile&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_), size_(other.size_) {
  other.fd_ = -1;
}

std::string InputFile::read_all(uint64_t max_bytes) const {
  const std::string where = path_.string();
  if (size_ > max_bytes)
    fail(where + ": " + std::to_string(size_) + " bytes is more than the " + std::to_string(max_bytes) +
         "-byte limit for this file");
  std::string bytes(size_t(size_), '\0');
  size_t done = 0;
  for (;;) {
    if (done == bytes.size()) {
      // The file may have grown since the fstat; read on, within the limit.
      if (bytes.size() > max_bytes) fail(where + ": grew past the " + std::to_string(max_bytes) + "-byte limit");
      bytes.resize(bytes.size() + 4096);
    }
    const ssize_t n = ::pread(fd_, bytes.data() + done, bytes.size() - done, off_t(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(where + ": cannot read: " + std::strerror(errno));
    }
    if (n == 0) break;
    done += size_t(n);
  }
  bytes.resize(done);
  return bytes;
}

std::string read_input_file(const fs::path& path, uint64_t max_bytes) { return InputFile(path).read_all(max_bytes); }

bool input_exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

fs::path file_in_folder(const fs::path& folder, const std::string& name, const std::string& where) {
  const fs::path relative(name);
  bool plain = !name.empty() && relative.is_relative() && name.find('\0') == std::string::npos;
  for (const fs::path& part : relative) plain = plain && part != "..";
  if (!plain) fail(where + ": '" + name + "' is outside the model folder (names must be relative, without '..')");
  const fs::path path = folder / relative;
  std::error_code ec;
  const fs::path real_folder = fs::canonical(folder, ec);
  if (ec) fail(folder.string() + ": cannot open: " + ec.message());
  const fs::path real = fs::weakly_canonical(path, ec);
  if (ec) fail(path.string() + ": cannot open: " + ec.message());
  if (is_within(real, real_folder)) return path;
  // The Hugging Face cache: <repo>/snapshots/<revision>/<file> are links to <repo>/blobs/<hash>.
  if (real_folder.parent_path().filename() == "snapshots" &&
      is_within(real, real_folder.parent_path().parent_path() / "blobs"))
    return path;
  fail(where + ": '" + name + "' resolves to " + real.string() + ", outside the model folder " + real_folder.string());
}

}  // namespace glassbox
