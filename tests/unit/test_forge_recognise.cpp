#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "forge/recognise.hpp"

using namespace patrol::forge;

TEST_CASE("recognise: configuration, then presets, then gitlab. prefix, then realm", "[forge]") {
  struct Row {
    const char* name;
    const char* host;
    const char* configured;
    const char* configured_api;
    std::vector<std::string> wwwauth;
    ForgeKind kind;
    const char* api;
  };
  const std::vector<Row> rows = {
      {"gitlab.com preset",
       "gitlab.com",
       "",
       "",
       {},
       ForgeKind::gitlab,
       "https://gitlab.com/api/v4"},
      {"github.com preset", "github.com", "", "", {}, ForgeKind::github, "https://api.github.com"},
      {"host case ignored", "GitHub.com", "", "", {}, ForgeKind::github, "https://api.github.com"},
      {"gitlab. prefix",
       "gitlab.example.com",
       "",
       "",
       {},
       ForgeKind::gitlab,
       "https://gitlab.example.com/api/v4"},
      {"gitlab. prefix keeps port",
       "gitlab.example.com:8443",
       "",
       "",
       {},
       ForgeKind::gitlab,
       "https://gitlab.example.com:8443/api/v4"},
      {"unknown host", "git.example.com", "", "", {}, ForgeKind::none, ""},
      {"realm GitLab",
       "git.example.com",
       "",
       "",
       {"Basic realm=\"GitLab\""},
       ForgeKind::gitlab,
       "https://git.example.com/api/v4"},
      {"other realm", "git.example.com", "", "", {"Basic realm=\"Gitea\""}, ForgeKind::none, ""},
      {"configured github (GHES)",
       "code.example.com",
       "github",
       "",
       {},
       ForgeKind::github,
       "https://code.example.com/api/v3"},
      {"configured none beats preset", "gitlab.com", "none", "", {}, ForgeKind::none, ""},
      {"configured api",
       "code.example.com",
       "gitlab",
       "https://api.example.com/v4",
       {},
       ForgeKind::gitlab,
       "https://api.example.com/v4"},
      {"configured kind on preset host keeps its api",
       "github.com",
       "GitHub",
       "",
       {},
       ForgeKind::github,
       "https://api.github.com"},
      {"unknown configured value falls back to host",
       "gitlab.com",
       "gitlub",
       "",
       {},
       ForgeKind::gitlab,
       "https://gitlab.com/api/v4"},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    const Forge forge =
        recognise("https", row.host, row.configured, row.configured_api, row.wwwauth);
    CHECK(forge.kind == row.kind);
    CHECK(forge.api_url == row.api);
  }
}

TEST_CASE("every known host's API URL is https and belongs to its host", "[forge]") {
  for (const ForgeFacts& row : forges()) {
    for (const KnownHost& known : row.known_hosts) {
      INFO(known.host);
      const std::string api(known.api_url);
      REQUIRE(api.starts_with("https://"));
      const std::string api_host = api.substr(8, api.find('/', 8) - 8);
      const std::string host(known.host);
      CHECK((api_host == host || api_host.ends_with("." + host)));
    }
  }
}
