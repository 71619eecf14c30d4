#include "render/fonts.h"

#include <cairo-ft.h>
#include <fontconfig/fontconfig.h>

#include <map>
#include <mutex>

#include "base/utf8.h"

namespace glassbox::render {
namespace {

// The fonts fontconfig ranks for "DejaVu Sans" in one weight, each opened on first use.
class FontList {
 public:
  explicit FontList(bool bold) {
    pattern_ = FcPatternCreate();
    FcPatternAddString(pattern_, FC_FAMILY, reinterpret_cast<const FcChar8*>("DejaVu Sans"));
    FcPatternAddInteger(pattern_, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcConfigSubstitute(nullptr, pattern_, FcMatchPattern);
    FcDefaultSubstitute(pattern_);
    FcResult result;
    sorted_ = FcFontSort(nullptr, pattern_, FcFalse, nullptr, &result);
    if (sorted_) faces_.assign(std::size_t(sorted_->nfont), nullptr);
    // Without any font at all Cairo's built-in toy face still draws boxes rather than failing.
    fallback_ = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  }
  ~FontList() {
    for (cairo_font_face_t* face : faces_)
      if (face && face != fallback_) cairo_font_face_destroy(face);
    cairo_font_face_destroy(fallback_);
    if (sorted_) FcFontSetDestroy(sorted_);
    FcPatternDestroy(pattern_);
  }
  FontList(const FontList&) = delete;
  FontList& operator=(const FontList&) = delete;

  cairo_font_face_t* face_for(char32_t cp) {
    const auto hit = cache_.find(cp);
    if (hit != cache_.end()) return hit->second;
    cairo_font_face_t* face = nullptr;
    for (std::size_t i = 0; i < faces_.size() && !face; ++i)
      if (has_char(i, cp)) face = open(i);
    if (!face) face = faces_.empty() ? fallback_ : open(0);  // nothing has it: the primary's box glyph
    cache_.emplace(cp, face);
    return face;
  }

 private:
  bool has_char(std::size_t i, char32_t cp) const {
    FcCharSet* charset = nullptr;
    return FcPatternGetCharSet(sorted_->fonts[i], FC_CHARSET, 0, &charset) == FcResultMatch &&
           FcCharSetHasChar(charset, FcChar32(cp));
  }
  cairo_font_face_t* open(std::size_t i) {
    if (!faces_[i]) {
      FcPattern* prepared = FcFontRenderPrepare(nullptr, pattern_, sorted_->fonts[i]);
      faces_[i] = prepared ? cairo_ft_font_face_create_for_pattern(prepared) : fallback_;
      if (prepared) FcPatternDestroy(prepared);  // the face keeps its own reference
    }
    return faces_[i];
  }

  FcPattern* pattern_ = nullptr;
  FcFontSet* sorted_ = nullptr;
  std::vector<cairo_font_face_t*> faces_;
  cairo_font_face_t* fallback_ = nullptr;
  std::map<char32_t, cairo_font_face_t*> cache_;
};

std::mutex& font_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

std::vector<FontRun> font_runs(std::string_view valid_utf8, bool bold) {
  std::lock_guard lock(font_mutex());
  static FontList regular(false), heavy(true);
  FontList& list = bold ? heavy : regular;
  std::vector<FontRun> runs;
  std::size_t i = 0;
  while (i < valid_utf8.size()) {
    const std::size_t start = i;
    const char32_t cp = utf8::decode(valid_utf8, i).value_or(U'\uFFFD');
    cairo_font_face_t* face = list.face_for(cp);
    if (runs.empty() || runs.back().face != face) runs.push_back({face, {}});
    runs.back().utf8.append(valid_utf8.substr(start, i - start));
  }
  return runs;
}

void apply_font_options(cairo_t* cr) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT);
  // Unhinted metrics: widths scale linearly with size and match what an SVG viewer lays out.
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
}

}  // namespace glassbox::render
