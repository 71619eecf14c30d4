#pragma once
// Running a piece of work in a forked child: its memory never counts toward this process's peak RSS.
#include <functional>
#include <string>

namespace glassbox::cli {

// Runs `work` in a child process and returns the string it produced. An Error thrown in the child is
// rethrown here with the same message. Call it before this process has started OpenMP threads.
std::string run_in_child(const std::function<std::string()>& work);

}  // namespace glassbox::cli
