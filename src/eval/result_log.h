#pragma once
// The results file of an evaluation run: one JSON object per finished sample, each appended with a single
// write and fsync'ed before the next sample starts, so a run killed at any moment (SIGKILL, power loss)
// keeps every finished sample, and --resume continues where it stopped without repeating an id.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "eval/jsonl.h"

namespace glassbox {

class ResultLog {
 public:
  // Opens `path` for appending; it must be a regular file or not exist (never a link, FIFO or device).
  // Without `resume` it must be empty or new. With `resume` its records are read, and an unfinished last
  // line (a write cut short) is cut off the file; a finished line that is not a JSON object with an "id",
  // or an id written twice, is an error naming its line.
  ResultLog(const std::filesystem::path& path, bool resume);
  ~ResultLog();
  ResultLog(const ResultLog&) = delete;
  ResultLog& operator=(const ResultLog&) = delete;

  const std::vector<JsonlRecord>& records() const { return records_; }  // oldest first
  bool has(const std::string& key) const { return keys_.count(key) > 0; }  // key: the id's JSON text
  bool cut_unfinished_line() const { return cut_; }

  // Appends `record` (which holds "id") as one line and flushes it to the disk.
  void append(const nlohmann::json& record);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool cut_ = false;
  std::vector<JsonlRecord> records_;
  std::set<std::string> keys_;
};

}  // namespace glassbox
