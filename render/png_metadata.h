#pragma once
// Text chunks inside PNG bytes. Cairo 1.16 cannot write them, so they are spliced in after IHDR.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace glassbox::render {

// The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320).
std::uint32_t crc32(std::string_view bytes);

// Returns `png` with one text chunk per entry: tEXt when key and value are printable ASCII, else iTXt
// (UTF-8). Keys are cut to PNG's 79-byte limit.
std::string add_png_text(std::string_view png, const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace glassbox::render
