#include "tokenizer/jinja/template.h"

#include "tokenizer/jinja/parser.h"
#include "tokenizer/jinja/renderer.h"

namespace glassbox::jinja {

Template Template::parse(std::string_view source, const std::string& name) {
  Template t;
  t.program_ = jinja::parse(source, name);
  return t;
}

std::string Template::render(const Variables& variables, const std::optional<Moment>& now) const {
  return jinja::render(*program_, variables, now);
}

const std::string& Template::name() const { return program_->name; }

}  // namespace glassbox::jinja
