#include "helper/git/input.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <pthread.h>
#include <string>
#include <thread>
#include <unistd.h>

#include "helper/git/protocol.hpp"

using patrol::Errc;
using patrol::helper::max_input_bytes;
using patrol::helper::read_request;

namespace {

// A pipe whose ends close with the test.
class Pipe {
public:
  Pipe() { REQUIRE(::pipe(fds_) == 0); }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    close_write();
    ::close(fds_[0]);
  }
  [[nodiscard]] int reader() const { return fds_[0]; }
  [[nodiscard]] int writer() const { return fds_[1]; }
  void close_write() {
    if (fds_[1] >= 0) {
      ::close(fds_[1]);
      fds_[1] = -1;
    }
  }

private:
  int fds_[2]{-1, -1};
};

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string read_rest(int fd) {
  std::string out;
  char chunk[65536];
  ssize_t n = 0;
  while ((n = ::read(fd, chunk, sizeof chunk)) > 0) {
    out.append(chunk, static_cast<std::size_t>(n));
  }
  return out;
}

// The request, given whole to a pipe that is then closed, read back.
struct Outcome {
  patrol::Result<std::string> request;
  std::string rest;
};

Outcome through_pipe(const std::string& input) {
  Pipe pipe;
  REQUIRE(write_all(pipe.writer(), input));
  pipe.close_write();
  Outcome outcome{read_request(pipe.reader()), ""};
  outcome.rest = read_rest(pipe.reader());
  return outcome;
}

} // namespace

TEST_CASE("read_request stops at the blank line and leaves the rest unread", "[helper][input]") {
  struct Row {
    const char* name;
    std::string input;
    std::string request;
  };
  const std::vector<Row> rows{
      {"LF", "protocol=https\nhost=h\n\nusername=later\n", "protocol=https\nhost=h\n\n"},
      {"CRLF", "protocol=https\r\nhost=h\r\n\r\nusername=later\n",
       "protocol=https\r\nhost=h\r\n\r\n"},
      {"blank line first", "\nprotocol=https\n", "\n"},
      {"CRLF blank line first", "\r\nprotocol=https\n", "\r\n"},
      {"a CR that is not a blank line", "a=1\n\rb=2\n\n", "a=1\n\rb=2\n\n"},
      {"a lone CR at the start", "\rb=2\n\nz", "\rb=2\n\n"},
  };
  for (const Row& row : rows) {
    SECTION(row.name) {
      const Outcome outcome = through_pipe(row.input);
      REQUIRE(outcome.request.has_value());
      CHECK(*outcome.request == row.request);
      CHECK(outcome.rest == row.input.substr(row.request.size()));
    }
  }
}

TEST_CASE("read_request takes everything up to end of input", "[helper][input]") {
  SECTION("no blank line") {
    const Outcome outcome = through_pipe("protocol=https\nhost=h");
    REQUIRE(outcome.request.has_value());
    CHECK(*outcome.request == "protocol=https\nhost=h");
  }
  SECTION("nothing at all") {
    const Outcome outcome = through_pipe("");
    REQUIRE(outcome.request.has_value());
    CHECK(outcome.request->empty());
  }
  SECTION("exactly 1 MiB") {
    const std::string input(max_input_bytes, 'x');
    Pipe pipe;
    std::thread writer([&] {
      write_all(pipe.writer(), input);
      pipe.close_write();
    });
    const patrol::Result<std::string> request = read_request(pipe.reader());
    writer.join();
    REQUIRE(request.has_value());
    CHECK(request->size() == max_input_bytes);
  }
}

TEST_CASE("read_request refuses more than 1 MiB and reads one byte past it at most",
          "[helper][input]") {
  const std::string input(2 * max_input_bytes, 'x');
  Pipe pipe;
  std::thread writer([&] {
    write_all(pipe.writer(), input);
    pipe.close_write();
  });
  const patrol::Result<std::string> request = read_request(pipe.reader());
  const std::string rest = read_rest(pipe.reader());
  writer.join();
  REQUIRE_FALSE(request.has_value());
  CHECK(request.error().code == Errc::invalid_input);
  CHECK_THAT(request.error().message, Catch::Matchers::Contains("1 MiB"));
  CHECK(rest.size() == input.size() - (max_input_bytes + 1));
}

TEST_CASE("read_request reports a read error", "[helper][input]") {
  Pipe pipe;
  const patrol::Result<std::string> request = read_request(pipe.writer());
  REQUIRE_FALSE(request.has_value());
  CHECK(request.error().code == Errc::io);
}

namespace {
void ignore_signal(int /*signal*/) {}
} // namespace

TEST_CASE("read_request carries on after a signal interrupts read(2)", "[helper][input]") {
  struct sigaction action {};
  action.sa_handler = ignore_signal;
  action.sa_flags = 0; // no SA_RESTART: the blocked read(2) fails with EINTR
  sigemptyset(&action.sa_mask);
  struct sigaction previous {};
  REQUIRE(::sigaction(SIGUSR1, &action, &previous) == 0);

  Pipe pipe;
  const pthread_t reader = ::pthread_self();
  std::thread writer([&] {
    write_all(pipe.writer(), "protocol=https\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ::pthread_kill(reader, SIGUSR1);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    write_all(pipe.writer(), "host=h\n\nrest");
    pipe.close_write();
  });
  const patrol::Result<std::string> request = read_request(pipe.reader());
  writer.join();
  ::sigaction(SIGUSR1, &previous, nullptr);
  REQUIRE(request.has_value());
  CHECK(*request == "protocol=https\nhost=h\n\n");
}
