#pragma once
// Bounds that keep a hostile template from hanging or crashing the tool. Real chat templates stay far
// below each of them (the largest of 30 published templates takes a few thousand steps).
#include <cstddef>
#include <cstdint>

namespace glassbox::jinja::limits {

constexpr size_t kTemplateBytes = size_t(4) << 20;  // template source
constexpr size_t kStringBytes = size_t(32) << 20;   // any string, the rendered text included
constexpr size_t kSequenceItems = size_t(1) << 22;  // items of one list, tuple or dict
constexpr uint64_t kSteps = 20'000'000;             // evaluated nodes plus items touched by filters, per render
constexpr uint64_t kBytesBuilt = uint64_t(256) << 20; // bytes of all strings built during one render
constexpr int kNesting = 200;                        // parser: brackets, blocks and operators inside each other
constexpr int kCallDepth = 100;                      // macros, caller() and recursive loops inside each other
constexpr size_t kStackBytes = size_t(2) << 20;      // stack a render may use (threads have 8 MiB)
constexpr int kValueDepth = 200;                     // lists, dicts and namespaces inside each other
constexpr int64_t kRange = 100'000;                  // range() items, as jinja2's sandbox (MAX_RANGE)

}  // namespace glassbox::jinja::limits
