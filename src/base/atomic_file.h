#pragma once
// Everything glassbox writes appears whole or not at all: it is written beside its destination under a
// temporary name and renamed into place, so a crash or a full disk never leaves half a file.
#include <filesystem>
#include <functional>
#include <string_view>

namespace glassbox {

// Calls write(tmp_path) to produce the file at a temporary path, then renames it onto `path`.
// If write throws, the temporary file is removed and the exception propagates.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& tmp_path)>& write);

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace glassbox
