#include "common/test_pause.hpp"

#ifdef PATROL_TEST_HOOKS
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include <fcntl.h>
#include <unistd.h>
#endif

namespace patrol {

#ifdef PATROL_TEST_HOOKS
void test_pause(const char* env_name) {
  const char* path = std::getenv(env_name);
  if (path == nullptr || *path == '\0') {
    return;
  }
  const std::string reached = std::string(path) + ".reached";
  const std::string go = std::string(path) + ".go";
  const int fd = ::open(reached.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (::access(go.c_str(), F_OK) != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}
#else
void test_pause(const char* /*env_name*/) {}
#endif

} // namespace patrol
