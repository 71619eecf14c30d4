#include "session/shared_paths.h"

#include <cstdlib>

#include "base/error.h"

namespace glassbox {
namespace fs = std::filesystem;

fs::path shared_dir() {
  if (const char* env = std::getenv("GLASSBOX_SHARED"); env && *env) return env;
  return GLASSBOX_DEFAULT_SHARED;
}

fs::path default_model_dir() {
  if (const char* env = std::getenv("GLASSBOX_MODEL"); env && *env) return env;
  const fs::path candidates[] = {GLASSBOX_DEFAULT_MODEL, shared_dir() / "models" / "stories260K"};
  for (const fs::path& p : candidates)
    if (std::error_code ec; fs::exists(p / "config.json", ec)) return p;
  fail("no model found: pass --model DIR with a Hugging Face checkpoint directory (config.json, tokenizer.json, "
       "*.safetensors), e.g. one downloaded with `huggingface-cli download Qwen/Qwen2.5-0.5B-Instruct --local-dir DIR`");
}

}  // namespace glassbox
