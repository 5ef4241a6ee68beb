#pragma once
// Every fallible call returns Result<T>: a value or an Error with a code and one sentence
// for a person. Nothing throws across a library boundary; main turns an Error into
// "git-credential-patrol: error: ..." and an exit code.
#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace patrol {

enum class Errc {
  usage,             // a command line that is wrong: bad option, missing or extra argument
  invalid_input,     // malformed protocol input, bad data
  config,            // a bad configuration value
  store_unavailable, // no backend can be reached (no D-Bus, no Secret Service)
  store_locked,      // the store exists but is locked
  store_failed,      // the store answered with an error
  io,                // a file or system call failed
  network,           // HTTP and TLS failures
  unsupported,       // asked for something this build or server cannot do
};

struct Error {
  Errc code;
  std::string message; // one line: what happened and what to do; never a secret
};

template <class T> using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(Errc code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

} // namespace patrol
