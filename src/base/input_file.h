#pragma once
// Every file glassbox reads is opened here. Input is untrusted: a name in a model folder may be a FIFO
// (reading blocks forever), a device (/dev/zero never ends), a directory, or a link to a file elsewhere.
// So a file is checked to be a regular file before its first byte is read, its size is bounded, and files
// that a model folder names resolve inside that folder.
#include <cstdint>
#include <filesystem>
#include <string>

namespace glassbox {

class InputFile {
 public:
  // Opens `path` for reading; an Error "<path>: not a regular file (a FIFO)" / "<path>: cannot open: <reason>"
  // when it is anything but a regular file (links are followed). Never blocks, whatever `path` is.
  explicit InputFile(const std::filesystem::path& path);
  ~InputFile();
  InputFile(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  InputFile& operator=(InputFile&&) = delete;

  int fd() const { return fd_; }
  uint64_t size() const { return size_; }
  const std::filesystem::path& path() const { return path_; }

  // The whole file; an Error naming the file when it is larger than `max_bytes`.
  std::string read_all(uint64_t max_bytes) const;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// InputFile(path).read_all(max_bytes).
std::string read_input_file(const std::filesystem::path& path, uint64_t max_bytes);

// Whether anything is at `path` (a dangling link counts, so that it is reported rather than ignored).
bool input_exists(const std::filesystem::path& path);

// The file `name` of the model folder `folder`, as named by something inside the folder (a shard of
// model.safetensors.index.json, config.json, tokenizer.json). `name` must be relative without "..", and after
// following links it must resolve inside the folder, or, for a folder that is a snapshot of the Hugging Face
// cache (<repo>/snapshots/<revision>/), inside that repository's blobs/ where the cache keeps the files.
// Otherwise an Error "<where>: '<name>' ...outside the model folder".
std::filesystem::path file_in_folder(const std::filesystem::path& folder, const std::string& name,
                                     const std::string& where);

}  // namespace glassbox
