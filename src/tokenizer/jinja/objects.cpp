#include "tokenizer/jinja/objects.h"

#include "tokenizer/jinja/printing.h"

namespace glassbox::jinja {

std::string Namespace::repr() const { return "<Namespace " + jinja::repr(Value::dict(attributes_)) + ">"; }

Value Namespace::attribute(const std::string& name) {
  const Value* v = attributes_.find(std::string_view(name));
  return v ? *v : Value::undefined("'Namespace object' has no attribute '" + name + "'");
}

void Namespace::set(const std::string& name, Value value) { attributes_.set(Value::string(name), std::move(value)); }

}  // namespace glassbox::jinja
