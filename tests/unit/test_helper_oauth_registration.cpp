#include <catch2/catch.hpp>

#include <string>

#include "helper/signin/oauth_registration.hpp"
#include "oauth/presets.hpp"

using patrol::helper::registration_hint;
using patrol::helper::registration_steps;
using patrol::oauth::oauth_preset;

TEST_CASE("oauth registration: GitLab's pages and values, on the forge's own host",
          "[helper][oauth_registration]") {
  const std::string steps = registration_steps(oauth_preset("gitlab"), "https://gl.example:8443");
  CHECK(steps.starts_with("  open   https://gl.example:8443/-/user_settings/applications\n"));
  CHECK(steps.find("https://gl.example:8443/admin/applications") != std::string::npos);
  CHECK(steps.find("    Confidential: unticked") != std::string::npos);
  CHECK(steps.find("    Scopes: read_repository, write_repository") != std::string::npos);
  CHECK(steps.find("    Redirect URI: http://127.0.0.1/") != std::string::npos);
  CHECK(steps.ends_with(
      "  then   git credential-patrol configure --oauth https://gl.example:8443 CLIENT_ID"));
}

TEST_CASE("oauth registration: GitHub's OAuth app with the device flow, and its secret",
          "[helper][oauth_registration]") {
  const std::string steps = registration_steps(oauth_preset("github"), "https://github.com");
  CHECK(steps.starts_with("  open   https://github.com/settings/applications/new\n"));
  CHECK(steps.find("    Enable Device Flow: ticked") != std::string::npos);
  CHECK(steps.find("admin") == std::string::npos);
  CHECK(steps.find("configure --oauth https://github.com CLIENT_ID [CLIENT_SECRET]") !=
        std::string::npos);
}

TEST_CASE("oauth registration: an unknown server gets the generic steps",
          "[helper][oauth_registration]") {
  const std::string steps = registration_steps(nullptr, "https://sso.example");
  CHECK(steps.find("device authorization grant") != std::string::npos);
  CHECK(steps.find("configure --oauth https://sso.example CLIENT_ID") != std::string::npos);
}

TEST_CASE("oauth registration: get's hint is one line", "[helper][oauth_registration]") {
  const std::string hint = registration_hint(*oauth_preset("gitlab"), "https://gl.example");
  CHECK(hint.find('\n') == std::string::npos);
  CHECK(hint.find("https://gl.example/-/user_settings/applications") != std::string::npos);
  CHECK(hint.find("git credential-patrol configure --oauth https://gl.example CLIENT_ID") !=
        std::string::npos);
}
