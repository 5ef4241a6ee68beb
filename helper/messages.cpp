#include "helper/messages.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace patrol::helper {
namespace {

void emit(std::string_view kind, std::string_view message) {
  // Built whole and written once so lines from parallel git processes do not interleave.
  std::string line;
  line.reserve(program_name.size() + kind.size() + message.size() + 4);
  line.append(program_name).append(": ").append(kind).append(message).push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace

void say_error(std::string_view message) { emit("error: ", message); }
void say_warning(std::string_view message) { emit("warning: ", message); }
void say(std::string_view message) { emit("", message); }

void trace(std::string_view message) {
  const char* wanted = std::getenv("PATROL_TRACE");
  if (wanted != nullptr && *wanted != '\0' && std::string_view(wanted) != "0") {
    emit("trace: ", message);
  }
}

int exit_code(const Error& error) { return error.code == Errc::invalid_input ? 2 : 1; }

void report(const Error& error) { say_error(error.message); }

} // namespace patrol::helper
