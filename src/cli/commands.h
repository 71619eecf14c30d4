#pragma once
// The subcommands of `glassbox`. Each parses its own flags (cxxopts), prints --help, and returns the exit code.
namespace glassbox::cli {

using CommandFn = int (*)(int argc, char** argv);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

int run_generate(int argc, char** argv);
int run_topk(int argc, char** argv);
int run_params(int argc, char** argv);
int run_dump(int argc, char** argv);
int run_steer_vector(int argc, char** argv);
int run_lens(int argc, char** argv);
int run_heads(int argc, char** argv);
int run_ablate_sweep(int argc, char** argv);
int run_patch_sweep(int argc, char** argv);
int run_render_demo(int argc, char** argv);
int run_tokenize(int argc, char** argv);
int run_template(int argc, char** argv);
int run_convert(int argc, char** argv);
int run_bench(int argc, char** argv);
int run_perplexity(int argc, char** argv);
int run_eval(int argc, char** argv);
int run_tree(int argc, char** argv);
int run_probe(int argc, char** argv);

}  // namespace glassbox::cli
