#include "quant/convert.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/input_file.h"
#include "core/json_file.h"
#include "quant/quantize.h"

namespace glassbox {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

OwnedTensor cast(const std::string& name, const std::vector<int64_t>& shape, const float* values, DType t) {
  OwnedTensor o;
  o.name = name;
  o.dtype = t;
  o.shape = shape;
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  o.bytes.resize(size_t(n) * dtype_size(t));
  for (int64_t i = 0; i < n; ++i) {
    if (t == DType::F32) { std::memcpy(o.bytes.data() + 4 * i, values + i, 4); continue; }
    const uint16_t h = t == DType::BF16 ? f32_to_bf16(values[i]) : f32_to_f16(values[i]);
    std::memcpy(o.bytes.data() + 2 * i, &h, 2);
  }
  return o;
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

OwnedTensor raw(std::string name, DType t, std::vector<int64_t> shape, std::vector<unsigned char> bytes) {
  OwnedTensor o;
  o.name = std::move(name);
  o.dtype = t;
  o.shape = std::move(shape);
  o.bytes = std::move(bytes);
  return o;
}

}  // namespace

void encode_tensor(const std::string& name, const std::vector<int64_t>& shape, const float* values,
                   const ConvertOptions& options, std::vector<OwnedTensor>& out, ConvertStats& stats) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  stats.params += n;
  const bool quantizable = options.bits > 0 && shape.size() == 2 && name.ends_with(".weight");
  const bool splits = quantizable && shape[1] % options.group_size == 0 && (shape[1] * options.bits) % 32 == 0;
  if (quantizable && !splits) stats.unquantized.push_back(name.substr(0, name.size() - 7));
  if (!splits) {
    out.push_back(cast(name, shape, values, options.dtype));
    stats.bytes += out.back().bytes.size();
    return;
  }
  const std::string module = name.substr(0, name.size() - 7);
  const int64_t rows = shape[0], cols = shape[1], groups = cols / options.group_size;
  QuantizedMatrix q = quantize(values, rows, cols, options.bits, options.group_size, options.dtype);
  stats.bytes += q.codes.size() + q.scales.size() + q.biases.size();
  out.push_back(raw(name, DType::U32, {rows, cols * options.bits / 32}, std::move(q.codes)));
  out.push_back(raw(module + ".scales", options.dtype, {rows, groups}, std::move(q.scales)));
  out.push_back(raw(module + ".biases", options.dtype, {rows, groups}, std::move(q.biases)));
}

std::string quantization_json(const ConvertOptions& options, const ConvertStats& stats) {
  json q = {{"group_size", options.group_size}, {"bits", options.bits}};
  for (const std::string& module : stats.unquantized) q[module] = false;
  return q.dump();
}

ConvertStats convert_model(const fs::path& in, const fs::path& out_arg, const ConvertOptions& options,
                           const std::function<void(size_t, size_t)>& progress) {
  const fs::path out = out_arg.has_filename() ? out_arg : out_arg.parent_path();  // "new-model/" names new-model
  if (out.empty() || out.filename() == "." || out.filename() == "..")
    fail("--out: " + out_arg.string() + ": give the name of a new directory");
  if (input_exists(out)) fail("--out: " + out.string() + " already exists");
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
  std::vector<OwnedTensor> tensors;
  ConvertStats stats;
  for (size_t i = 0; i < names.size(); ++i) {
    const TensorView& t = store.get(names[i]);
    if (t.dtype != DType::F32 && t.dtype != DType::F16 && t.dtype != DType::BF16)
      fail("tensor '" + t.name + "' has dtype " + std::string(dtype_name(t.dtype)) + "; convert reads F32, F16 or BF16");
    const std::vector<float> values = t.to_f32();
    encode_tensor(t.name, t.shape, values.data(), options, tensors, stats);
    progress(i + 1, names.size());
  }

  const char* dtype_names[] = {"float32", "float16", "bfloat16"};
  const std::string dtype = dtype_names[options.dtype == DType::F32 ? 0 : options.dtype == DType::F16 ? 1 : 2];
  if (config.contains("dtype")) config["dtype"] = dtype;
  config["torch_dtype"] = dtype;
  if (options.bits > 0) {
    config["quantization"] = json::parse(quantization_json(options, stats));
    config["quantization_config"] = config["quantization"];
  }

  // Everything is written into a hidden sibling directory that is renamed into place at the end. What a
  // killed conversion left behind is removed first.
  remove_stale_temporaries(out);
  const fs::path tmp = temporary_sibling(out);
  std::error_code ec;
  fs::remove_all(tmp, ec);
  const std::vector<fs::path> created = create_missing_parents(out);
  try {
    fs::create_directory(tmp);
    for (const fs::path& file : extra_files) {
      const InputFile source(file);
      write_atomically(tmp / file.filename(), [&](std::ostream& o) { copy_bytes(source, o); });
    }
    write_file_atomically(tmp / "config.json", config.dump(2) + "\n");
    write_safetensors(tmp / "model.safetensors", tensors, {{"format", "mlx"}});
    // Not over a directory someone made in the meantime (rename would replace an empty one).
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, out.c_str(), RENAME_NOREPLACE) != 0)
      fail("--out: " + out.string() + ": " + std::strerror(errno));
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(tmp, ec);
    remove_empty_directories(created);
    fail("--out: " + out.string() + ": " + e.code().message());
  } catch (...) {
    fs::remove_all(tmp, ec);
    remove_empty_directories(created);
    throw;
  }
  return stats;
}

}  // namespace glassbox
