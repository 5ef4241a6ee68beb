#include "common/terminal.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdlib>
#include <string>

#include <fcntl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "common/fd_io.hpp"

using patrol::EchoOff;
using patrol::Terminal;

namespace {

// A pseudo-terminal's two ends, closed with the test.
struct Pty {
  int leader = -1;
  std::string follower_name;
  Pty() {
    leader = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    REQUIRE(leader >= 0);
    REQUIRE(::grantpt(leader) == 0);
    REQUIRE(::unlockpt(leader) == 0);
    follower_name = ::ptsname(leader);
  }
  ~Pty() { ::close(leader); }
  Pty(const Pty&) = delete;
  Pty& operator=(const Pty&) = delete;
};

bool echoes(int fd) {
  termios settings{};
  REQUIRE(::tcgetattr(fd, &settings) == 0);
  return (settings.c_lflag & ECHO) != 0;
}

} // namespace

TEST_CASE("EchoOff turns echo off for its life and back on after", "[common][terminal]") {
  Pty pty;
  const int follower = ::open(pty.follower_name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(follower >= 0);
  REQUIRE(echoes(follower));
  {
    const EchoOff quiet(follower);
    CHECK_FALSE(echoes(follower));
  }
  CHECK(echoes(follower));
  ::close(follower);
  // Not a terminal: nothing to do, nothing to restore.
  std::array<int, 2> pipe{-1, -1};
  REQUIRE(::pipe(pipe.data()) == 0);
  { const EchoOff nothing(pipe[0]); }
  ::close(pipe[0]);
  ::close(pipe[1]);
}

TEST_CASE("Terminal opens the controlling terminal, and only that", "[common][terminal]") {
  Pty pty;
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // A new session has no controlling terminal until its leader opens one.
    if (::setsid() < 0 || Terminal().fd() >= 0) {
      ::_exit(2);
    }
    const int follower = ::open(pty.follower_name.c_str(), O_RDWR);
    const Terminal terminal;
    const bool written =
        terminal.fd() >= 0 && patrol::write_all(terminal.fd(), "to the terminal\n");
    ::close(follower);
    ::_exit(written ? 0 : 3);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  std::array<char, 64> buffer{};
  const ssize_t n = ::read(pty.leader, buffer.data(), buffer.size());
  REQUIRE(n > 0);
  // The terminal's output processing turns "\n" into "\r\n".
  CHECK(std::string(buffer.data(), static_cast<std::size_t>(n)) == "to the terminal\r\n");
}
