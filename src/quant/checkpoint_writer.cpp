#include "quant/checkpoint_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"

namespace glassbox {
namespace fs = std::filesystem;
using json = nlohmann::json;

size_t TensorPlan::bytes() const {
  size_t n = dtype_size(dtype);
  for (int64_t d : shape) n *= size_t(d);
  return n;
}

namespace {

std::string shard_name(size_t i, size_t count) {
  if (count == 1) return "model.safetensors";
  char name[64];
  std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", i + 1, count);
  return name;
}

void write_fully(int fd, const fs::path& path, const void* data, size_t n, size_t offset) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, p, n, off_t(offset));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail(path.string() + ": cannot write: " + std::strerror(w < 0 ? errno : ENOSPC));
    p += w, n -= size_t(w), offset += size_t(w);
  }
}

}  // namespace

CheckpointWriter::CheckpointWriter(const fs::path& dir, std::vector<TensorPlan> plan,
                                   const std::map<std::string, std::string>& metadata, int64_t total_parameters,
                                   size_t max_shard_bytes)
    : dir_(dir), total_parameters_(total_parameters) {
  // mlx-lm's make_shards: tensors in order, a new shard whenever the next one would overflow this one.
  std::vector<size_t> shard_bytes;
  for (TensorPlan& p : plan) {
    const size_t n = p.bytes();
    if (shard_bytes.empty() || (shard_bytes.back() > 0 && shard_bytes.back() + n > max_shard_bytes)) shard_bytes.push_back(0);
    if (!by_name_.emplace(p.name, tensors_.size()).second) fail("tensor '" + p.name + "' is planned twice");
    tensors_.push_back({std::move(p), shard_bytes.size() - 1, shard_bytes.back(), 0});
    shard_bytes.back() += n;
  }
  if (tensors_.empty()) fail(dir.string() + ": a checkpoint needs at least one tensor");

  std::vector<json> headers(shard_bytes.size(), json::object());
  for (json& h : headers)
    if (!metadata.empty()) h["__metadata__"] = metadata;
  for (const Placed& t : tensors_)
    headers[t.shard][t.plan.name] = {{"dtype", dtype_name(t.plan.dtype)}, {"shape", t.plan.shape},
                                     {"data_offsets", {t.offset, t.offset + t.plan.bytes()}}};
  std::vector<size_t> data_start(shard_bytes.size());
  for (size_t s = 0; s < shard_bytes.size(); ++s) {
    std::string text = headers[s].dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // the data area starts 8-byte aligned
    Shard shard{dir / shard_name(s, shard_bytes.size())};
    shard.fd = ::open(shard.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (shard.fd < 0) fail(shard.path.string() + ": cannot create: " + std::strerror(errno));
    shards_.push_back(shard);
    const uint64_t len = text.size();
    write_fully(shard.fd, shard.path, &len, 8, 0);
    write_fully(shard.fd, shard.path, text.data(), text.size(), 8);
    data_start[s] = 8 + text.size();
    if (::ftruncate(shard.fd, off_t(data_start[s] + shard_bytes[s])) != 0)
      fail(shard.path.string() + ": cannot write: " + std::strerror(errno));
  }
  for (Placed& t : tensors_) t.offset += data_start[t.shard];
}

CheckpointWriter::~CheckpointWriter() {
  for (Shard& s : shards_)
    if (s.fd >= 0) ::close(s.fd);
}

size_t CheckpointWriter::index(const std::string& name) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) fail("tensor '" + name + "' is not planned");
  return it->second;
}

void CheckpointWriter::write(size_t tensor, size_t offset, const void* data, size_t n) {
  Placed& t = tensors_.at(tensor);
  if (offset + n > t.plan.bytes()) fail("tensor '" + t.plan.name + "': write past its end");
  write_fully(shards_[t.shard].fd, shards_[t.shard].path, data, n, t.offset + offset);
  t.written += n;
}

void CheckpointWriter::finish() {
  json weight_map = json::object();
  size_t total = 0;
  for (const Placed& t : tensors_) {
    if (t.written != t.plan.bytes()) fail("tensor '" + t.plan.name + "': not every byte was written");
    weight_map[t.plan.name] = shards_[t.shard].path.filename().string();
    total += t.plan.bytes();
  }
  for (Shard& s : shards_) {
    const int fd = s.fd;
    s.fd = -1;
    if (::close(fd) != 0) fail(s.path.string() + ": cannot write: " + std::strerror(errno));
  }
  const json index = {{"metadata", {{"total_size", total}, {"total_parameters", total_parameters_}}},
                      {"weight_map", weight_map}};
  write_file_atomically(dir_ / "model.safetensors.index.json", index.dump(4) + "\n");
}

}  // namespace glassbox
