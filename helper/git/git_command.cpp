#include "helper/git/git_command.hpp"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper/messages.hpp"

extern char** environ;

namespace patrol::helper {
namespace {

struct Pipe {
  std::array<int, 2> fd{-1, -1};
  Pipe() {
    if (pipe2(fd.data(), O_CLOEXEC) != 0) {
      fd = {-1, -1};
    }
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    close_end(0);
    close_end(1);
  }
  void close_end(std::size_t end) {
    if (fd.at(end) >= 0) {
      ::close(fd.at(end));
      fd.at(end) = -1;
    }
  }
  [[nodiscard]] bool ok() const { return fd[0] >= 0; }
};

// Reads both pipes to their end; git's output here is small, but a full pipe must not
// block it while the other is being read.
void drain(Pipe& out, Pipe& err, GitOutput& result) {
  std::array<pollfd, 2> fds{pollfd{out.fd[0], POLLIN, 0}, pollfd{err.fd[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_count = 2;
  std::array<char, 4096> buffer{};
  while (open_count > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds.at(i).fd < 0 || fds.at(i).revents == 0) {
        continue;
      }
      const ssize_t n = ::read(fds.at(i).fd, buffer.data(), buffer.size());
      if (n > 0) {
        sinks.at(i)->append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds.at(i).fd = -1;
        --open_count;
      }
    }
  }
}

} // namespace

Result<GitOutput> run_git(const std::vector<std::string>& args) {
  std::vector<std::string> argv_text{"git"};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  Pipe out;
  Pipe err;
  if (!out.ok() || !err.ok()) {
    return fail(Errc::io, "cannot run git: no pipe: " + std::string(std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], STDERR_FILENO);
  pid_t pid = 0;
  const TraceTimer timer("git " + (args.empty() ? std::string() : args.front()));
  const int spawned = posix_spawnp(&pid, "git", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return fail(Errc::io, "cannot run git: " + std::string(std::strerror(spawned)) +
                              "; is git installed and on PATH?");
  }
  out.close_end(1);
  err.close_end(1);
  GitOutput result;
  drain(out, err, result);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return fail(Errc::io, "lost the git process: " + std::string(std::strerror(errno)));
    }
  }
  if (!WIFEXITED(status)) {
    return fail(Errc::io, "git was killed by a signal");
  }
  result.status = WEXITSTATUS(status);
  return result;
}

std::optional<std::string> find_git_program(const std::string& name) {
  std::vector<std::string> dirs;
  if (Result<GitOutput> exec = run_git({"--exec-path"}); exec && exec->status == 0) {
    dirs.push_back(exec->out.substr(0, exec->out.find('\n')));
  }
  const char* path = std::getenv("PATH");
  std::string rest = path == nullptr ? "" : path;
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t end = rest.find(':', start);
    if (end == std::string::npos) {
      end = rest.size();
    }
    dirs.push_back(end == start ? "." : rest.substr(start, end - start));
    start = end + 1;
  }
  for (const std::string& dir : dirs) {
    const std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

} // namespace patrol::helper
