#include "helper/lifecycle/background.hpp"

#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace patrol::helper {
namespace {

std::string own_executable() {
  std::array<char, PATH_MAX> buffer{};
  const ssize_t length = readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  return length > 0 ? std::string(buffer.data(), static_cast<std::size_t>(length)) : std::string();
}

// Between fork and exec only async-signal-safe calls: everything is prepared before.
[[noreturn]] void become_daemon(const char* path, char* const* argv, int keep) {
  if (setsid() < 0) {
    _exit(127);
  }
  const pid_t grandchild = fork();
  if (grandchild != 0) {
    _exit(grandchild < 0 ? 127 : 0); // the grandchild is adopted by init: no zombie, no wait
  }
  if (keep >= 0) {
    // dup2 leaves the copy open across exec; onto itself it would keep FD_CLOEXEC.
    if (keep == kept_fd ? fcntl(keep, F_SETFD, 0) != 0 : dup2(keep, kept_fd) != kept_fd) {
      _exit(127);
    }
    syscall(SYS_close_range, 0U, static_cast<unsigned>(kept_fd) - 1, 0U);
    syscall(SYS_close_range, static_cast<unsigned>(kept_fd) + 1, ~0U, 0U);
  } else {
    syscall(SYS_close_range, 0U, ~0U, 0U);
  }
  const int null = open("/dev/null", O_RDWR); // lowest free descriptor: 0
  if (null != 0 || dup2(0, 1) != 1 || dup2(0, 2) != 2) {
    _exit(127);
  }
  execv(path, argv);
  _exit(127);
}

} // namespace

bool run_detached(const std::vector<std::string>& args, int keep) {
  const std::string path = own_executable();
  if (path.empty()) {
    return false;
  }
  std::vector<std::string> words{"git-credential-patrol"};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& word : words) {
    argv.push_back(word.data());
  }
  argv.push_back(nullptr);
  std::fflush(nullptr); // nothing buffered may be written twice
  const pid_t child = fork();
  if (child < 0) {
    return false;
  }
  if (child == 0) {
    become_daemon(path.c_str(), argv.data(), keep);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      return false;
    }
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace patrol::helper
