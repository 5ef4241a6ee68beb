#include "store/tty_prompt.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include "common/fd_io.hpp"

namespace patrol::store {
namespace {

class Tty {
public:
  Tty() : fd_(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {}
  ~Tty() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Tty(const Tty&) = delete;
  Tty& operator=(const Tty&) = delete;
  [[nodiscard]] int fd() const { return fd_; }

private:
  int fd_;
};

// Restores the terminal's echo even when reading fails.
class EchoOff {
public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL);
      quiet.c_lflag |= ICANON;
      active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) {
      ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    }
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

// A terminal that stops taking text leaves nothing to do: the read that follows fails.
void put(int fd, std::string_view text) { (void)write_all(fd, text); }

} // namespace

bool terminal_available() { return Tty().fd() >= 0; }

Result<std::optional<Secret>> ask_hidden(std::string_view prompt) {
  Tty tty;
  if (tty.fd() < 0) {
    return std::optional<Secret>();
  }
  std::string line;
  line.reserve(1024); // no reallocation leaves copies of a typical passphrase behind
  bool ended = false;
  {
    EchoOff quiet(tty.fd());
    put(tty.fd(), prompt);
    char c = 0;
    while (true) {
      const ssize_t got = ::read(tty.fd(), &c, 1);
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got <= 0 || c == '\n' || c == '\r') {
        ended = got > 0;
        break;
      }
      line.push_back(c);
    }
    c = 0;
  }
  put(tty.fd(), "\n");
  if (!ended) {
    wipe(line);
    return fail(Errc::invalid_input, "no passphrase was typed");
  }
  return std::optional<Secret>(Secret(std::move(line)));
}

} // namespace patrol::store
