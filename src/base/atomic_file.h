#pragma once
// Everything glassbox writes appears whole or not at all, and writing never replaces what is not a regular
// file. What `path` names decides how it is written:
//  - a new name or a regular file: the bytes go to a temporary file beside it (".NAME.tmp.PID"), which is
//    renamed over it once complete, so a crash or a full disk never leaves half a file;
//  - a symbolic link: followed; its final target (a regular file or a new name) is replaced as above and the
//    link stays a link;
//  - a character device or a FIFO (/dev/null, /dev/stdout, a pipe): the bytes are written straight into it,
//    so /dev/null discards them; a FIFO that nobody reads is an error, never a hang;
//  - a directory, a block device or a socket: an Error, nothing is written.
// Missing parent directories are created, and removed again when the write fails.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>
#include <vector>

namespace glassbox {

// Calls write(out) to produce the file's bytes. If write throws or a write fails (full disk), nothing at
// `path` changes, the temporary file is removed and an Error names `path` and the reason.
void write_atomically(const std::filesystem::path& path, const std::function<void(std::ostream& out)>& write);

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// Calls fill(tmp) to fill a new hidden directory beside `out`, then renames it to `out`, so `out` appears
// whole or not at all. `out` must name a directory that does not exist, and a directory someone makes
// there in the meantime is not replaced. If fill throws, the hidden directory and the parents created for it
// are removed.
void write_directory_atomically(const std::filesystem::path& out,
                                const std::function<void(const std::filesystem::path& tmp)>& fill);

// The hidden sibling a writer of `path` uses until it renames it into place: ".NAME.tmp.PID".
std::filesystem::path temporary_sibling(const std::filesystem::path& path);

// Creates the missing directories above `path`, returning them (outermost first) so that a failed write can
// remove them again with remove_empty_directories.
std::vector<std::filesystem::path> create_missing_parents(const std::filesystem::path& path);
void remove_empty_directories(const std::vector<std::filesystem::path>& created);

// Removes the temporaries beside `path` that processes which no longer run left behind (killed mid-write);
// those of running processes are left alone.
void remove_stale_temporaries(const std::filesystem::path& path);

}  // namespace glassbox
