// Fuzzes model.safetensors.index.json: the input becomes the index of a model folder that holds two valid
// shards, a subfolder, a link to a shard outside the folder and a FIFO. Whatever glassbox opens must resolve
// inside the folder, and it must never block (a FIFO opened for reading would hang the run).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/error.h"
#include "core/safetensors.h"

namespace fs = std::filesystem;
using namespace glassbox;

namespace {

fs::path root, folder;

void write_shard(const fs::path& path, const std::string& tensor) {
  const float values[2] = {1.0f, 2.0f};
  write_safetensors(path, {OwnedTensor::f32(tensor, {2}, values)});
}

bool inside(const fs::path& p, const fs::path& dir) {
  const fs::path real = fs::weakly_canonical(p), base = fs::canonical(dir);
  auto r = real.begin();
  for (auto b = base.begin(); b != base.end(); ++b, ++r)
    if (r == real.end() || *r != *b) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  root = fs::temp_directory_path() / ("glassbox-shard-fuzz-" + std::to_string(::getpid()));
  folder = root / "model";
  fs::remove_all(root);
  fs::create_directories(folder / "sub");
  write_shard(folder / "a.safetensors", "a");
  write_shard(folder / "sub" / "b.safetensors", "b");
  write_shard(root / "outside.safetensors", "secret");
  fs::create_symlink("../outside.safetensors", folder / "link.safetensors");
  fs::create_symlink("..", folder / "up");
  ::mkfifo((folder / "fifo.safetensors").c_str(), 0600);
  std::atexit([] { fs::remove_all(root); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  {
    std::ofstream index(folder / "model.safetensors.index.json", std::ios::binary | std::ios::trunc);
    index.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  }
  try {
    const std::vector<fs::path> files = checkpoint_files(folder);
    for (const fs::path& f : files)
      if (!inside(f, folder)) {
        std::fprintf(stderr, "opened %s, outside the model folder\n", f.c_str());
        std::abort();
      }
    const TensorStore store = TensorStore::open_dir(folder);
    if (store.find("secret")) std::abort();
  } catch (const Error&) {
  }
  return 0;
}
