#pragma once
// The flags that make a chat prompt, shared by generate, topk, dump, template and the lessons:
// --messages FILE.json (a whole conversation), --system TEXT (a system message before --prompt), and
// --var NAME=JSON (a template variable such as enable_thinking=false; repeatable).
#include <cxxopts.hpp>
#include <string>

#include "tokenizer/chat_template.h"

namespace glassbox {

void add_chat_options(cxxopts::Options& options);

// NAME=JSON -> (NAME, value); errors name the flag. JSON text must be quoted: --var 'date_string="1 Jan"'.
std::pair<std::string, jinja::Value> parse_template_variable(const std::string& flag_value);

// Every --var, in the order given.
jinja::Variables template_variables(const cxxopts::ParseResult& args);

// The conversation of --messages, or else `text` as one user message after --system (if given); with
// the --var variables.
ChatRequest chat_request(const cxxopts::ParseResult& args, const std::string& text);

// The first of --messages, --system and --var that was given, or "" (they all need a chat template).
std::string chat_flag_given(const cxxopts::ParseResult& args);

}  // namespace glassbox
