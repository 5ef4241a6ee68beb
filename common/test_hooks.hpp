#pragma once
// Test hooks: points where a test can stop the process, to reproduce a crash or force an
// interleaving of two processes, through the real binary.
//
// They exist only in the test build of the executable (CMake target
// git-credential-patrol-test-hooks, built as <build>/test-hooks/git-credential-patrol and
// never installed or packaged). It links tests/hooks/test_hooks.cpp, which arms each hook
// from an environment variable. Everything else, the installed and packaged
// git-credential-patrol included, gets the empty definition in common/test_hooks.cpp:
// no hook does anything there and no hook's variable name is in that binary
// (tests/packaging/test_no_test_hooks.py checks).
//
// Adding a hook: a value in Hook, its row in tests/hooks/test_hooks.cpp (the variable that
// arms it), and `test_hook(Hook::...)` where it should act. Integration tests run the
// hooked binary with Sandbox(test_hooks=True) (tests/integration/harness.py).
#include <chrono>

namespace patrol {

enum class Hook {
  // The file store has written and synced its temporary file and is about to rename it
  // over the old one.
  pause_before_rename,
  // The background refresh has looked the token up and is about to save what it learnt.
  pause_before_refresh_save,
  // A lock file was found held by another process; the wait for it is about to begin.
  pause_on_held_lock,
};

// In the test build: when the hook's variable names a file, creates that file and waits
// until the test deletes it (or kills the process). Elsewhere: nothing.
void test_hook(Hook hook);

// In the test build: PATROL_TEST_LOCK_PATIENCE_MS, when set, in place of `patience`, so a
// test sees the file store's bounded wait for its lock run out without waiting 20 s.
// Elsewhere: `patience`.
std::chrono::milliseconds test_lock_patience(std::chrono::milliseconds patience);

} // namespace patrol
