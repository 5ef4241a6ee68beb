#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "store/env.hpp"

using patrol::Secret;
using patrol::store::env_has_tokens;
using patrol::store::env_tokens;
using patrol::store::EnvLookup;
using patrol::store::Kind;
using patrol::store::make_env_store;
using patrol::store::Query;
using patrol::store::Record;

namespace {

EnvLookup env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    auto found = values.find(std::string(name));
    if (found == values.end() || found->second.empty()) {
      return std::nullopt;
    }
    return found->second;
  };
}

Query query(std::string host, std::string username = "", std::string protocol = "https") {
  Query made;
  made.protocol = std::move(protocol);
  made.host = std::move(host);
  made.username = std::move(username);
  return made;
}

} // namespace

TEST_CASE("env store: CI_JOB_TOKEN answers for CI_SERVER_HOST as gitlab-ci-token") {
  EnvLookup lookup = env({{"CI_JOB_TOKEN", "job-tok"},
                          {"CI_SERVER_HOST", "gitlab.example.com"},
                          {"CI_SERVER_PORT", "443"},
                          {"CI_SERVER_PROTOCOL", "https"}});
  auto found = env_tokens(lookup, query("gitlab.example.com"));
  REQUIRE(found.size() == 1);
  CHECK(found[0].username == "gitlab-ci-token");
  CHECK(found[0].secret == Secret("job-tok"));
  CHECK(found[0].kind == Kind::pat);
  CHECK(found[0].token_name == "CI_JOB_TOKEN");
  CHECK(found[0].store == "env");
  CHECK(env_tokens(lookup, query("gitlab.example.com", "someone")).empty());
  CHECK(env_tokens(lookup, query("gitlab.example.com:8443")).empty());
  CHECK(env_tokens(lookup, query("gitlab.example.com", "", "http")).empty());
  CHECK(env_tokens(lookup, query("github.com")).empty());
}

TEST_CASE("env store: a non-default CI_SERVER_PORT or a host with a port is part of the host") {
  auto found = env_tokens(
      env({{"CI_JOB_TOKEN", "t"}, {"CI_SERVER_HOST", "gl.example"}, {"CI_SERVER_PORT", "8443"}}),
      query("gl.example:8443"));
  CHECK(found.size() == 1);
  CHECK(env_tokens(env({{"CI_JOB_TOKEN", "t"}, {"CI_SERVER_HOST", "127.0.0.1:4443"}}),
                   query("127.0.0.1:4443"))
            .size() == 1);
  CHECK(env_tokens(env({{"CI_JOB_TOKEN", "t"}}), query("gitlab.com")).empty());
}

TEST_CASE("env store: GITLAB_TOKEN for GITLAB_HOST, else gitlab.com, over https only") {
  auto found = env_tokens(env({{"GITLAB_TOKEN", "glpat"}}), query("gitlab.com"));
  REQUIRE(found.size() == 1);
  CHECK(found[0].username == "oauth2");
  found = env_tokens(env({{"GITLAB_TOKEN", "glpat"}}), query("gitlab.com", "alice"));
  REQUIRE(found.size() == 1);
  CHECK(found[0].username == "alice"); // GitLab takes any username with a PAT

  EnvLookup hosted = env({{"GITLAB_TOKEN", "glpat"}, {"GITLAB_HOST", "https://gl.corp.example/"}});
  CHECK(env_tokens(hosted, query("gl.corp.example")).size() == 1);
  CHECK(env_tokens(hosted, query("gitlab.com")).empty());

  CHECK(env_tokens(hosted, query("gl.corp.example:8443")).empty());
  CHECK(env_tokens(hosted, query("gl.corp.example", "", "http")).empty());
  CHECK(env_tokens(hosted, query("attacker.example")).empty());
  // A GITLAB_HOST over http names no origin a token may travel to.
  CHECK(env_tokens(env({{"GITLAB_TOKEN", "glpat"}, {"GITLAB_HOST", "http://gl.corp.example"}}),
                   query("gl.corp.example", "", "http"))
            .empty());
  CHECK(env_tokens(env({{"GITLAB_TOKEN", "glpat"}, {"GL_HOST", "gl2.example:8443"}}),
                   query("gl2.example:8443"))
            .size() == 1);
}

TEST_CASE("env store: CI_JOB_TOKEN never over a CI_SERVER_PROTOCOL other than https") {
  EnvLookup plain = env(
      {{"CI_JOB_TOKEN", "t"}, {"CI_SERVER_HOST", "gl.example"}, {"CI_SERVER_PROTOCOL", "http"}});
  CHECK(env_tokens(plain, query("gl.example", "", "http")).empty());
  CHECK(env_tokens(plain, query("gl.example")).empty());
}

TEST_CASE("env store: GITLAB_TOKEN wins over CI_JOB_TOKEN for the same host") {
  auto store = make_env_store(env({{"GITLAB_TOKEN", "glpat"},
                                   {"GITLAB_HOST", "gl.example"},
                                   {"CI_JOB_TOKEN", "job"},
                                   {"CI_SERVER_HOST", "gl.example"}}));
  auto found = store->find(query("gl.example"));
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->secret == Secret("glpat"));
  found = store->find(query("gl.example", "gitlab-ci-token"));
  REQUIRE(*found);
  // Both answer that username; the deliberate token still comes first.
  CHECK((*found)->secret == Secret("glpat"));
}

TEST_CASE("env store: GH_TOKEN before GITHUB_TOKEN for github.com only") {
  EnvLookup both = env({{"GH_TOKEN", "gh1"}, {"GITHUB_TOKEN", "gh2"}});
  auto found = env_tokens(both, query("github.com"));
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == Secret("gh1"));
  CHECK(found[0].username == "x-access-token");
  CHECK(found[0].token_name == "GH_TOKEN");
  CHECK(env_tokens(env({{"GITHUB_TOKEN", "gh2"}}), query("github.com"))[0].secret == Secret("gh2"));
  CHECK(env_tokens(both, query("acme.ghe.com")).empty());
  CHECK(env_tokens(both, query("github.com:8443")).empty());
  CHECK(env_tokens(both, query("github.com", "", "http")).empty());
  CHECK(env_tokens(both, query("gitlab.com")).empty());
  CHECK(env_tokens(both, query("evilgithub.com")).empty());
}

TEST_CASE("env store: GH_ENTERPRISE_TOKEN for GH_HOST only") {
  EnvLookup enterprise = env({{"GH_HOST", "github.corp.example"},
                              {"GITHUB_ENTERPRISE_TOKEN", "ghe"},
                              {"GH_TOKEN", "cloud"}});
  auto found = env_tokens(enterprise, query("github.corp.example"));
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == Secret("ghe"));
  CHECK(env_tokens(enterprise, query("github.com"))[0].secret == Secret("cloud"));
  CHECK(
      env_tokens(env({{"GH_HOST", "github.corp.example"}}), query("github.corp.example")).empty());
  CHECK(env_tokens(enterprise, query("github.corp.example", "", "http")).empty());
  CHECK(env_tokens(enterprise, query("other.corp.example")).empty());
}

TEST_CASE("env store: read-only, and quiet when nothing is set") {
  EnvLookup nothing = env({});
  CHECK_FALSE(env_has_tokens(nothing));
  CHECK(env_has_tokens(env({{"GITHUB_TOKEN", "x"}})));
  auto store = make_env_store(env({{"GH_TOKEN", "gh1"}}));
  Record record;
  record.protocol = "https";
  record.host = "github.com";
  record.username = "x-access-token";
  record.secret = Secret("other");
  CHECK(store->save(record));
  auto erased = store->erase(query("github.com"));
  REQUIRE(erased);
  CHECK_FALSE(*erased);
  auto listed = store->list(Query{});
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].secret == Secret("gh1"));
}
