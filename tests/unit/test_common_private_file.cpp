#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "common/private_file.hpp"

namespace fs = std::filesystem;

namespace {

struct Directory {
  fs::path root;
  Directory() {
    char pattern[] = "/tmp/patrol-private-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    root = pattern;
  }
  ~Directory() { fs::remove_all(root); }
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;
};

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void append(int fd, const std::string& text) {
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fd);
}

} // namespace

TEST_CASE("private file: a new file is created 0600 whatever the umask") {
  Directory dir;
  const fs::path path = dir.root / "trace";
  const mode_t old = ::umask(0);
  auto fd = patrol::open_private_append(path.string());
  ::umask(old);
  REQUIRE(fd);
  append(*fd, "one\n");
  CHECK(mode_of(path) == 0600);
  // Yours and closed to others: appended to, not truncated.
  auto again = patrol::open_private_append(path.string());
  REQUIRE(again);
  append(*again, "two\n");
  CHECK(read_all(path) == "one\ntwo\n");
}

TEST_CASE("private file: a file others may write, a link or a FIFO is refused untouched") {
  Directory dir;
  const fs::path path = dir.root / "trace";
  std::ofstream(path) << "planted\n";
  for (const mode_t mode : {mode_t{0666}, mode_t{0620}, mode_t{0602}}) {
    ::chmod(path.c_str(), mode);
    auto fd = patrol::open_private_append(path.string());
    REQUIRE_FALSE(fd);
    CHECK(fd.error().message == "others may write it");
  }
  ::chmod(path.c_str(), 0644); // readable by others is the user's choice; writable is not
  CHECK(patrol::open_private_append(path.string()));

  const fs::path link = dir.root / "link";
  fs::create_symlink(path, link);
  auto linked = patrol::open_private_append(link.string());
  REQUIRE_FALSE(linked);
  CHECK(linked.error().message == "it is a symbolic link");

  const fs::path fifo = dir.root / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto piped = patrol::open_private_append(fifo.string());
  REQUIRE_FALSE(piped);
  CHECK(piped.error().message.find("not a regular file") != std::string::npos);
  CHECK(read_all(path) == "planted\n");
}

TEST_CASE("private file: a file of another user is refused") {
  if (::geteuid() != 0) {
    WARN("skipped: needs root to give the file to another user");
    return;
  }
  Directory dir;
  const fs::path path = dir.root / "trace";
  std::ofstream(path) << "theirs\n";
  ::chmod(path.c_str(), 0600);
  REQUIRE(::chown(path.c_str(), 65534, 65534) == 0);
  auto fd = patrol::open_private_append(path.string());
  REQUIRE_FALSE(fd);
  CHECK(fd.error().message == "it is not yours");
  CHECK(read_all(path) == "theirs\n");
}
