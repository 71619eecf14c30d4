#include "tokenizer/jinja/filters.h"

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/filter_functions.h"

namespace glassbox::jinja {
namespace {

// Every filter of jinja2 3.1, plus transformers' tojson. Those without a function are left out: HTML
// escaping (autoescape is off in transformers, and Markup's escaping rules would need a string type of
// their own), randomness, and formatting no chat template uses.
constexpr FilterInfo kFilters[] = {
    {"abs", filters::abs}, {"attr", filters::attr}, {"batch", nullptr}, {"capitalize", filters::capitalize},
    {"center", filters::center}, {"count", filters::length}, {"d", filters::default_value},
    {"default", filters::default_value}, {"dictsort", filters::dictsort}, {"e", nullptr}, {"escape", nullptr},
    {"filesizeformat", nullptr}, {"first", filters::first}, {"float", filters::to_float},
    {"forceescape", nullptr}, {"format", filters::format}, {"groupby", nullptr}, {"indent", filters::indent},
    {"int", filters::to_int}, {"items", filters::items}, {"join", filters::join}, {"last", filters::last},
    {"length", filters::length}, {"list", filters::list}, {"lower", filters::lower}, {"map", filters::map},
    {"max", filters::max}, {"min", filters::min}, {"pprint", nullptr}, {"random", nullptr},
    {"reject", filters::reject}, {"rejectattr", filters::rejectattr}, {"replace", filters::replace},
    {"reverse", filters::reverse}, {"round", filters::round}, {"safe", filters::safe}, {"select", filters::select},
    {"selectattr", filters::selectattr}, {"slice", nullptr}, {"sort", filters::sort}, {"string", filters::string},
    {"striptags", nullptr}, {"sum", filters::sum}, {"title", filters::title}, {"tojson", filters::tojson},
    {"trim", filters::trim}, {"truncate", filters::truncate}, {"unique", filters::unique}, {"upper", filters::upper},
    {"urlencode", nullptr}, {"urlize", nullptr}, {"wordcount", filters::wordcount}, {"wordwrap", nullptr},
    {"xmlattr", nullptr},
};

}  // namespace

const FilterInfo* find_filter(std::string_view name) {
  for (const FilterInfo& f : kFilters)
    if (name == f.name) return &f;
  return nullptr;
}

Value apply_filter(Runtime& runtime, std::string_view name, const Value& input, Arguments& args) {
  const FilterInfo* f = find_filter(name);
  if (!f) failure("no filter named '" + std::string(name) + "'");
  if (!f->fn) failure("the filter '" + std::string(name) + "' is not supported by glassbox's template engine");
  return f->fn(runtime, input, args);
}

}  // namespace glassbox::jinja
