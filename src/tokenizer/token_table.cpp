#include "tokenizer/token_table.h"

#include <nlohmann/json.hpp>
#include <utf8proc.h>

#include <algorithm>
#include <cstdio>

#include "base/utf8.h"

namespace glassbox {
namespace {

// Terminal columns of valid UTF-8 (CJK characters take two), for aligning the table.
size_t columns(const std::string& s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) n += static_cast<size_t>(std::max(1, utf8proc_charwidth(static_cast<utf8proc_int32_t>(utf8::next(s, i)))));
  return n;
}

std::string pad(const std::string& s, size_t width) {
  const size_t w = columns(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string hex_bytes(const std::string& bytes) {
  std::string out;
  char buf[4];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%02X", static_cast<unsigned char>(bytes[i]));
    out += (i ? " " : "") + std::string(buf);
  }
  return out;
}

}  // namespace

std::string format_token_table(const std::vector<TokenInfo>& tokens) {
  size_t piece_width = 5, bytes_width = 5;
  for (const TokenInfo& t : tokens) {
    piece_width = std::max(piece_width, columns(t.display));
    bytes_width = std::max(bytes_width, hex_bytes(t.bytes).size());
  }
  char head[64];
  std::string out;
  std::snprintf(head, sizeof head, "%5s %8s  ", "#", "id");
  out += head + pad("token", piece_width) + "  " + pad("bytes", bytes_width) + "  span        flags\n";
  for (size_t i = 0; i < tokens.size(); ++i) {
    const TokenInfo& t = tokens[i];
    std::snprintf(head, sizeof head, "%5zu %8d  ", i, t.id);
    char span[32];
    std::snprintf(span, sizeof span, "%zu..%zu", t.begin, t.end);
    std::string flags = t.special ? "special" : "";
    if (t.partial_utf8) flags += flags.empty() ? "partial" : " partial";
    std::string line = head + pad(t.display, piece_width) + "  " + pad(hex_bytes(t.bytes), bytes_width) + "  " +
                       pad(span, 10) + "  " + flags;
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string format_token_json(const std::vector<TokenInfo>& tokens) {
  nlohmann::ordered_json j = {{"ids", nlohmann::ordered_json::array()},
                              {"tokens", nlohmann::ordered_json::array()},
                              {"byte_offsets", nlohmann::ordered_json::array()},
                              {"special", nlohmann::ordered_json::array()}};
  for (const TokenInfo& t : tokens) {
    j["ids"].push_back(t.id);
    j["tokens"].push_back(t.piece);
    j["byte_offsets"].push_back({t.begin, t.end});
    j["special"].push_back(t.special);
  }
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace glassbox
