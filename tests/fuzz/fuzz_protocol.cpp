// libFuzzer target for helper/git/protocol: any bytes into parse(); whatever parses must write
// back without CR, LF or NUL inside a value and parse again to the same credential.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "helper/git/protocol.hpp"

using patrol::helper::Credential;

namespace {

[[noreturn]] void broken(const char* invariant) {
  std::fprintf(stderr, "fuzz_protocol: invariant broken: %s\n", invariant);
  std::abort();
}

// Each written line is key=value\n with no CR or NUL anywhere and no LF but the last.
// Returns whether the text also keeps within the bounds parse() enforces: a value parsed
// from a url= line is written on a line of its own and can come out longer than its source.
bool check_lines(std::string_view text) {
  if (text.find_first_of(std::string_view("\r\0", 2)) != std::string_view::npos) {
    broken("written text holds CR or NUL");
  }
  if (!text.empty() && text.back() != '\n') {
    broken("written text does not end in a newline");
  }
  bool within_bounds = text.size() <= patrol::helper::max_input_bytes;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end - start);
    if (line.empty() || line.find('=') == std::string_view::npos) {
      broken("written line is blank or has no '='");
    }
    within_bounds = within_bounds && line.size() + 1 <= patrol::helper::max_line_bytes;
    start = end + 1;
  }
  return within_bounds;
}

// What write() sends back when every capability of the credential is advertised: all but
// wwwauth[] (git -> helper only) and attributes whose capability is missing.
Credential as_written(Credential c) {
  c.wwwauth.clear();
  if (!c.has_capability("authtype")) {
    c.authtype.clear();
    c.credential = patrol::Secret();
    c.ephemeral = false;
  }
  if (!c.has_capability("state")) {
    c.continue_ = false;
    c.state.clear();
  }
  return c;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const patrol::Result<Credential> parsed = patrol::helper::parse(input);
  if (!parsed) {
    if (parsed.error().code != patrol::Errc::invalid_input || parsed.error().message.empty() ||
        parsed.error().message.find('\n') != std::string::npos) {
      broken("a parse error is not one line of invalid_input");
    }
    return 0;
  }
  const patrol::Result<std::string> text = patrol::helper::write(*parsed, parsed->capabilities);
  if (!text) {
    broken("a parsed credential cannot be written");
  }
  if (!check_lines(*text)) {
    return 0;
  }
  const patrol::Result<Credential> again = patrol::helper::parse(*text);
  if (!again) {
    broken("written text does not parse");
  }
  if (!(*again == as_written(*parsed))) {
    broken("parse(write(c)) differs from c");
  }
  return 0;
}
