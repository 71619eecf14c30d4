#include "core/safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"

namespace glassbox {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

// A product of dimensions that reports overflow instead of wrapping.
bool checked_numel(const std::vector<int64_t>& shape, uint64_t& out) {
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return false;
    if (d != 0 && n > std::numeric_limits<uint64_t>::max() / uint64_t(d)) return false;
    n *= uint64_t(d);
  }
  out = n;
  return true;
}
}  // namespace

int64_t TensorView::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string TensorView::shape_string() const {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::vector<float> TensorView::to_f32() const {
  std::vector<float> out(static_cast<size_t>(numel()));
  glassbox::to_f32(dtype, data, out.data(), out.size());
  return out;
}

SafetensorsFile::SafetensorsFile(const fs::path& path) : path_(path), file_(path) {
  const std::string where = path.string();
  const size_t size = file_.size();
  if (size < 8) fail(where + ": truncated safetensors file (" + std::to_string(size) + " bytes, no header length)");
  const unsigned char* base = file_.data();
  uint64_t header_len = 0;
  std::memcpy(&header_len, base, 8);  // little-endian on every platform glassbox builds for
  if (header_len > kMaxHeaderBytes)
    fail(where + ": header length " + std::to_string(header_len) + " exceeds the 100 MB limit");
  if (header_len > size - 8)
    fail(where + ": header length " + std::to_string(header_len) + " runs past the end of the file (" +
         std::to_string(size) + " bytes)");
  json header;
  try {
    header = json::parse(base + 8, base + 8 + header_len);
  } catch (const json::exception& e) {
    fail(where + ": header is not valid JSON");
  }
  if (!header.is_object()) fail(where + ": header is not a JSON object");
  const unsigned char* data = base + 8 + header_len;
  const uint64_t data_size = size - 8 - header_len;

  struct Span { uint64_t begin, end; std::string name; };
  std::vector<Span> spans;
  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& name = it.key();
    if (name == "__metadata__") {
      if (it->is_object())
        for (auto m = it->begin(); m != it->end(); ++m)
          if (m->is_string()) metadata_[m.key()] = m->get<std::string>();
      continue;
    }
    const json& e = *it;
    const std::string at = where + ": tensor '" + name + "'";
    if (!e.is_object() || !e.contains("dtype") || !e.contains("shape") || !e.contains("data_offsets"))
      fail(at + ": entry needs dtype, shape and data_offsets");
    TensorView v;
    v.name = name;
    if (!e["dtype"].is_string() || !parse_dtype(e["dtype"].get<std::string>(), v.dtype))
      fail(at + ": unsupported dtype " + e["dtype"].dump());
    if (!e["shape"].is_array()) fail(at + ": shape is not an array");
    for (const json& d : e["shape"]) {
      if (!d.is_number_integer() || d.get<int64_t>() < 0) fail(at + ": shape has a non-integer dimension");
      v.shape.push_back(d.get<int64_t>());
    }
    const json& off = e["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
      fail(at + ": data_offsets must be two non-negative integers");
    const uint64_t begin = off[0].get<uint64_t>(), end = off[1].get<uint64_t>();
    if (begin > end) fail(at + ": data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "] are reversed");
    if (end > data_size)
      fail(at + ": data_offsets end " + std::to_string(end) + " is past the data area (" +
           std::to_string(data_size) + " bytes)");
    uint64_t numel = 0;
    if (!checked_numel(v.shape, numel) || numel > std::numeric_limits<uint64_t>::max() / dtype_size(v.dtype))
      fail(at + ": shape " + v.shape_string() + " is too large");
    if (numel * dtype_size(v.dtype) != end - begin)
      fail(at + ": byte size " + std::to_string(end - begin) + " does not match shape " + v.shape_string() +
           " of " + std::string(dtype_name(v.dtype)) + " (" + std::to_string(numel * dtype_size(v.dtype)) +
           " bytes)");
    v.data = data + begin;
    v.nbytes = end - begin;
    spans.push_back({begin, end, name});
    tensors_.emplace(name, std::move(v));
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  for (size_t i = 1; i < spans.size(); ++i)
    if (spans[i].begin < spans[i - 1].end)
      fail(where + ": tensors '" + spans[i - 1].name + "' and '" + spans[i].name + "' overlap");
}

TensorStore TensorStore::open_dir(const fs::path& dir) {
  if (!fs::is_directory(dir)) fail(dir.string() + ": not a directory");
  std::vector<fs::path> shards;
  const fs::path index_path = dir / "model.safetensors.index.json";
  if (fs::exists(index_path)) {
    std::ifstream in(index_path);
    json index;
    try {
      index = json::parse(in);
    } catch (const json::exception&) {
      fail(index_path.string() + ": not valid JSON");
    }
    if (!index.contains("weight_map") || !index["weight_map"].is_object())
      fail(index_path.string() + ": missing field weight_map");
    for (const auto& f : index["weight_map"]) {
      if (!f.is_string()) fail(index_path.string() + ": weight_map values must be file names");
      const fs::path p = dir / f.get<std::string>();
      if (std::find(shards.begin(), shards.end(), p) == shards.end()) shards.push_back(p);
    }
  } else if (fs::exists(dir / "model.safetensors")) {
    shards.push_back(dir / "model.safetensors");
  } else {
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".safetensors") shards.push_back(e.path());
    std::sort(shards.begin(), shards.end());
  }
  if (shards.empty()) fail(dir.string() + ": no *.safetensors files");
  TensorStore s;
  s.source_ = dir;
  for (const fs::path& p : shards) {
    s.files_.push_back(std::make_shared<SafetensorsFile>(p));
    for (const auto& [name, view] : s.files_.back()->tensors()) {
      if (s.index_.count(name)) fail(p.string() + ": tensor '" + name + "' also appears in another shard");
      s.index_[name] = &view;
    }
  }
  return s;
}

const TensorView* TensorStore::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : it->second;
}

const TensorView& TensorStore::get(const std::string& name) const {
  const TensorView* v = find(name);
  if (!v) fail(source_.string() + ": missing tensor '" + name + "'");
  return *v;
}

std::vector<std::string> TensorStore::names() const {
  std::vector<std::string> out;
  for (const auto& kv : index_) out.push_back(kv.first);
  return out;
}

size_t TensorStore::total_bytes() const {
  size_t n = 0;
  for (const auto& kv : index_) n += kv.second->nbytes;
  return n;
}

OwnedTensor OwnedTensor::f32(std::string name, std::vector<int64_t> shape, const float* values) {
  OwnedTensor t{std::move(name), DType::F32, std::move(shape), {}};
  int64_t n = 1;
  for (int64_t d : t.shape) n *= d;
  t.bytes.resize(size_t(n) * 4);
  std::memcpy(t.bytes.data(), values, t.bytes.size());
  return t;
}

OwnedTensor OwnedTensor::i64(std::string name, const std::vector<int64_t>& values) {
  OwnedTensor t{std::move(name), DType::I64, {int64_t(values.size())}, {}};
  t.bytes.resize(values.size() * 8);
  std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

void write_safetensors(const fs::path& path, const std::vector<OwnedTensor>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  std::vector<const OwnedTensor*> order;
  for (const auto& t : tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->name < b->name; });
  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const OwnedTensor* t : order) {
    header[t->name] = {{"dtype", dtype_name(t->dtype)}, {"shape", t->shape},
                       {"data_offsets", {offset, offset + t->bytes.size()}}};
    offset += t->bytes.size();
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  write_atomically(path, [&](const fs::path& tmp) {
    std::ofstream f(tmp, std::ios::binary);
    const uint64_t len = text.size();
    f.write(reinterpret_cast<const char*>(&len), 8);
    f.write(text.data(), std::streamsize(text.size()));
    for (const OwnedTensor* t : order) f.write(reinterpret_cast<const char*>(t->bytes.data()), std::streamsize(t->bytes.size()));
    f.close();
    if (!f) fail(path.string() + ": cannot write");
  });
}

}  // namespace glassbox
