#include "common/fd_io.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cerrno>
#include <csignal>
#include <string>
#include <thread>

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

using patrol::write_all;

namespace {

// A pipe whose ends close with the test.
struct Pipe {
  std::array<int, 2> fd{-1, -1};
  Pipe() { REQUIRE(::pipe2(fd.data(), O_CLOEXEC) == 0); }
  ~Pipe() {
    close_end(0);
    close_end(1);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_end(std::size_t end) {
    if (fd.at(end) >= 0) {
      ::close(fd.at(end));
      fd.at(end) = -1;
    }
  }
};

std::string read_all(int fd) {
  std::string out;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return out;
    }
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

void on_signal(int) {}

} // namespace

TEST_CASE("write_all: more than a pipe holds arrives whole, through signals", "[common][fd_io]") {
  // A handler without SA_RESTART: a signal that comes while write(2) waits for the reader
  // makes it fail with EINTR, or return what it wrote so far.
  struct sigaction action {};
  struct sigaction previous {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  REQUIRE(::sigaction(SIGUSR1, &action, &previous) == 0);
  std::string bytes;
  for (int i = 0; bytes.size() < 1024 * 1024; ++i) {
    bytes += std::to_string(i) + ',';
  }
  Pipe pipe;
  const pthread_t writer = pthread_self();
  std::string received;
  std::thread reader([&] {
    // Each read is preceded by a signal to the writer, which is then blocked on the full
    // pipe or about to be.
    std::array<char, 512> buffer{};
    for (;;) {
      pthread_kill(writer, SIGUSR1);
      const ssize_t n = ::read(pipe.fd[0], buffer.data(), buffer.size());
      if (n <= 0) {
        break;
      }
      received.append(buffer.data(), static_cast<std::size_t>(n));
    }
  });
  const bool written = write_all(pipe.fd[1], bytes);
  pipe.close_end(1);
  reader.join();
  ::sigaction(SIGUSR1, &previous, nullptr);
  CHECK(written);
  CHECK(received == bytes);
}

TEST_CASE("write_all: an empty write, and a failing one says why", "[common][fd_io]") {
  Pipe pipe;
  CHECK(write_all(pipe.fd[1], ""));
  CHECK(write_all(pipe.fd[1], "line\n"));
  pipe.close_end(1);
  CHECK(read_all(pipe.fd[0]) == "line\n");

  errno = 0;
  CHECK_FALSE(write_all(-1, "x"));
  CHECK(errno == EBADF);

  // The reader gone: EPIPE (SIGPIPE ignored, which would end the process).
  Pipe closed;
  closed.close_end(0);
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  REQUIRE(::sigaction(SIGPIPE, &ignore, &previous) == 0);
  errno = 0;
  CHECK_FALSE(write_all(closed.fd[1], "x"));
  CHECK(errno == EPIPE);
  ::sigaction(SIGPIPE, &previous, nullptr);
}
