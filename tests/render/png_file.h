#pragma once
// Reading back the PNGs the renderer writes: chunk list, size, and pixel colours (decoded by Cairo).
#include <cairo.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "render/colormap.h"

namespace glassbox::test {

struct PngChunk {
  std::string type, data;
  std::uint32_t crc = 0;
};

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline std::uint32_t be32(const std::string& b, std::size_t at) {
  return std::uint32_t(static_cast<unsigned char>(b[at])) << 24 | std::uint32_t(static_cast<unsigned char>(b[at + 1])) << 16 |
         std::uint32_t(static_cast<unsigned char>(b[at + 2])) << 8 | std::uint32_t(static_cast<unsigned char>(b[at + 3]));
}

// The chunks after the signature; empty when the signature is wrong or a chunk runs past the end.
inline std::vector<PngChunk> png_chunks(const std::string& bytes) {
  std::vector<PngChunk> chunks;
  if (bytes.size() < 8 || bytes.substr(0, 8) != "\x89PNG\r\n\x1a\n") return chunks;
  for (std::size_t p = 8; p + 12 <= bytes.size();) {
    const std::uint32_t length = be32(bytes, p);
    if (p + 12 + length > bytes.size()) return {};
    chunks.push_back({bytes.substr(p + 4, 4), bytes.substr(p + 8, length), be32(bytes, p + 8 + length)});
    p += 12 + length;
  }
  return chunks;
}

// A decoded PNG; pixel() returns the colour at (x, y) as 0..255 channels.
class PngImage {
 public:
  explicit PngImage(const std::filesystem::path& path)
      : surface_(cairo_image_surface_create_from_png(path.c_str())) {}
  ~PngImage() { cairo_surface_destroy(surface_); }
  PngImage(const PngImage&) = delete;
  PngImage& operator=(const PngImage&) = delete;

  bool ok() const { return cairo_surface_status(surface_) == CAIRO_STATUS_SUCCESS; }
  int width() const { return cairo_image_surface_get_width(surface_); }
  int height() const { return cairo_image_surface_get_height(surface_); }
  std::uint32_t pixel(int x, int y) const {  // 0xRRGGBB
    const unsigned char* row = cairo_image_surface_get_data(surface_) + y * cairo_image_surface_get_stride(surface_);
    return *reinterpret_cast<const std::uint32_t*>(row + 4 * x) & 0xffffff;
  }

 private:
  cairo_surface_t* surface_;
};

inline std::uint32_t to_hex(render::Rgb c) {
  const auto ch = [](double v) { return std::uint32_t(v * 255 + 0.5); };
  return ch(c.r) << 16 | ch(c.g) << 8 | ch(c.b);
}

// Largest per-channel difference between two 0xRRGGBB colours.
inline int channel_distance(std::uint32_t a, std::uint32_t b) {
  int d = 0;
  for (int shift = 0; shift <= 16; shift += 8)
    d = std::max(d, std::abs(int((a >> shift) & 0xff) - int((b >> shift) & 0xff)));
  return d;
}

}  // namespace glassbox::test
