#pragma once
// A small XML well-formedness check for the SVG tests: balanced elements, quoted attributes, known
// entities, one root. It is no validator; it catches what a broken writer would produce.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace glassbox::test {

// "" when `xml` is well formed, else what is wrong and where.
inline std::string xml_error(std::string_view xml) {
  std::vector<std::string> open;
  int roots = 0;
  std::size_t i = 0;
  const auto at = [&](std::size_t p) { return " at byte " + std::to_string(p); };
  const auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '-' || c == '_' || c == '.';
  };
  const auto check_entities = [&](std::string_view text, std::size_t base) -> std::string {
    for (std::size_t k = text.find('&'); k != std::string_view::npos; k = text.find('&', k + 1)) {
      const std::size_t end = text.find(';', k);
      if (end == std::string_view::npos) return "unterminated entity" + at(base + k);
      const std::string_view e = text.substr(k + 1, end - k - 1);
      if (e != "amp" && e != "lt" && e != "gt" && e != "quot" && e != "apos" && !(e.size() > 1 && e[0] == '#'))
        return "unknown entity &" + std::string(e) + ";" + at(base + k);
    }
    return "";
  };
  while (i < xml.size()) {
    if (xml[i] != '<') {
      const std::size_t end = std::min(xml.find('<', i), xml.size());
      const std::string_view text = xml.substr(i, end - i);
      if (open.empty() && text.find_first_not_of(" \t\r\n") != std::string_view::npos)
        return "text outside the root element" + at(i);
      if (text.find('>') != std::string_view::npos) return "unescaped '>' in text" + at(i);
      if (auto e = check_entities(text, i); !e.empty()) return e;
      i = end;
      continue;
    }
    if (xml.substr(i, 2) == "<?") {
      const std::size_t end = xml.find("?>", i);
      if (end == std::string_view::npos) return "unterminated processing instruction" + at(i);
      i = end + 2;
      continue;
    }
    if (xml.substr(i, 4) == "<!--") {
      const std::size_t end = xml.find("-->", i);
      if (end == std::string_view::npos) return "unterminated comment" + at(i);
      i = end + 3;
      continue;
    }
    const bool closing = xml.substr(i, 2) == "</";
    std::size_t p = i + (closing ? 2 : 1);
    const std::size_t name_start = p;
    while (p < xml.size() && name_char(xml[p])) ++p;
    const std::string name(xml.substr(name_start, p - name_start));
    if (name.empty()) return "tag without a name" + at(i);
    if (closing) {
      while (p < xml.size() && std::isspace(static_cast<unsigned char>(xml[p]))) ++p;
      if (p >= xml.size() || xml[p] != '>') return "malformed end tag" + at(i);
      if (open.empty() || open.back() != name) return "end tag </" + name + "> does not match" + at(i);
      open.pop_back();
      i = p + 1;
      continue;
    }
    std::vector<std::string> attributes;
    while (true) {
      while (p < xml.size() && std::isspace(static_cast<unsigned char>(xml[p]))) ++p;
      if (p >= xml.size()) return "unterminated tag <" + name + ">" + at(i);
      if (xml[p] == '>' || xml.substr(p, 2) == "/>") break;
      const std::size_t a = p;
      while (p < xml.size() && name_char(xml[p])) ++p;
      if (p == a || p >= xml.size() || xml[p] != '=') return "malformed attribute in <" + name + ">" + at(a);
      const std::string attribute(xml.substr(a, p - a));
      for (const auto& seen : attributes)
        if (seen == attribute) return "duplicate attribute " + attribute + at(a);
      attributes.push_back(attribute);
      ++p;
      if (p >= xml.size() || (xml[p] != '"' && xml[p] != '\'')) return "unquoted attribute value" + at(p);
      const char quote = xml[p];
      const std::size_t end = xml.find(quote, p + 1);
      if (end == std::string_view::npos) return "unterminated attribute value" + at(p);
      const std::string_view value = xml.substr(p + 1, end - p - 1);
      if (value.find('<') != std::string_view::npos) return "'<' in attribute value" + at(p);
      if (auto e = check_entities(value, p + 1); !e.empty()) return e;
      p = end + 1;
    }
    if (open.empty() && ++roots > 1) return "more than one root element" + at(i);
    if (xml[p] == '>') {
      open.push_back(name);
      i = p + 1;
    } else {
      i = p + 2;
    }
  }
  if (!open.empty()) return "unclosed element <" + open.back() + ">";
  if (roots != 1) return "no root element";
  return "";
}

}  // namespace glassbox::test
