#pragma once
// Chat templates without a Jinja engine: the template text in tokenizer_config.json (or chat_template.jinja)
// is recognized as one of the families glassbox renders in C++, byte for byte as transformers'
// apply_chat_template does: plain ChatML, Qwen2.5 (default system prompt), Qwen3 (thinking on or off) and
// Llama-3. Anything else is an error that suggests --raw.
#include <string>
#include <vector>

namespace glassbox {

struct ChatMessage {
  std::string role, content;
};

class ChatTemplate {
 public:
  enum class Family { ChatML, Qwen25, Qwen3, Llama3 };

  // `bos_token` is the tokenizer_config.json bos_token (Llama-3 templates start with it).
  static ChatTemplate recognize(const std::string& jinja, const std::string& bos_token);

  std::string render(const std::vector<ChatMessage>& messages, bool add_generation_prompt,
                     bool enable_thinking = true) const;
  Family family() const { return family_; }
  const char* family_name() const;

 private:
  std::string render_qwen(const std::vector<ChatMessage>& messages, bool add_generation_prompt,
                          bool enable_thinking) const;
  std::string render_llama3(const std::vector<ChatMessage>& messages, bool add_generation_prompt) const;

  Family family_ = Family::ChatML;
  std::string bos_token_;
  std::string default_system_;          // Qwen2.5: used when the first message is not a system message
  bool llama3_always_prompts_ = false;  // the original Llama-3 template ignores add_generation_prompt
};

}  // namespace glassbox
