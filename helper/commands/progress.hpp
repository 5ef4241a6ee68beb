#pragma once
// What a person's command is waiting for while it waits on a forge (login, rotate, check,
// diagnose --probe, the OAuth sign-in), and the words for a host that did not answer: one
// piece, so every command says it the same way.
#include <string>
#include <string_view>

namespace patrol::helper {

// While alive, "git-credential-patrol: <what>…" stands on the terminal; it is wiped when
// the wait ends. Nothing at all when stderr is not a terminal (a script, git's own
// stderr in a pipe): a log is no place for a line that is taken back.
class Waiting {
public:
  explicit Waiting(std::string_view what); // e.g. "checking the token at gitlab.example.com"
  Waiting(const Waiting&) = delete;
  Waiting& operator=(const Waiting&) = delete;
  ~Waiting();

private:
  bool shown_ = false;
};

// "<host> did not answer (<why>); nothing was lost: <kept>", one line for say_warning or
// say_error. host is as a message names a server (forge::url_authority).
std::string did_not_answer(std::string_view host, std::string_view why, std::string_view kept);

} // namespace patrol::helper
