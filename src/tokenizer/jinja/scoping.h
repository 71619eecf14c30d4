#pragma once
// jinja2 decides at compile time how each scope starts each name it uses (jinja2/idtracking.py): from the
// scope around it, or undefined. A name a scope assigns before mentioning it any other way starts
// undefined, hiding any outer value; an {% if %} that assigns it in only some branches keeps the outer
// value. This pass computes, for the template and every scope inside it, the names that start undefined.
#include "tokenizer/jinja/ast.h"

namespace glassbox::jinja {

void analyze_scopes(Program& program);

}  // namespace glassbox::jinja
