#include "render/png_metadata.h"

#include <gtest/gtest.h>

#include "render/png_file.h"
#include "render/provenance.h"
#include "render/token_strip.h"
#include "support/temp_dir.h"

namespace glassbox::render {
namespace {

TEST(RenderPng, Crc32KnownValues) {
  EXPECT_EQ(crc32("123456789"), 0xcbf43926u);  // the standard check value of CRC-32
  EXPECT_EQ(crc32("IEND"), 0xae426082u);       // the CRC every PNG ends with
  EXPECT_EQ(crc32(""), 0u);
}

TEST(RenderPng, ProvenanceIsStoredInTextChunksWithValidCrcs) {
  test::TempDir dir;
  TokenStrip strip;
  strip.tokens = {{"a", 1}};
  strip.title = "Tokens";
  Provenance p;
  p.model = "models/demo";
  p.prompt = "héllo\nworld";  // not ASCII: an iTXt chunk
  p.command_line = "glassbox lesson --x 1";
  p.extra = {{"Seed", "42"}};
  save(strip, dir / "t.png", p);
  const auto chunks = test::png_chunks(test::read_bytes(dir / "t.png"));
  ASSERT_GE(chunks.size(), 3u);
  EXPECT_EQ(chunks.front().type, "IHDR");
  EXPECT_EQ(chunks.back().type, "IEND");
  std::vector<std::string> texts;
  for (const auto& c : chunks) {
    EXPECT_EQ(c.crc, crc32(c.type + c.data)) << c.type;
    if (c.type == "tEXt" || c.type == "iTXt") texts.push_back(c.type + ":" + c.data);
  }
  const std::string nul(1, '\0');
  EXPECT_EQ(texts, (std::vector<std::string>{
                       "tEXt:Title" + nul + "Tokens",
                       "tEXt:Software" + nul + "glassbox",
                       "tEXt:Model" + nul + "models/demo",
                       "iTXt:Prompt" + nul + nul + nul + nul + nul + "héllo\nworld",
                       "tEXt:Command line" + nul + "glassbox lesson --x 1",
                       "tEXt:Seed" + nul + "42",
                   }));
  test::PngImage image(dir / "t.png");
  EXPECT_TRUE(image.ok());  // libpng accepts the spliced chunks
}

}  // namespace
}  // namespace glassbox::render
