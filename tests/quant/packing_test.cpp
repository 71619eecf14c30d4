// MLX's bit-stream layout, checked against words worked out by hand.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "quant/packing.h"

namespace glassbox {
namespace {

uint32_t word(const std::vector<unsigned char>& bytes, size_t i) {
  uint32_t w;
  std::memcpy(&w, bytes.data() + 4 * i, 4);
  return w;
}

TEST(Packing, FourBitCodesFillAWordFromTheLowNibbleUp) {
  // Codes 1..8: code i sits at bits 4i..4i+3, so the word reads 0x87654321.
  const std::vector<uint32_t> codes = {1, 2, 3, 4, 5, 6, 7, 8, 0xF, 0, 0, 0, 0, 0, 0, 0xA};
  std::vector<unsigned char> packed(8, 0);
  pack_codes(codes.data(), 4, 16, packed.data());
  EXPECT_EQ(word(packed, 0), 0x87654321u);
  EXPECT_EQ(word(packed, 1), 0xA000000Fu);
  for (size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(read_code(packed.data(), 4, int64_t(i)), codes[i]);
}

TEST(Packing, EightBitCodesAreBytesInOrder) {
  const std::vector<uint32_t> codes = {0x01, 0x02, 0x03, 0xFF, 0x80, 0x00, 0x7F, 0x10};
  std::vector<unsigned char> packed(8, 0);
  pack_codes(codes.data(), 8, 8, packed.data());
  EXPECT_EQ(word(packed, 0), 0xFF030201u);
  EXPECT_EQ(word(packed, 1), 0x107F0080u);
  for (size_t i = 0; i < codes.size(); ++i) EXPECT_EQ(read_code(packed.data(), 8, int64_t(i)), codes[i]);
}

TEST(Packing, DequantizeAppliesEachGroupsScaleAndBias) {
  const std::vector<uint32_t> codes = {0, 1, 2, 3, 0, 1, 2, 3};
  std::vector<unsigned char> packed(4, 0);
  pack_codes(codes.data(), 4, 8, packed.data());
  const float scales[] = {0.5f, -2.0f}, biases[] = {1.0f, 3.0f};
  float out[8];
  dequantize_codes(packed.data(), 4, 4, 8, scales, biases, out);
  const float want[] = {1.0f, 1.5f, 2.0f, 2.5f, 3.0f, 1.0f, -1.0f, -3.0f};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(out[i], want[i]) << i;
}

}  // namespace
}  // namespace glassbox
