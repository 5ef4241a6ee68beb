#include "common/test_hooks.hpp"

namespace patrol {

// Weak: the test build links a strong definition (tests/hooks/test_hooks.cpp) that
// replaces this one. Every other binary gets this one, so hooks cost a call to an empty
// function and leave no trace in the installed binary.
__attribute__((weak)) void test_hook(Hook /*hook*/) {}

__attribute__((weak)) std::chrono::milliseconds
test_lock_patience(std::chrono::milliseconds patience) {
  return patience;
}

} // namespace patrol
