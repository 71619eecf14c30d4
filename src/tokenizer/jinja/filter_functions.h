#pragma once
// The filter functions behind the table in filters.cpp, grouped by what they work on.
#include "tokenizer/jinja/filters.h"

namespace glassbox::jinja::filters {

#define GLASSBOX_FILTER(name) Value name(Runtime& runtime, const Value& input, Arguments& args)

// filters_text.cpp
GLASSBOX_FILTER(trim);
GLASSBOX_FILTER(lower);
GLASSBOX_FILTER(upper);
GLASSBOX_FILTER(capitalize);
GLASSBOX_FILTER(title);
GLASSBOX_FILTER(replace);
GLASSBOX_FILTER(indent);
GLASSBOX_FILTER(center);
GLASSBOX_FILTER(truncate);
GLASSBOX_FILTER(wordcount);
GLASSBOX_FILTER(format);
GLASSBOX_FILTER(string);
GLASSBOX_FILTER(safe);

// filters_sequence.cpp
GLASSBOX_FILTER(length);
GLASSBOX_FILTER(join);
GLASSBOX_FILTER(list);
GLASSBOX_FILTER(first);
GLASSBOX_FILTER(last);
GLASSBOX_FILTER(unique);
GLASSBOX_FILTER(sort);
GLASSBOX_FILTER(dictsort);
GLASSBOX_FILTER(reverse);
GLASSBOX_FILTER(items);
GLASSBOX_FILTER(map);
GLASSBOX_FILTER(select);
GLASSBOX_FILTER(reject);
GLASSBOX_FILTER(selectattr);
GLASSBOX_FILTER(rejectattr);
GLASSBOX_FILTER(max);
GLASSBOX_FILTER(min);
GLASSBOX_FILTER(sum);

// filters_value.cpp
GLASSBOX_FILTER(default_value);
GLASSBOX_FILTER(to_int);
GLASSBOX_FILTER(to_float);
GLASSBOX_FILTER(abs);
GLASSBOX_FILTER(round);
GLASSBOX_FILTER(tojson);
GLASSBOX_FILTER(attr);

#undef GLASSBOX_FILTER

}  // namespace glassbox::jinja::filters
