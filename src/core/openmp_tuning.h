#pragma once
// How OpenMP threads wait between parallel regions. libgomp's threads spin for a long time after each region
// so the next one starts fast; when another program holds a core, a spinning thread steals the time slice
// of the thread everyone waits for, and decoding slowed from ~800 to ~80 tokens/sec on the demo model with
// two busy loops beside it (and to ~2 beside another OpenMP program). A short spin keeps the quiet-machine
// speed and degrades gracefully: ~290 tokens/sec in the same two-busy-loop test.
namespace glassbox {

// libgomp reads its settings once, before main(), so a process can only choose them for itself by setting
// them and starting again: when the user set neither GOMP_SPINCOUNT nor OMP_WAIT_POLICY, this sets
// GOMP_SPINCOUNT and re-executes the program with the same arguments. Call it first thing in main().
void tune_openmp_waiting(char** argv);

}  // namespace glassbox
