#include "quant/convert.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/input_file.h"
#include "core/json_file.h"
#include "core/safetensors.h"
#include "quant/quantize.h"

namespace glassbox {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

int64_t numel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

// Values per row along the first dimension (a 1-D tensor has rows of one value).
int64_t row_width(const std::vector<int64_t>& shape) { return shape.empty() || shape[0] == 0 ? 1 : numel(shape) / shape[0]; }

std::vector<unsigned char> cast(const float* values, int64_t n, DType t) {
  std::vector<unsigned char> bytes(size_t(n) * dtype_size(t));
  for (int64_t i = 0; i < n; ++i) {
    if (t == DType::F32) { std::memcpy(bytes.data() + 4 * i, values + i, 4); continue; }
    const uint16_t h = t == DType::BF16 ? f32_to_bf16(values[i]) : f32_to_f16(values[i]);
    std::memcpy(bytes.data() + 2 * i, &h, 2);
  }
  return bytes;
}

// Hands the pages of [p, p + n) of a read-only file mapping back to the page cache: they stop counting
// toward this process's memory and are read again from the file if touched.
void release_pages(const unsigned char* p, size_t n) {
  const uintptr_t page = uintptr_t(::sysconf(_SC_PAGESIZE));
  const uintptr_t begin = uintptr_t(p) / page * page, end = (uintptr_t(p) + n + page - 1) / page * page;
  ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

void copy_bytes(const InputFile& in, std::ostream& out) {
  std::vector<char> buffer(1 << 20);
  for (off_t at = 0;;) {
    const ssize_t n = ::pread(in.fd(), buffer.data(), buffer.size(), at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(in.path().string() + ": cannot read: " + std::strerror(errno));
    if (n == 0) return;
    out.write(buffer.data(), n);
    at += n;
  }
}

}  // namespace

int64_t CheckpointEncoder::rows_per_block(const std::vector<int64_t>& shape) {
  constexpr int64_t kBlockValues = 16 << 20;
  return std::max<int64_t>(1, kBlockValues / row_width(shape));
}

void CheckpointEncoder::plan(const std::string& name, const std::vector<int64_t>& shape) {
  stats_.params += numel(shape);
  const bool quantizable = options_.bits > 0 && shape.size() == 2 && name.ends_with(".weight");
  const bool splits = quantizable && shape[1] % options_.group_size == 0 && (shape[1] * options_.bits) % 32 == 0;
  if (quantizable && !splits) stats_.unquantized.push_back(name.substr(0, name.size() - 7));
  sources_[name] = {shape, splits};
  if (!splits) {
    plan_.push_back({name, options_.dtype, shape});
  } else {
    const std::string module = name.substr(0, name.size() - 7);
    const int64_t rows = shape[0], cols = shape[1], groups = cols / options_.group_size;
    plan_.push_back({name, DType::U32, {rows, cols * options_.bits / 32}});
    plan_.push_back({module + ".scales", options_.dtype, {rows, groups}});
    plan_.push_back({module + ".biases", options_.dtype, {rows, groups}});
  }
  for (size_t i = plan_.size() - (splits ? 3 : 1); i < plan_.size(); ++i) stats_.bytes += plan_[i].bytes();
}

void CheckpointEncoder::open(const fs::path& dir, size_t max_shard_bytes) {
  writer_ = std::make_unique<CheckpointWriter>(dir, std::move(plan_), std::map<std::string, std::string>{{"format", "mlx"}},
                                               stats_.params, max_shard_bytes);
}

void CheckpointEncoder::encode(const std::string& name, const float* values, int64_t r0, int64_t r1) {
  const Source& source = sources_.at(name);
  const int64_t width = row_width(source.shape), n = r1 - r0;
  if (!source.quantized) {
    const std::vector<unsigned char> bytes = cast(values, n * width, options_.dtype);
    writer_->write(writer_->index(name), size_t(r0 * width) * dtype_size(options_.dtype), bytes.data(), bytes.size());
    return;
  }
  const std::string module = name.substr(0, name.size() - 7);
  const QuantizedMatrix q = quantize(values, n, width, options_.bits, options_.group_size, options_.dtype);
  const size_t first = writer_->index(name);
  for (const auto& [tensor, bytes] : {std::pair{first, &q.codes}, std::pair{writer_->index(module + ".scales"), &q.scales},
                                      std::pair{writer_->index(module + ".biases"), &q.biases}})
    writer_->write(tensor, size_t(r0) * (bytes->size() / size_t(n)), bytes->data(), bytes->size());
}

std::string quantization_json(const ConvertOptions& options, const ConvertStats& stats) {
  json q = {{"group_size", options.group_size}, {"bits", options.bits}};
  for (const std::string& module : stats.unquantized) q[module] = false;
  return q.dump();
}

ConvertStats convert_model(const fs::path& in, const fs::path& out_arg, const ConvertOptions& options,
                           const std::function<void(size_t, size_t)>& progress, size_t max_shard_bytes) {
  const fs::path out = out_arg.has_filename() ? out_arg : out_arg.parent_path();  // "new-model/" names new-model
  if (out.empty() || out.filename() == "." || out.filename() == "..")
    fail("--out: " + out_arg.string() + ": give the name of a new directory");
  if (input_exists(out)) fail("--out: " + out.string() + " already exists");  // before any work
  const fs::path config_path = in / "config.json";
  if (!input_exists(config_path)) fail(config_path.string() + ": cannot open");
  json config = read_json_file(file_in_folder(in, "config.json", config_path.string()), 16 << 20);
  if (!config.is_object()) fail(config_path.string() + ": not a JSON object");
  if (config.contains("quantization")) fail(config_path.string() + ": the model is already quantized");

  // The other files travel unchanged; each must resolve inside the folder (a link to a key or a password file
  // must not be carried into a model that may be shared). Checked before any work is done.
  std::vector<fs::path> extra_files;
  for (const fs::directory_entry& e : fs::directory_iterator(in)) {
    const std::string file = e.path().filename().string();
    if (!e.is_regular_file() || file == "config.json" || file.ends_with(".safetensors") ||
        file == "model.safetensors.index.json")
      continue;
    extra_files.push_back(file_in_folder(in, file, e.path().string()));
  }

  const TensorStore store = TensorStore::open_dir(in);
  const std::vector<std::string> names = store.names();
  CheckpointEncoder encoder(options);
  for (const std::string& name : names) {
    const TensorView& t = store.get(name);
    if (t.dtype != DType::F32 && t.dtype != DType::F16 && t.dtype != DType::BF16)
      fail("tensor '" + t.name + "' has dtype " + std::string(dtype_name(t.dtype)) + "; convert reads F32, F16 or BF16");
    encoder.plan(name, t.shape);
  }
  const ConvertStats& stats = encoder.stats();

  const char* dtype_names[] = {"float32", "float16", "bfloat16"};
  const std::string dtype = dtype_names[options.dtype == DType::F32 ? 0 : options.dtype == DType::F16 ? 1 : 2];
  if (config.contains("dtype")) config["dtype"] = dtype;
  config["torch_dtype"] = dtype;
  if (options.bits > 0) {
    config["quantization"] = json::parse(quantization_json(options, stats));
    config["quantization_config"] = config["quantization"];
  }

  write_directory_atomically(out, [&](const fs::path& tmp) {
    for (const fs::path& file : extra_files) {
      const InputFile source(file);
      write_atomically(tmp / file.filename(), [&](std::ostream& o) { copy_bytes(source, o); });
    }
    write_file_atomically(tmp / "config.json", config.dump(2) + "\n");
    encoder.open(tmp, max_shard_bytes);
    std::vector<float> block;
    for (size_t i = 0; i < names.size(); ++i) {
      const TensorView& t = store.get(names[i]);
      const int64_t rows = t.shape.empty() ? 1 : t.shape[0], width = row_width(t.shape);
      const int64_t step = CheckpointEncoder::rows_per_block(t.shape);
      const size_t row_bytes = size_t(width) * dtype_size(t.dtype);
      for (int64_t r0 = 0; r0 < rows; r0 += step) {
        const int64_t r1 = std::min(rows, r0 + step);
        const unsigned char* src = t.data + size_t(r0) * row_bytes;
        block.resize(size_t((r1 - r0) * width));
        to_f32(t.dtype, src, block.data(), block.size());
        encoder.encode(names[i], block.data(), r0, r1);
        release_pages(src, size_t(r1 - r0) * row_bytes);
      }
      progress(i + 1, names.size());
    }
    encoder.finish();
  });
  return stats;
}

}  // namespace glassbox
