#include <catch2/catch.hpp>

#include "common/civil_time.hpp"
#include "helper/commands/token_report.hpp"

using namespace patrol;
using namespace patrol::helper;

namespace {

constexpr std::int64_t now = 1795927075; // 2026-11-29 04:37:55 UTC

store::Record record() {
  store::Record out;
  out.protocol = "https";
  out.host = "gitlab.example.com";
  out.username = "alice";
  out.secret = Secret("glpat-never-shown");
  out.kind = store::Kind::pat;
  out.token_name = "ci";
  out.scopes = {"api", "read_repository"};
  out.expires_at = *parse_date("2026-12-02");
  out.checked_at = now - 120;
  out.store = "secretservice";
  return out;
}

} // namespace

TEST_CASE("status cells: token, expiry, days left, scopes, last check", "[report]") {
  CHECK(report_cells(record(), now) == TableRow{"https://alice@gitlab.example.com", "alice",
                                                "secretservice", "ci", "2026-12-02", "3",
                                                "api,read_repository", "2026-11-29 04:35 UTC"});
  store::Record unknown = record();
  unknown.kind = store::Kind::password;
  unknown.token_name.clear();
  unknown.scopes.clear();
  unknown.expires_at.reset();
  unknown.checked_at.reset();
  CHECK(report_cells(unknown, now) == TableRow{"https://alice@gitlab.example.com", "alice",
                                               "secretservice", "-", "unknown", "-", "-", "never"});
  store::Record forever = record();
  forever.expires_at.reset();
  CHECK(report_cells(forever, now)[4] == "never");
  store::Record dead = record();
  dead.expires_at = *parse_date("2026-11-01");
  CHECK(report_cells(dead, now)[5] == "expired");
}

TEST_CASE("an OAuth token that refreshes itself has no days left to count", "[report]") {
  store::Record oauth = record();
  oauth.kind = store::Kind::oauth;
  oauth.token_name.clear();
  oauth.refresh_token = Secret("rt-never-shown");
  oauth.expires_at = now - 30; // the access token died a moment ago; get renews it
  const TableRow cells = report_cells(oauth, now);
  CHECK(cells[5] == "refreshes itself");
  const nlohmann::json got = report_json(oauth, now);
  CHECK(got["refreshes_itself"] == true);
  CHECK(got["refresh_token"] == "held");
  CHECK(got["days_left"].is_null());
  CHECK(got["expired"] == false);
  CHECK(got.dump().find("rt-never-shown") == std::string::npos);

  store::Record spent = oauth;
  spent.refresh_token = Secret();
  CHECK(report_cells(spent, now)[5] == "expired");
  CHECK(report_json(spent, now)["refresh_token"] == "none");
  CHECK(report_json(spent, now)["refreshes_itself"] == false);
  CHECK_FALSE(report_json(record(), now).contains("refresh_token"));
}

TEST_CASE("status JSON never carries the secret", "[report]") {
  const nlohmann::json got = report_json(record(), now);
  CHECK(got["url"] == "https://alice@gitlab.example.com");
  CHECK(got["token_name"] == "ci");
  CHECK(got["expires_on"] == "2026-12-02");
  CHECK(got["days_left"] == 3);
  CHECK(got["expired"] == false);
  CHECK(got["scopes"] == nlohmann::json::array({"api", "read_repository"}));
  CHECK(got["checked_at"] == now - 120);
  CHECK(got.dump().find("glpat-never-shown") == std::string::npos);
}

TEST_CASE("tables pad every column to its widest cell", "[report]") {
  CHECK(format_table({{"A", "BB", "C"}, {"long", "x", "y"}}) == "A     BB  C\nlong  x   y\n");
}

TEST_CASE("a token name from the forge is escaped in the table and ASCII in JSON", "[report]") {
  store::Record hostile = record();
  hostile.token_name = "ci\x1b]0;pwned-title\a\x1b[2J\x1b[31mRED";
  hostile.scopes = {"api", "read\xc2\x9b"
                           "8m\xe2\x80\xae"};
  const std::string table = format_table({report_header(), report_cells(hostile, now)});
  CHECK(table.find("ci\\e]0;pwned-title\\x07\\e[2J\\e[31mRED") != std::string::npos);
  CHECK(table.find("api,read\\u009b8m\\u202e") != std::string::npos);
  CHECK(table.find('\x1b') == std::string::npos);

  const std::string json = format_json(nlohmann::json::array({report_json(hostile, now)}));
  CHECK(json.find("ci\\u001b]0;pwned-title\\u0007\\u001b[2J\\u001b[31mRED") != std::string::npos);
  CHECK(json.find("read\\u009b8m\\u202e") != std::string::npos);
  for (const char c : json) {
    CHECK((c == '\n' || (c >= 0x20 && c < 0x7f)));
  }
  const nlohmann::json back = nlohmann::json::parse(json);
  CHECK(back[0]["token_name"] == hostile.token_name);
  CHECK(back[0]["scopes"][1] == hostile.scopes[1]);

  hostile.token_name = "not UTF-8 \xff";
  CHECK(format_json(report_json(hostile, now)).find("not UTF-8 \\ufffd") != std::string::npos);
}

TEST_CASE("expiry_reason: why a token shows no expiry", "[token_report]") {
  using patrol::forge::ForgeKind;
  using patrol::forge::HostAnswer;
  patrol::store::Record record;
  record.protocol = "https";
  record.host = "code.example";
  CHECK(patrol::helper::expiry_reason(record, forge::ForgeKind::none, std::nullopt) ==
        "not a known forge");
  CHECK(patrol::helper::expiry_reason(record, forge::ForgeKind::none,
                                      forge::HostAnswer{forge::HostAnswer::neither}) ==
        "not a known forge");
  CHECK(patrol::helper::expiry_reason(record, forge::ForgeKind::none,
                                      forge::HostAnswer{forge::HostAnswer::silent}) ==
        "forge did not answer");
  CHECK(patrol::helper::expiry_reason(record, forge::ForgeKind::gitlab, std::nullopt) ==
        "forge did not answer");
  record.checked_at = 1700000000;
  record.kind = patrol::store::Kind::pat;
  record.scopes = {"repo"};
  CHECK(patrol::helper::expiry_reason(
            record, forge::ForgeKind::github,
            forge::HostAnswer{forge::HostAnswer::found, ForgeKind::github}) ==
        "GitHub classic token has no expiry");
  // The row's words: GitHub's fine-grained tokens carry no scopes; GitLab's words do not
  // depend on them.
  record.scopes.clear();
  CHECK(patrol::helper::expiry_reason(record, forge::ForgeKind::github, std::nullopt) ==
        "GitHub gave no expiry");
  CHECK(patrol::helper::expiry_reason(record, forge::ForgeKind::gitlab, std::nullopt) ==
        "GitLab token has no expiry");
  record.scopes = {"api"};
  CHECK(patrol::helper::expiry_reason(record, forge::ForgeKind::gitlab, std::nullopt) ==
        "GitLab token has no expiry");
  record.expires_at = 1800000000;
  CHECK(
      patrol::helper::expiry_reason(record, forge::ForgeKind::github,
                                    forge::HostAnswer{forge::HostAnswer::found, ForgeKind::github})
          .empty());
}
