#pragma once
// A pause point for tests that must force an interleaving of processes without sleeps.
// When the environment variable `env_name` names a path, the process creates
// "<path>.reached" and waits until "<path>.go" exists (at most a minute, so a broken test
// cannot hang it forever). Compiled only with PATROL_TEST_HOOKS (a CMake option); a build
// without it ignores the variable.
namespace patrol {

void test_pause(const char* env_name);

} // namespace patrol
