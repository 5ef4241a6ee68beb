#include "common/terminal.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace patrol {

Terminal::Terminal() : fd_(::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {}

Terminal::~Terminal() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

EchoOff::EchoOff(int fd) : fd_(fd) {
  if (::tcgetattr(fd_, &saved_) == 0) {
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
  }
}

EchoOff::~EchoOff() {
  if (active_) {
    ::tcsetattr(fd_, TCSAFLUSH, &saved_);
  }
}

} // namespace patrol
