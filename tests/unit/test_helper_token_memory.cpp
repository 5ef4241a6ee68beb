#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "helper/lifecycle/token_memory.hpp"

using patrol::Secret;
using patrol::helper::recall;
using patrol::helper::remember;
using patrol::store::Kind;
using patrol::store::Record;
namespace fs = std::filesystem;

namespace {

// XDG_CACHE_HOME pointed at a throwaway directory for the test's length.
struct CacheDir {
  fs::path root;
  std::optional<std::string> saved;

  CacheDir() {
    char pattern[] = "/tmp/patrol-memory-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    root = pattern;
    if (const char* old = std::getenv("XDG_CACHE_HOME")) {
      saved = old;
    }
    setenv("XDG_CACHE_HOME", root.c_str(), 1);
  }
  ~CacheDir() {
    if (saved) {
      setenv("XDG_CACHE_HOME", saved->c_str(), 1);
    } else {
      unsetenv("XDG_CACHE_HOME");
    }
    fs::remove_all(root);
  }
  CacheDir(const CacheDir&) = delete;
  CacheDir& operator=(const CacheDir&) = delete;
};

Record env_token(std::string host, std::string secret) {
  Record made;
  made.protocol = "https";
  made.host = std::move(host);
  made.username = "oauth2";
  made.secret = Secret(std::move(secret));
  made.kind = Kind::pat;
  made.token_name = "GITLAB_TOKEN";
  made.store = "env";
  return made;
}

} // namespace

TEST_CASE("token memory: what a lookup taught about an environment token comes back") {
  CacheDir cache;
  Record learnt = env_token("gitlab.example", "glpat-environment");
  learnt.expires_at = 1767225600;
  learnt.scopes = {"api", "read_repository"};
  learnt.token_id = "42";
  learnt.token_name = "ci";
  learnt.checked_at = 1760000000;
  REQUIRE(remember(learnt));

  const fs::path directory = cache.root / "git-credential-patrol" / "tokens";
  int files = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    ++files;
    struct stat info {};
    REQUIRE(::stat(entry.path().c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(entry.path().filename().string().find("glpat") == std::string::npos);
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("glpat-environment") == std::string::npos);
  }
  CHECK(files == 1);

  Record again = env_token("gitlab.example", "glpat-environment");
  recall(again);
  CHECK(again.expires_at == 1767225600);
  CHECK(again.scopes == learnt.scopes);
  CHECK(again.token_id == "42");
  CHECK(again.token_name == "ci");
  CHECK(again.checked_at == 1760000000);
  CHECK(again.secret.view() == "glpat-environment");

  // Another token, the same token at another host, or a stored record: nothing recalled.
  Record other = env_token("gitlab.example", "glpat-other");
  recall(other);
  CHECK_FALSE(other.checked_at);
  Record elsewhere = env_token("gitlab.other", "glpat-environment");
  recall(elsewhere);
  CHECK_FALSE(elsewhere.checked_at);
  Record stored = env_token("gitlab.example", "glpat-environment");
  stored.store = "secretservice";
  recall(stored);
  CHECK_FALSE(stored.checked_at);
}
