#pragma once
// Runs the glassbox command (or any program) as a user would, capturing exit code, stdout and stderr.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/files.h"
#include "support/temp_dir.h"

namespace glassbox::test {

struct RunResult {
  int exit_code = -1;  // -1 when the process died from a signal (a crash)
  std::string out, err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline RunResult run(const std::string& program, const std::vector<std::string>& args) {
  TempDir dir;
  std::string command = shell_quote(program);
  for (const std::string& a : args) command += " " + shell_quote(a);
  command += " >" + shell_quote((dir / "out").string()) + " 2>" + shell_quote((dir / "err").string()) + " </dev/null";
  const int status = std::system(command.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_all(dir / "out");
  r.err = read_all(dir / "err");
  return r;
}

// The glassbox binary of this build.
inline RunResult glassbox(const std::vector<std::string>& args) { return run(GLASSBOX_BIN, args); }

}  // namespace glassbox::test
