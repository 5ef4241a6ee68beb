#pragma once
// Reading one git-credential request from a file descriptor: the only I/O in front of the
// pure parser in protocol.hpp.
#include <string>

#include "common/result.hpp"

namespace patrol::helper {

// Reads with read(2) up to and including the first blank line ("\n" or "\r\n" after a line
// end, or at the very start), or to end of input, and never past either: what follows the
// blank line stays unread for whoever reads the descriptor next. At most
// max_input_bytes + 1 bytes are read; a longer request is an Errc::invalid_input error, so
// an endless stream is refused rather than swallowed. A read error is Errc::io. On error
// the bytes read so far are wiped.
Result<std::string> read_request(int fd);

} // namespace patrol::helper
