#include "tokenizer/decoder.h"

#include "base/error.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/json_fields.h"
#include "base/utf8.h"

namespace glassbox {
namespace {

std::string replace_all(const std::string& s, const json_fields::Pattern& pattern, const std::string& content) {
  std::string out;
  size_t last = 0;
  for (const auto& [b, e] : pattern.find_all(s)) {
    out.append(s, last, b - last);
    out += content;
    last = e;
  }
  out.append(s, last, std::string::npos);
  return out;
}

std::string replace_literal(const std::string& s, const std::string& from, const std::string& to) {
  std::string out;
  size_t last = 0;
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, last)) {
    out.append(s, last, p - last);
    out += to;
    last = p + from.size();
  }
  out.append(s, last, std::string::npos);
  return out;
}

// The byte of a "<0xNN>" piece.
std::optional<unsigned char> fallback_byte(const std::string& piece) {
  if (piece.size() != 6 || piece.compare(0, 3, "<0x") != 0 || piece[5] != '>') return std::nullopt;
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  const int hi = hex(piece[3]), lo = hex(piece[4]);
  if (hi < 0 || lo < 0) return std::nullopt;
  return static_cast<unsigned char>(hi * 16 + lo);
}

std::string byte_level_bytes(const std::string& piece) {
  // A piece with characters outside the table (an added token like "你好") stands for its own UTF-8.
  return byte_level::decode(piece).value_or(piece);
}

}  // namespace

Decoder Decoder::parse(const nlohmann::json& j, const std::string& where) {
  Decoder d;
  if (j.is_null()) return d;
  d.present_ = true;
  parse_into(j, where, d.steps_);
  return d;
}

void Decoder::parse_into(const nlohmann::json& j, const std::string& where, std::vector<Step>& steps) {
  using namespace json_fields;
  const std::string type = type_of(j, where);
  if (type == "Sequence") {
    const auto& list = list_at(j, "decoders", where);
    for (size_t i = 0; i < list.size(); ++i)
      parse_into(list[i], where + ".decoders[" + std::to_string(i) + "]", steps);
    return;
  }
  Step s{};
  if (type == "ByteLevel") {
    s.kind = Kind::ByteLevel;
  } else if (type == "ByteFallback") {
    s.kind = Kind::ByteFallback;
  } else if (type == "Fuse") {
    s.kind = Kind::Fuse;
  } else if (type == "Replace") {
    s.kind = Kind::Replace;
    s.pattern = std::make_shared<const Pattern>(require(j, "pattern", where), where + ".pattern");
    s.text = string_at(j, "content", where);
  } else if (type == "Strip") {
    s.kind = Kind::Strip;
    s.text = string_at(j, "content", where);
    if (s.text.empty() || utf8::char_length(static_cast<unsigned char>(s.text[0])) != s.text.size())
      fail(where + ".content: expected one character");
    s.start = size_t(integer_in(require(j, "start", where), 0, 1 << 20, where + ".start"));
    s.stop = size_t(integer_in(require(j, "stop", where), 0, 1 << 20, where + ".stop"));
  } else if (type == "Metaspace") {
    s.kind = Kind::Metaspace;
    s.text = string_or(j, "replacement", "\xE2\x96\x81", where);
    std::string scheme = string_or(j, "prepend_scheme", "", where);
    if (scheme.empty()) scheme = bool_or(j, "add_prefix_space", true, where) ? "always" : "never";
    s.strip_first_metaspace = scheme != "never";
  } else {
    unsupported(where, type);
  }
  steps.push_back(std::move(s));
}

void Decoder::apply(const Step& s, std::vector<std::string>& pieces) {
  switch (s.kind) {
    case Kind::ByteLevel: {
      std::string bytes;
      for (const std::string& p : pieces) bytes += byte_level_bytes(p);
      pieces.assign(1, utf8::to_valid_lossy(bytes));
      return;
    }
    case Kind::Metaspace:
      for (size_t i = 0; i < pieces.size(); ++i)
        pieces[i] = replace_literal(pieces[i], s.text, i == 0 && s.strip_first_metaspace ? "" : " ");
      return;
    case Kind::Replace:
      for (std::string& p : pieces) p = replace_all(p, *s.pattern, s.text);
      return;
    case Kind::ByteFallback: {
      // Runs of <0xNN> pieces become their bytes when those form valid UTF-8, else one U+FFFD per byte.
      std::vector<std::string> out;
      std::string run;
      size_t run_pieces = 0;
      const auto flush = [&] {
        if (run_pieces == 0) return;
        if (utf8::is_valid(run)) out.push_back(run);
        else out.insert(out.end(), run_pieces, "\xEF\xBF\xBD");
        run.clear();
        run_pieces = 0;
      };
      for (std::string& p : pieces) {
        if (const auto b = fallback_byte(p)) {
          run += static_cast<char>(*b);
          ++run_pieces;
        } else {
          flush();
          out.push_back(std::move(p));
        }
      }
      flush();
      pieces = std::move(out);
      return;
    }
    case Kind::Fuse: {
      std::string all;
      for (const std::string& p : pieces) all += p;
      pieces.assign(1, std::move(all));
      return;
    }
    case Kind::Strip:
      for (std::string& p : pieces) {
        size_t begin = 0, end = p.size();
        for (size_t k = 0; k < s.start && p.compare(begin, s.text.size(), s.text) == 0; ++k) begin += s.text.size();
        for (size_t k = 0; k < s.stop && end >= begin + s.text.size() &&
                           p.compare(end - s.text.size(), s.text.size(), s.text) == 0;
             ++k)
          end -= s.text.size();
        p = p.substr(begin, end - begin);
      }
      return;
  }
}

std::string Decoder::decode(std::vector<std::string> pieces) const {
  std::string out;
  if (!present_) {
    for (size_t i = 0; i < pieces.size(); ++i) out += (i ? " " : "") + pieces[i];
    return out;
  }
  for (const Step& s : steps_) apply(s, pieces);
  for (const std::string& p : pieces) out += p;
  return out;
}

std::string Decoder::piece_bytes(const std::string& piece) const {
  std::string p = piece;
  for (const Step& s : steps_) {
    switch (s.kind) {
      case Kind::ByteLevel: p = byte_level_bytes(p); break;
      case Kind::Metaspace: p = replace_literal(p, s.text, " "); break;
      case Kind::Replace: p = replace_all(p, *s.pattern, s.text); break;
      case Kind::ByteFallback:
        if (const auto b = fallback_byte(p)) p = std::string(1, static_cast<char>(*b));
        break;
      case Kind::Fuse:
      case Kind::Strip: break;
    }
  }
  return p;
}

}  // namespace glassbox
