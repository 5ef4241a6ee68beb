#include "store/tty_prompt.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include <unistd.h>

#include "common/fd_io.hpp"
#include "common/terminal.hpp"

namespace patrol::store {

bool terminal_available() { return Terminal().fd() >= 0; }

Result<std::optional<Secret>> ask_hidden(std::string_view prompt) {
  const Terminal tty;
  if (tty.fd() < 0) {
    return std::optional<Secret>();
  }
  std::string line;
  line.reserve(1024); // no reallocation leaves copies of a typical passphrase behind
  bool ended = false;
  {
    EchoOff quiet(tty.fd());
    (void)write_all(tty.fd(), prompt); // a terminal that takes no text fails the read too
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
  (void)write_all(tty.fd(), "\n");
  if (!ended) {
    wipe(line);
    return fail(Errc::invalid_input, "no passphrase was typed");
  }
  return std::optional<Secret>(Secret(std::move(line)));
}

} // namespace patrol::store
