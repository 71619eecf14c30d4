#include "base/mapped_file.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "base/input_file.h"

namespace glassbox {

MappedFile::MappedFile(const std::filesystem::path& path) {
  const InputFile file(path);  // a regular file, opened without blocking
  size_ = size_t(file.size());
  if (size_ == 0) return;
  map_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, file.fd(), 0);
  if (map_ == MAP_FAILED) {
    map_ = nullptr;
    fail(path.string() + ": mmap failed: " + std::strerror(errno));
  }
}

MappedFile::~MappedFile() {
  if (map_) ::munmap(map_, size_);
}

}  // namespace glassbox
