#include "tokenizer/chat_template.h"

#include <set>

#include "base/error.h"
#include "tokenizer/unicode.h"
#include "base/utf8.h"

namespace glassbox {
namespace {

constexpr const char* kQwenDefaultSystem = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

// The string literals of a Jinja template, escapes resolved. A family is recognized only when every literal
// is one its renderer knows, so a template that would print anything else is refused rather than misrendered.
std::set<std::string> literals(const std::string& jinja) {
  std::set<std::string> out;
  for (size_t i = 0; i < jinja.size(); ++i) {
    const char q = jinja[i];
    if (q != '\'' && q != '"') continue;
    std::string lit;
    size_t k = i + 1;
    for (; k < jinja.size() && jinja[k] != q; ++k) {
      if (jinja[k] == '\\' && k + 1 < jinja.size()) {
        const char e = jinja[++k];
        lit += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      } else {
        lit += jinja[k];
      }
    }
    out.insert(lit);
    i = k;
  }
  return out;
}

bool all_known(const std::set<std::string>& found, const std::set<std::string>& known) {
  for (const std::string& s : found)
    if (!known.count(s)) return false;
  return true;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The template's text outside {{ }}, {% %} and {# #}, with ChatML's markers removed: for a plain ChatML
// template only whitespace may remain, or the template prints text glassbox would not.
bool raw_text_is_chatml_only(const std::string& jinja) {
  std::string raw;
  for (size_t i = 0; i < jinja.size();) {
    if (jinja[i] == '{' && i + 1 < jinja.size() && (jinja[i + 1] == '{' || jinja[i + 1] == '%' || jinja[i + 1] == '#')) {
      const std::string close = std::string(1, jinja[i + 1] == '{' ? '}' : jinja[i + 1]) + "}";
      const size_t end = jinja.find(close, i + 2);
      if (end == std::string::npos) return false;
      i = end + 2;
    } else {
      raw += jinja[i++];
    }
  }
  for (const char* marker : {"<|im_start|>", "<|im_end|>", "assistant"})
    for (size_t p = raw.find(marker); p != std::string::npos; p = raw.find(marker)) raw.erase(p, std::string(marker).size());
  return raw.find_first_not_of(" \t\r\n") == std::string::npos;
}

[[noreturn]] void unrecognized(const std::string& why) {
  fail("chat template: " + why + "; glassbox renders ChatML, Qwen2.5, Qwen3 and Llama-3 templates "
       "(use --raw to give the prompt text as is)");
}

const std::set<std::string> kChatMLLiterals = {"<|im_start|>", "<|im_end|>", "\n", "<|im_end|>\n",
                                               "<|im_start|>assistant\n", "role", "content"};

const std::set<std::string> kQwenToolLiterals = {
    "<|im_start|>system\n", "system", "user", "assistant", "tool", "role", "content", "\n", "\n\n",
    "<|im_start|>", "<|im_end|>", "<|im_end|>\n", "<|im_start|>assistant\n", "<|im_start|>user",
    "\n<tool_response>\n", "\n</tool_response>", "<tool_response>", "</tool_response>",
    "<tool_call>\n{\"name\": \"", "\n<tool_call>\n{\"name\": \"", "\", \"arguments\": ", "}\n</tool_call>",
    "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with "
    "function signatures within <tools></tools> XML tags:\n<tools>",
    "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with "
    "function signatures within <tools></tools> XML tags:\n<tools>",
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
    "<args-json-object>}\n</tool_call><|im_end|>\n",
    "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n",
    kQwenDefaultSystem, "", "</think>", "<think>", "\n<think>\n", "\n</think>\n\n", "<think>\n\n</think>\n\n"};

const std::set<std::string> kLlama3Literals = {"<|start_header_id|>", "role", "<|end_header_id|>\n\n", "content",
                                              "<|eot_id|>", "<|start_header_id|>assistant<|end_header_id|>\n\n"};

bool is_python_space(char32_t c) { return unicode::is_whitespace(c) || (c >= 0x1C && c <= 0x1F); }

// Python's str.strip() (Jinja's trim filter).
std::string trim(const std::string& s) {
  size_t begin = 0, end = s.size();
  while (begin < end) {
    size_t i = begin;
    if (!is_python_space(utf8::next(s, i))) break;
    begin = i;
  }
  while (end > begin) {
    size_t b = end - 1;
    while (b > begin && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
    size_t i = b;
    if (!is_python_space(utf8::next(s, i))) break;
    end = b;
  }
  return s.substr(begin, end - begin);
}

std::string lstrip_newlines(const std::string& s) {
  const size_t b = s.find_first_not_of('\n');
  return b == std::string::npos ? "" : s.substr(b);
}
std::string rstrip_newlines(const std::string& s) {
  const size_t e = s.find_last_not_of('\n');
  return e == std::string::npos ? "" : s.substr(0, e + 1);
}
bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }
bool ends_with(const std::string& s, const std::string& p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

}  // namespace

ChatTemplate ChatTemplate::recognize(const std::string& jinja, const std::string& bos_token) {
  ChatTemplate t;
  t.bos_token_ = bos_token;
  const std::set<std::string> lits = literals(jinja);
  if (contains(jinja, "<|start_header_id|>") && contains(jinja, "<|eot_id|>")) {
    if (!all_known(lits, kLlama3Literals) || !contains(jinja, "| trim") || !contains(jinja, "bos_token"))
      unrecognized("a Llama-3 style template other than Llama-3's own (Llama 3.1+ date and tool prompts are not supported)");
    t.family_ = Family::Llama3;
    t.llama3_always_prompts_ = !contains(jinja, "add_generation_prompt");
    return t;
  }
  if (contains(jinja, "<|im_start|>")) {
    if (!contains(jinja, "add_generation_prompt")) unrecognized("a ChatML template without add_generation_prompt");
    if (contains(jinja, "enable_thinking") && contains(jinja, "<think>\\n\\n</think>\\n\\n") &&
        contains(jinja, "last_query_index") && all_known(lits, kQwenToolLiterals)) {
      t.family_ = Family::Qwen3;
      return t;
    }
    if (contains(jinja, kQwenDefaultSystem) && !contains(jinja, "<think>") && all_known(lits, kQwenToolLiterals)) {
      t.family_ = Family::Qwen25;
      t.default_system_ = kQwenDefaultSystem;
      return t;
    }
    if (all_known(lits, kChatMLLiterals) && raw_text_is_chatml_only(jinja) && !contains(jinja, "bos_token") && !contains(jinja, "eos_token") &&
        !contains(jinja, "system_message")) {
      t.family_ = Family::ChatML;
      return t;
    }
    unrecognized("a ChatML variant with text glassbox does not know (for example a built-in system prompt)");
  }
  unrecognized("not a template family glassbox knows");
}

const char* ChatTemplate::family_name() const {
  switch (family_) {
    case Family::ChatML: return "ChatML";
    case Family::Qwen25: return "Qwen2.5";
    case Family::Qwen3: return "Qwen3";
    case Family::Llama3: return "Llama-3";
  }
  return "?";
}

std::string ChatTemplate::render(const std::vector<ChatMessage>& messages, bool add_generation_prompt,
                                 bool enable_thinking) const {
  if (messages.empty()) fail("chat template: the conversation has no messages");
  switch (family_) {
    case Family::Llama3: return render_llama3(messages, add_generation_prompt);
    case Family::ChatML: {
      std::string out;
      for (const ChatMessage& m : messages) out += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
      if (add_generation_prompt) out += "<|im_start|>assistant\n";
      return out;
    }
    case Family::Qwen25:
    case Family::Qwen3: return render_qwen(messages, add_generation_prompt, enable_thinking);
  }
  return {};
}

std::string ChatTemplate::render_llama3(const std::vector<ChatMessage>& messages, bool add_generation_prompt) const {
  std::string out;
  for (size_t i = 0; i < messages.size(); ++i) {
    if (i == 0) out += bos_token_;
    out += "<|start_header_id|>" + messages[i].role + "<|end_header_id|>\n\n" + trim(messages[i].content) +
           "<|eot_id|>";
  }
  if (add_generation_prompt || llama3_always_prompts_) out += "<|start_header_id|>assistant<|end_header_id|>\n\n";
  return out;
}

std::string ChatTemplate::render_qwen(const std::vector<ChatMessage>& messages, bool add_generation_prompt,
                                      bool enable_thinking) const {
  const bool qwen3 = family_ == Family::Qwen3;
  const size_t n = messages.size();
  std::string out;
  if (messages[0].role == "system") out += "<|im_start|>system\n" + messages[0].content + "<|im_end|>\n";
  else if (!qwen3) out += "<|im_start|>system\n" + default_system_ + "<|im_end|>\n";

  // Qwen3 shows the reasoning of assistant turns after the last real user query only.
  size_t last_query = n - 1;
  for (size_t k = n; k-- > 0;) {
    const ChatMessage& m = messages[k];
    if (m.role == "user" && !(starts_with(m.content, "<tool_response>") && ends_with(m.content, "</tool_response>"))) {
      last_query = k;
      break;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const ChatMessage& m = messages[i];
    if (m.role == "user" || (m.role == "system" && i > 0) || (!qwen3 && m.role == "assistant")) {
      out += "<|im_start|>" + m.role + "\n" + m.content + "<|im_end|>\n";
    } else if (m.role == "assistant") {
      std::string content = m.content, reasoning;
      const size_t close = m.content.find("</think>");
      if (close != std::string::npos) {
        content = lstrip_newlines(m.content.substr(m.content.rfind("</think>") + 8));
        const std::string before = rstrip_newlines(m.content.substr(0, close));
        const size_t open = before.rfind("<think>");
        reasoning = lstrip_newlines(open == std::string::npos ? before : before.substr(open + 7));
      }
      if (i > last_query && (i + 1 == n || !reasoning.empty()))
        out += "<|im_start|>assistant\n<think>\n" + rstrip_newlines(lstrip_newlines(reasoning)) + "\n</think>\n\n" +
               lstrip_newlines(content);
      else
        out += "<|im_start|>assistant\n" + content;
      out += "<|im_end|>\n";
    } else if (m.role == "tool") {
      if (i == 0 || messages[i - 1].role != "tool") out += "<|im_start|>user";
      out += "\n<tool_response>\n" + m.content + "\n</tool_response>";
      if (i + 1 == n || messages[i + 1].role != "tool") out += "<|im_end|>\n";
    }
  }
  if (add_generation_prompt) {
    out += "<|im_start|>assistant\n";
    if (qwen3 && !enable_thinking) out += "<think>\n\n</think>\n\n";
  }
  return out;
}

}  // namespace glassbox
