#pragma once
// A process that holds tokens must not leave them in a core file, nor let another process
// of the same user read its memory (ptrace, /proc/PID/mem).

namespace patrol::helper {

// Marks this process not dumpable (PR_SET_DUMPABLE 0: no core file, no ptrace attach by
// the same user, /proc/PID/ owned by root) and sets RLIMIT_CORE to 0, soft and hard. Run
// first thing in main: exec resets dumpability, so every process started from this binary,
// the detached background refresh included, runs it again; the limit is inherited.
void forbid_core_dumps();

} // namespace patrol::helper
