#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "store/credential_lock.hpp"

using patrol::store::FileLock;
using patrol::store::flight_lock_path;
using patrol::store::lock_directory;
using patrol::store::lock_flight;
namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

// XDG_RUNTIME_DIR pointed at a throwaway directory for the test's length.
struct RuntimeDir {
  fs::path root;
  std::optional<std::string> saved;

  RuntimeDir() {
    char pattern[] = "/tmp/patrol-lock-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    root = pattern;
    if (const char* old = std::getenv("XDG_RUNTIME_DIR")) {
      saved = old;
    }
    setenv("XDG_RUNTIME_DIR", root.c_str(), 1);
  }
  ~RuntimeDir() {
    if (saved) {
      setenv("XDG_RUNTIME_DIR", saved->c_str(), 1);
    } else {
      unsetenv("XDG_RUNTIME_DIR");
    }
    fs::remove_all(root);
  }
  RuntimeDir(const RuntimeDir&) = delete;
  RuntimeDir& operator=(const RuntimeDir&) = delete;
};

} // namespace

TEST_CASE("credential lock: one holder per credential, named without the secret") {
  RuntimeDir runtime;
  CHECK(lock_directory() == (runtime.root / "git-credential-patrol").string());
  const std::string path = flight_lock_path("https", "gitlab.example:8443", "alice");
  CHECK(path.starts_with(lock_directory() + "/credential-"));
  CHECK(path.find("alice") == std::string::npos);
  CHECK(path != flight_lock_path("https", "gitlab.example:8443", "bob"));
  CHECK(path != flight_lock_path("https", "gitlab.example", "alice"));

  auto first = lock_flight("https", "gitlab.example:8443", "alice", milliseconds(0));
  REQUIRE(first);
  REQUIRE(*first);
  struct stat info {};
  REQUIRE(::stat(lock_directory().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);

  // flock belongs to the open file: a second open, even in this process, must wait.
  auto second = lock_flight("https", "gitlab.example:8443", "alice", milliseconds(20));
  REQUIRE(second);
  CHECK_FALSE(*second);
  auto other = lock_flight("https", "gitlab.example:8443", "bob", milliseconds(0));
  REQUIRE(other);
  CHECK(*other);

  // The holder's descriptor, handed on, is adopted; a descriptor of another file is not.
  CHECK(FileLock::adopt(path, ::dup((*first)->fd())).has_value());
  const int foreign = ::dup((**other).fd());
  CHECK_FALSE(FileLock::adopt(path, foreign).has_value());
  ::close(foreign);

  first->reset();
  auto third = lock_flight("https", "gitlab.example:8443", "alice", milliseconds(0));
  REQUIRE(third);
  CHECK(*third);
}
