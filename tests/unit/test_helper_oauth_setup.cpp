#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "helper/signin/oauth_setup.hpp"

using patrol::helper::Config;
using patrol::helper::oauth_setup;
using patrol::helper::OAuthSetup;
using patrol::helper::Setting;

TEST_CASE("oauth setup: no client id, no OAuth", "[helper][oauth_setup]") {
  const Config config = Config::from_entries({});
  CHECK_FALSE(oauth_setup(config, "https://gitlab.com/g/r.git", "https", "gitlab.com"));
  CHECK_FALSE(oauth_setup(config, "https://github.com/o/r.git", "https", "github.com"));
}

TEST_CASE("oauth setup: GitLab's preset on a self-managed host", "[helper][oauth_setup]") {
  const Config config =
      Config::from_entries({{"patrol.https://gitlab.example.com.oauthClientId", "abc"},
                            {"patrol.https://gitlab.example.com.forge", "gitlab"}});
  const std::optional<OAuthSetup> setup =
      oauth_setup(config, "https://gitlab.example.com/g/r.git", "https", "gitlab.example.com");
  REQUIRE(setup);
  CHECK(setup->client.client_id == "abc");
  CHECK(setup->client.scopes == "read_repository write_repository");
  CHECK(setup->client.endpoints.device_authorization ==
        "https://gitlab.example.com/oauth/authorize_device");
  CHECK(setup->client.endpoints.token == "https://gitlab.example.com/oauth/token");
  CHECK(setup->client.endpoints.revocation == "https://gitlab.example.com/oauth/revoke");
  CHECK(setup->username == "oauth2");
  CHECK_FALSE(setup->browser);
  // Another host has no client id.
  CHECK_FALSE(oauth_setup(config, "https://gitlab.com/g/r.git", "https", "gitlab.com"));
}

TEST_CASE("oauth setup: GitHub's preset", "[helper][oauth_setup]") {
  const Config config = Config::from_entries(
      {{"patrol.https://github.com.oauthClientId", "Iv1.x"}, {"patrol.oauthBrowser", "true"}});
  const std::optional<OAuthSetup> setup =
      oauth_setup(config, "https://github.com/o/r.git", "https", "github.com");
  REQUIRE(setup);
  CHECK(setup->client.endpoints.device_authorization == "https://github.com/login/device/code");
  CHECK(setup->client.endpoints.token == "https://github.com/login/oauth/access_token");
  CHECK(setup->client.endpoints.revocation.empty());
  CHECK(setup->client.scopes == "repo");
  CHECK(setup->browser);
}

TEST_CASE("oauth setup: any server from configuration, or left to discovery",
          "[helper][oauth_setup]") {
  const Config config = Config::from_entries(
      {{"patrol.https://id.example.oauthClientId", "c"},
       {"patrol.https://id.example.oauthScopes", "openid offline_access"},
       {"patrol.https://id.example.oauthTokenUrl", "https://id.example/token"}});
  const std::optional<OAuthSetup> setup =
      oauth_setup(config, "https://id.example/r.git", "https", "id.example");
  REQUIRE(setup);
  CHECK(setup->client.scopes == "openid offline_access");
  CHECK(setup->client.endpoints.token == "https://id.example/token");
  CHECK(setup->client.endpoints.device_authorization.empty());
  CHECK(setup->discovery_base == "https://id.example");
  CHECK(setup->username == "oauth2");
}

TEST_CASE("oauth setup: patrol.oauth never turns it off", "[helper][oauth_setup]") {
  const Config config = Config::from_entries({{"patrol.https://gitlab.com.oauthClientId", "abc"},
                                              {"patrol.https://github.com.oauthClientId", "abc"},
                                              {"patrol.https://gitlab.com.oauth", "never"}});
  CHECK_FALSE(oauth_setup(config, "https://gitlab.com/g/r.git", "https", "gitlab.com"));
  CHECK(oauth_setup(config, "https://github.com/o/r.git", "https", "github.com"));
}

TEST_CASE("oauth setup: an unscoped client id or endpoint cannot redirect a preset",
          "[helper][oauth_setup][trust]") {
  const Config config =
      Config::from_entries({{"patrol.oauthClientId", "everywhere"},
                            {"patrol.https://gitlab.com.oauthClientId", "mine"},
                            {"patrol.oauthTokenUrl", "https://collector.example/token"},
                            {"patrol.oauthDeviceAuthUrl", "https://collector.example/device"}});
  // No client id for github.com: the unscoped one is refused.
  CHECK_FALSE(oauth_setup(config, "https://github.com/o/r.git", "https", "github.com"));
  const std::optional<OAuthSetup> setup =
      oauth_setup(config, "https://gitlab.com/g/r.git", "https", "gitlab.com");
  REQUIRE(setup);
  CHECK(setup->client.client_id == "mine");
  CHECK(setup->client.endpoints.token == "https://gitlab.com/oauth/token");
  CHECK(setup->client.endpoints.device_authorization ==
        "https://gitlab.com/oauth/authorize_device");
}

TEST_CASE("oauth setup: the client secret counts only scoped to its host",
          "[helper][oauth_setup]") {
  const Config scoped =
      Config::from_entries({{"patrol.https://github.com.oauthClientId", "Iv1.x"},
                            {"patrol.https://github.com.oauthClientSecret", "s3cret"}});
  const std::optional<OAuthSetup> setup =
      oauth_setup(scoped, "https://github.com/o/r.git", "https", "github.com");
  REQUIRE(setup);
  CHECK(setup->client.client_secret.view() == "s3cret");
  // Unscoped, it would go to every host's token endpoint: refused.
  const Config unscoped =
      Config::from_entries({{"patrol.https://github.com.oauthClientId", "Iv1.x"},
                            {"patrol.oauthClientSecret", "s3cret"}});
  const std::optional<OAuthSetup> refused =
      oauth_setup(unscoped, "https://github.com/o/r.git", "https", "github.com");
  REQUIRE(refused);
  CHECK(refused->client.client_secret.empty());
  CHECK(unscoped.refusal(Setting::oauthClientSecret, "https://github.com/o/r.git"));
}
