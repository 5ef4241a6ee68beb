#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "forge/forges.hpp"
#include "forge/recognise.hpp"

using namespace patrol::forge;

// Every row must say everything a forge kind needs: a row with an empty field is a kind
// that recognition, lookup, messages or sign-in would treat as no forge, or as another.
TEST_CASE("forge table: every row is complete", "[forge]") {
  REQUIRE_FALSE(forges().empty());
  std::set<std::string_view> names;
  for (const ForgeFacts& row : forges()) {
    INFO(row.name);
    CHECK(row.kind != ForgeKind::none);
    CHECK_FALSE(row.name.empty());
    CHECK(names.insert(row.name).second);
    CHECK_FALSE(row.title.empty());
    CHECK_FALSE(row.source.empty());
    CHECK_FALSE(row.known_hosts.empty());
    for (const KnownHost& known : row.known_hosts) {
      CHECK_FALSE(known.host.empty());
      CHECK(std::string_view(known.api_url).starts_with("https://"));
      CHECK(known_host(known.host).row == &row);
    }
    CHECK(row.api_path.starts_with("/"));
    CHECK((row.health_path.empty() || row.health_path.starts_with("/")));
    CHECK_FALSE(row.token_username.empty());
    CHECK(row.oauth.forge == row.name);
    CHECK(row.oauth.device_path.starts_with("/"));
    CHECK(row.oauth.token_path.starts_with("/"));
    CHECK_FALSE(row.oauth.scopes.empty());
    CHECK_FALSE(row.oauth.username.empty());
    CHECK_FALSE(row.oauth.source.empty());
    CHECK(row.oauth.applications_path.starts_with("/"));
    CHECK_FALSE(row.oauth.registration.empty());
    CHECK_FALSE(row.push_scopes.empty());
    for (const std::string_view scope : row.push_scopes) {
      CHECK_FALSE(scope.empty());
    }
    // A kind that rotates its tokens says which scopes allow it, and only such a kind.
    CHECK((row.rotate_self == nullptr) == row.self_rotate_scopes.empty());
    CHECK(row.renewal_path.starts_with("/"));
    CHECK(row.look_up != nullptr);
    CHECK_FALSE(row.no_expiry.empty());
    // An unknown host is asked at its API path whether it is of this kind; the answer
    // names the host in a message and describes the token.
    CHECK(row.probe.title.starts_with("a "));
    CHECK(row.probe.request != nullptr);
    CHECK(row.probe.answers_as != nullptr);
    CHECK(row.probe.describe != nullptr);
  }
}

TEST_CASE("forge table: a kind's name round-trips, and every kind has a row", "[forge]") {
  for (const ForgeFacts& row : forges()) {
    INFO(row.name);
    CHECK(to_string(row.kind) == row.name);
    CHECK(forge_from_string(row.name) == row.kind);
    CHECK(facts(row.kind) == &row);
    CHECK(facts(row.name) == &row);
  }
  for (const ForgeKind kind : {ForgeKind::gitlab, ForgeKind::github}) {
    CHECK(facts(kind) != nullptr);
  }
  CHECK(facts(ForgeKind::none) == nullptr);
  CHECK(to_string(ForgeKind::none) == "none");
  CHECK(forge_from_string("none") == ForgeKind::none);
  CHECK(forge_from_string("GitLab") == ForgeKind::gitlab);
  CHECK_FALSE(forge_from_string("gitea"));
}

TEST_CASE("renewal links carry the token's name and scopes", "[forge]") {
  const std::vector<std::string> scopes{"read_repository", "write_repository"};
  CHECK(renewal_link(ForgeKind::gitlab, "https", "gitlab.example.com", "laptop push", scopes) ==
        "https://gitlab.example.com/-/user_settings/personal_access_tokens"
        "?name=laptop+push&scopes=read_repository,write_repository");
  CHECK(renewal_link(ForgeKind::gitlab, "https", "127.0.0.1:8443", "", {}) ==
        "https://127.0.0.1:8443/-/user_settings/personal_access_tokens");
  CHECK(renewal_link(ForgeKind::gitlab, "https", "h", "a&b=c", {}) ==
        "https://h/-/user_settings/personal_access_tokens?name=a%26b%3Dc");
  CHECK(renewal_link(ForgeKind::github, "https", "github.com", "x", scopes) ==
        "https://github.com/settings/tokens");
  CHECK(renewal_link(ForgeKind::github, "https", "ghe.example.com", "x", scopes) ==
        "https://ghe.example.com/settings/tokens");
  CHECK(renewal_link(ForgeKind::none, "https", "git.example.com", "x", scopes).empty());
}

TEST_CASE("scopes: push and self-rotation", "[forge]") {
  struct Row {
    ForgeKind kind;
    std::vector<std::string> scopes;
    bool push;
  };
  const std::vector<Row> rows = {
      {ForgeKind::gitlab, {"read_repository"}, false},
      {ForgeKind::gitlab, {"read_repository", "write_repository"}, true},
      {ForgeKind::gitlab, {"api"}, true},
      {ForgeKind::gitlab, {"read_api", "read_user"}, false},
      {ForgeKind::gitlab, {}, true},
      {ForgeKind::github, {"repo", "user"}, true},
      {ForgeKind::github, {"read:user", "gist"}, false},
      {ForgeKind::none, {"anything"}, true},
  };
  for (const Row& row : rows) {
    CHECK(can_push(row.kind, row.scopes) == row.push);
  }
  CHECK(can_self_rotate(ForgeKind::gitlab, std::vector<std::string>{"api"}));
  CHECK(can_self_rotate(ForgeKind::gitlab,
                        std::vector<std::string>{"self_rotate", "read_repository"}));
  CHECK_FALSE(can_self_rotate(ForgeKind::gitlab, std::vector<std::string>{"write_repository"}));
  // GitHub has no self-rotation, whatever the scopes.
  CHECK_FALSE(can_self_rotate(ForgeKind::github, std::vector<std::string>{"repo", "api"}));
  CHECK_FALSE(can_self_rotate(ForgeKind::none, std::vector<std::string>{"api"}));
  CHECK(push_scopes_text(ForgeKind::gitlab) == "write_repository or api");
  CHECK(push_scopes_text(ForgeKind::github) == "repo");
}
