#pragma once
// The controlling terminal, /dev/tty: what patrol asks or shows a person goes there, never
// to stdin or stdout, which belong to git's protocol, nor only to stderr, which a log may
// capture.
#include <termios.h>

namespace patrol {

// The controlling terminal, opened for reading and writing (never becoming the process's
// controlling terminal, closed on exec) and closed with the object.
class Terminal {
public:
  Terminal();
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;
  // -1 when the process has no controlling terminal.
  [[nodiscard]] int fd() const { return fd_; }

private:
  int fd_;
};

// What is typed on the terminal fd is not echoed while the object lives; the terminal's
// settings are restored even when reading fails. Nothing happens on an fd that is not a
// terminal.
class EchoOff {
public:
  explicit EchoOff(int fd);
  ~EchoOff();
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

} // namespace patrol
