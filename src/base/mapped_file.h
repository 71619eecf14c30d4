#pragma once
// A regular file mapped read-only into memory for as long as the object lives; unmapped by the destructor,
// also when whoever maps it throws halfway through validating the contents.
#include <cstddef>
#include <filesystem>

namespace glassbox {

class MappedFile {
 public:
  // Throws an Error naming the file when it cannot be opened, is not a regular file, or cannot be mapped.
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const unsigned char* data() const { return static_cast<const unsigned char*>(map_); }
  size_t size() const { return size_; }

 private:
  void* map_ = nullptr;  // null for an empty file, which mmap cannot map
  size_t size_ = 0;
};

}  // namespace glassbox
