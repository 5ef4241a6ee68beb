#include <catch2/catch.hpp>

#include <string>

#include "forge/forges.hpp"
#include "oauth/presets.hpp"

using patrol::oauth::endpoint_on;
using patrol::oauth::OAuthPreset;

TEST_CASE("oauth presets: every endpoint belongs to the forge's own host", "[oauth][presets]") {
  for (const patrol::forge::ForgeFacts& row : patrol::forge::forges()) {
    const OAuthPreset& preset = row.oauth;
    INFO(preset.forge);
    for (const char* host : {"gitlab.com", "github.com", "git.example.org:8443"}) {
      const std::string base = std::string("https://") + host + "/";
      for (const std::string_view path :
           {preset.device_path, preset.token_path, preset.revocation_path}) {
        if (path.empty()) {
          continue;
        }
        CHECK(path.starts_with("/"));
        CHECK(endpoint_on("https", host, path).starts_with(base));
      }
    }
    CHECK_FALSE(preset.device_path.empty());
    CHECK_FALSE(preset.token_path.empty());
    CHECK_FALSE(preset.scopes.empty());
    CHECK_FALSE(preset.username.empty());
    CHECK_FALSE(preset.source.empty());
  }
}

TEST_CASE("oauth presets: the documented paths and scopes", "[oauth][presets]") {
  const OAuthPreset* gitlab = patrol::oauth::oauth_preset("gitlab");
  REQUIRE(gitlab != nullptr);
  CHECK(gitlab->device_path == "/oauth/authorize_device");
  CHECK(gitlab->token_path == "/oauth/token");
  CHECK(gitlab->scopes == "read_repository write_repository");
  CHECK(gitlab->username == "oauth2");
  const OAuthPreset* github = patrol::oauth::oauth_preset("github");
  REQUIRE(github != nullptr);
  CHECK(github->device_path == "/login/device/code");
  CHECK(github->token_path == "/login/oauth/access_token");
  CHECK(github->scopes == "repo");
  CHECK(github->revocation_path.empty());
  CHECK(patrol::oauth::oauth_preset("gitea") == nullptr);
}

TEST_CASE("oauth presets: no client id is built in unless a packager sets one",
          "[oauth][presets]") {
  for (const patrol::forge::ForgeFacts& row : patrol::forge::forges()) {
    const OAuthPreset& preset = row.oauth;
    CHECK(preset.default_client_id.empty());
  }
}
