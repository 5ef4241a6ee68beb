#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/civil_time.hpp"
#include "helper/lifecycle/lifecycle.hpp"

using namespace patrol;
using namespace patrol::helper;

namespace {

// 2026-11-29 04:37:55 UTC, a fixed "now".
constexpr std::int64_t now = 1795927075;

std::int64_t day(const char* text) { return *parse_date(text); }

store::Record gitlab_record() {
  store::Record record;
  record.protocol = "https";
  record.host = "gitlab.example.com";
  record.username = "alice";
  record.secret = Secret("glpat-secret");
  record.kind = store::Kind::pat;
  record.token_name = "laptop push";
  record.scopes = {"read_repository", "write_repository"};
  record.expires_at = day("2026-12-02");
  record.checked_at = now - 3600;
  return record;
}

} // namespace

TEST_CASE("calendar days count dates, not 24-hour spans", "[lifecycle]") {
  struct Row {
    std::int64_t from;
    std::int64_t to;
    std::int64_t days;
  };
  const std::vector<Row> rows = {
      {now, day("2026-12-02"), 3},
      {day("2026-11-29"), day("2026-12-02"), 3},
      {day("2026-12-01") + 86399, day("2026-12-02"), 1},
      {now, day("2026-11-29"), 0},
      {now, day("2026-11-20"), -9},
      {day("1969-12-31"), day("1970-01-01"), 1},
  };
  for (const Row& row : rows) {
    INFO(row.from << " -> " << row.to);
    CHECK(calendar_days(row.from, row.to) == row.days);
  }
}

TEST_CASE("assess: window, expiry at 00:00 UTC, staleness", "[lifecycle]") {
  struct Row {
    const char* name;
    std::optional<std::int64_t> expires_at;
    std::optional<std::int64_t> checked_at;
    std::int64_t warn_days;
    std::optional<std::int64_t> recheck;
    Standing standing;
    std::optional<std::int64_t> days_left;
    bool stale;
  };
  const std::vector<Row> rows = {
      {"no expiry", std::nullopt, now, 14, 86400, Standing::fine, std::nullopt, false},
      {"far away", day("2027-06-01"), now, 14, 86400, Standing::fine, 184, false},
      {"in the window", day("2026-12-02"), now, 14, 86400, Standing::expiring, 3, false},
      {"window edge", day("2026-12-13"), now, 14, 86400, Standing::expiring, 14, false},
      {"one day past the edge", day("2026-12-14"), now, 14, 86400, Standing::fine, 15, false},
      {"warnings off", day("2026-12-02"), now, 0, 86400, Standing::fine, 3, false},
      {"dies at midnight today", day("2026-11-29"), now, 14, 86400, Standing::expired, 0, false},
      {"dies at midnight tomorrow", day("2026-11-30"), now, 14, 86400, Standing::expiring, 1,
       false},
      {"long expired", day("2026-01-01"), now, 14, 86400, Standing::expired, -332, false},
      {"never checked", std::nullopt, std::nullopt, 14, 86400, Standing::fine, std::nullopt, true},
      {"checked a day ago", std::nullopt, now - 86400, 14, 86400, Standing::fine, std::nullopt,
       true},
      {"checked just under a day ago", std::nullopt, now - 86399, 14, 86400, Standing::fine,
       std::nullopt, false},
      {"rechecks off", std::nullopt, std::nullopt, 14, std::nullopt, Standing::fine, std::nullopt,
       false},
      {"checked in the future", std::nullopt, now + 600, 14, 86400, Standing::fine, std::nullopt,
       true},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    store::Record record;
    record.expires_at = row.expires_at;
    record.checked_at = row.checked_at;
    const Assessment got = assess(record, now, row.warn_days, row.recheck);
    CHECK(got.standing == row.standing);
    CHECK(got.days_left == row.days_left);
    CHECK(got.stale == row.stale);
  }
}

TEST_CASE("settings: warnDays, recheckInterval, booleans", "[lifecycle]") {
  CHECK(parse_warn_days("14").value() == 14);
  CHECK(parse_warn_days("0").value() == 0);
  for (const char* bad : {"", "-1", "two", "14d", "3651"}) {
    INFO(bad);
    CHECK_FALSE(parse_warn_days(bad));
  }
  struct Row {
    const char* text;
    std::optional<std::int64_t> seconds;
  };
  const std::vector<Row> good = {
      {"86400", 86400}, {"90s", 90},    {"30m", 1800},       {"24h", 86400},
      {"2d", 172800},   {"24H", 86400}, {"0", std::nullopt}, {"never", std::nullopt}};
  for (const Row& row : good) {
    INFO(row.text);
    const Result<std::optional<std::int64_t>> got = parse_interval(row.text);
    REQUIRE(got);
    CHECK(*got == row.seconds);
  }
  for (const char* bad : {"", "h", "1w", "-5", "1.5h", "99999999999999d"}) {
    INFO(bad);
    CHECK_FALSE(parse_interval(bad));
  }
  CHECK(parse_bool("Yes").value());
  CHECK(parse_bool("on").value());
  CHECK_FALSE(parse_bool("0").value());
  CHECK_FALSE(parse_bool("").value());
  CHECK_FALSE(parse_bool("maybe"));
}

// What the prefix "git-credential-patrol: warning: " leaves of a 100-character line.
constexpr std::size_t room = warning_width - 32;

TEST_CASE("the expiry warning: token, account, days left and date, the remedy below",
          "[lifecycle]") {
  store::Record record = gitlab_record();
  ExpiryWarning warning = expiry_warning(record, forge::ForgeKind::gitlab, now, room);
  // The date does not fit beside a name and an account of usual lengths: the days left do.
  CHECK(warning.line == "token 'laptop push' for alice@gitlab.example.com expires in 3 days");
  CHECK(warning.remedy ==
        "create a new one at https://gitlab.example.com/-/user_settings/personal_access_tokens"
        "?name=laptop+push&scopes=read_repository,write_repository");
  record.scopes = {"api"};
  CHECK(expiry_warning(record, forge::ForgeKind::gitlab, now, room).remedy ==
        "run `git credential-patrol rotate https://alice@gitlab.example.com`, or create a new "
        "one at https://gitlab.example.com/-/user_settings/personal_access_tokens"
        "?name=laptop+push&scopes=api");
  record.token_name = "ci";
  record.host = "gl.example";
  record.expires_at = day("2026-11-30");
  warning = expiry_warning(record, forge::ForgeKind::none, now, room);
  CHECK(warning.line == "token 'ci' for alice@gl.example expires in 1 day, on 2026-11-30");
  CHECK(warning.remedy.empty()); // nothing better to say than the line itself
  record.token_name.clear();
  record.expires_at = day("2026-11-29") + 86399;
  CHECK(expiry_warning(record, forge::ForgeKind::none, now, room).line ==
        "the token for alice@gl.example expires today, on 2026-11-29");
}

TEST_CASE("the expiry warning's line drops what it can spare to fit", "[lifecycle]") {
  store::Record record = gitlab_record();
  record.token_name = "ci";
  // The date goes first: the days left say how urgent it is.
  CHECK(expiry_warning(record, forge::ForgeKind::gitlab, now, room).line ==
        "token 'ci' for alice@gitlab.example.com expires in 3 days");
  // Then the token's name: the account says which token.
  record.username = "firstname.last";
  record.token_name = "laptop push";
  CHECK(expiry_warning(record, forge::ForgeKind::gitlab, now, room).line ==
        "the token for firstname.last@gitlab.example.com expires in 3 days");
  // Then the account is cut; the second line (the remedy's URL or link) names it whole.
  record.host = "gitlab.departement-informatique.universite-exemple.example.org";
  const ExpiryWarning warning = expiry_warning(record, forge::ForgeKind::gitlab, now, room);
  CHECK(warning.line.size() <= room);
  CHECK(warning.line.starts_with("the token for firstname.last@gitlab.departement"));
  CHECK(warning.line.ends_with("... expires in 3 days"));
  CHECK(warning.remedy.find(record.host) != std::string::npos);
  // A name full of escapes is measured as it is shown.
  record = gitlab_record();
  record.token_name = std::string(30, '\x1b');
  CHECK(expiry_warning(record, forge::ForgeKind::gitlab, now, room).line ==
        "the token for alice@gitlab.example.com expires in 3 days");
}

TEST_CASE("warnEvery: daily by calendar day, always, or a duration", "[lifecycle]") {
  const WarnEvery daily = parse_warn_every("daily").value();
  CHECK(daily.daily);
  CHECK(parse_warn_every("Daily").value().daily);
  const WarnEvery always = parse_warn_every("always").value();
  CHECK_FALSE(always.daily);
  CHECK(always.seconds == 0);
  CHECK(parse_warn_every("0").value().seconds == 0);
  CHECK(parse_warn_every("12h").value().seconds == 12 * 3600);
  CHECK(parse_warn_every("7d").value().seconds == 7 * 86400);
  for (const char* bad : {"", "weekly", "-1", "1w", "never"}) {
    INFO(bad);
    CHECK_FALSE(parse_warn_every(bad));
  }
  const std::int64_t today = day("2026-11-29");
  CHECK(warning_due(std::nullopt, now, daily));
  CHECK_FALSE(warning_due(today, now, daily)); // earlier today
  CHECK_FALSE(warning_due(now, now, daily));
  CHECK(warning_due(today - 1, now, daily)); // yesterday, one second before midnight
  CHECK(warning_due(now + 60, now, daily));  // a clock set back
  CHECK(warning_due(now, now, always));
  const WarnEvery hours = parse_warn_every("12h").value();
  CHECK_FALSE(warning_due(now - 12 * 3600 + 1, now, hours));
  CHECK(warning_due(now - 12 * 3600, now, hours));
}

TEST_CASE("rotate's --expires-at: after today, within GitLab's 365 days", "[lifecycle]") {
  CHECK(expiry_date_problem(day("2026-11-30"), now).empty());
  CHECK(expiry_date_problem(day("2027-11-29"), now).empty()); // 365 days
  CHECK(expiry_date_problem(day("2026-11-29"), now) ==
        "2026-11-29 is not after today (2026-11-29), and a GitLab token dies at 00:00 UTC on "
        "its expiry date: give a later date");
  CHECK(expiry_date_problem(day("2020-01-01"), now).starts_with("2020-01-01 is not after today"));
  CHECK(expiry_date_problem(day("2027-11-30"), now) ==
        "2027-11-30 is more than 365 days away, GitLab's maximum token lifetime: give a date "
        "up to 2027-11-29");
  // autoRotate's and rotate's default lifetime is always acceptable.
  for (std::int64_t warn_days : {0, 1, 14, 100, 3650}) {
    CHECK(
        expiry_date_problem(now + rotated_lifetime_days(warn_days) * seconds_per_day, now).empty());
  }
}

TEST_CASE("an expired token is refused with its date and a way to renew", "[lifecycle]") {
  store::Record record = gitlab_record();
  record.scopes = {"api"}; // even a token that could rotate cannot once it is dead
  record.expires_at = day("2026-11-20");
  CHECK(expired_refusal(record, forge::ForgeKind::gitlab, now) ==
        "token 'laptop push' for alice@gitlab.example.com expired on 2026-11-20 and was not "
        "given to git: create a new one at "
        "https://gitlab.example.com/-/user_settings/personal_access_tokens"
        "?name=laptop+push&scopes=api, then give it to git when it asks");
}

TEST_CASE("what the forge said of a token outranks its date", "[lifecycle]") {
  store::Record record = gitlab_record();
  record.expires_at = day("2027-06-01");
  record.state = store::State::revoked;
  CHECK(assess(record, now, 14, std::nullopt).standing == Standing::revoked);
  record.state = store::State::expired;
  CHECK(assess(record, now, 14, std::nullopt).standing == Standing::expired);
  record.state = store::State::active;
  CHECK(assess(record, now, 14, std::nullopt).standing == Standing::fine);
}

TEST_CASE("a token the forge called expired or revoked is refused in one line", "[lifecycle]") {
  store::Record record = gitlab_record();
  record.expires_at.reset(); // GitLab names no date for an expired token
  record.state = store::State::expired;
  const std::string link = "https://gitlab.example.com/-/user_settings/personal_access_tokens"
                           "?name=laptop+push&scopes=read_repository,write_repository";
  CHECK(expired_refusal(record, forge::ForgeKind::gitlab, now) ==
        "token 'laptop push' for alice@gitlab.example.com has expired and was not given to "
        "git: create a new one at " +
            link + ", then give it to git when it asks");
  CHECK(dead_on_arrival(record, forge::ForgeKind::gitlab) ==
        "token 'laptop push' for alice@gitlab.example.com has expired (its forge says so): it "
        "is stored as such and will not be given to git; create a new one at " +
            link);
  record.state = store::State::revoked;
  CHECK(revoked_refusal(record, forge::ForgeKind::gitlab) ==
        "token 'laptop push' for alice@gitlab.example.com was revoked and was not given to "
        "git: create a new one at " +
            link + ", then give it to git when it asks");
  CHECK(dead_on_arrival(record, forge::ForgeKind::none) ==
        "token 'laptop push' for alice@gitlab.example.com was revoked (its forge says so): it "
        "is stored as such and will not be given to git; create a new one");
}

TEST_CASE("a refusal is explained from the forge's answer", "[lifecycle]") {
  const store::Record record = gitlab_record();
  const std::string link = "https://gitlab.example.com/-/user_settings/personal_access_tokens"
                           "?name=laptop+push&scopes=read_repository,write_repository";
  forge::TokenInfo info;
  info.state = forge::TokenState::revoked;
  CHECK(rejection_reason(record, forge::ForgeKind::gitlab, info, now) ==
        "token 'laptop push' for alice@gitlab.example.com was refused: it was revoked; "
        "forgetting it: create a new one at " +
            link);
  info.state = forge::TokenState::expired;
  CHECK(rejection_reason(record, forge::ForgeKind::gitlab, info, day("2026-12-05")) ==
        "token 'laptop push' for alice@gitlab.example.com was refused: it expired on "
        "2026-12-02; forgetting it: create a new one at " +
            link);
  CHECK(rejection_reason(record, forge::ForgeKind::gitlab, info, now).find("it has expired") !=
        std::string::npos);
  info.state = forge::TokenState::unknown;
  CHECK(rejection_reason(record, forge::ForgeKind::gitlab, info, now)
            .find("was refused: gitlab.example.com does not know it") != std::string::npos);
  info.state = forge::TokenState::active;
  info.scopes = {"read_repository"};
  CHECK(rejection_reason(record, forge::ForgeKind::gitlab, info, now)
            .find("is valid but was refused: its scopes (read_repository) do not allow a push") !=
        std::string::npos);
  info.scopes = {"api"};
  CHECK(rejection_reason(record, forge::ForgeKind::gitlab, info, now).empty());
  info.state = forge::TokenState::not_a_pat;
  CHECK(rejection_reason(record, forge::ForgeKind::gitlab, info, now).empty());
}

TEST_CASE("a token without the push scope is warned about", "[lifecycle]") {
  store::Record record = gitlab_record();
  CHECK(push_scope_warning(record, forge::ForgeKind::gitlab).empty());
  record.scopes = {"read_repository"};
  CHECK(push_scope_warning(record, forge::ForgeKind::gitlab) ==
        "token 'laptop push' for alice@gitlab.example.com has the scopes read_repository: "
        "pushes will fail (they need write_repository or api)");
  record.scopes = {"read:user"};
  CHECK(push_scope_warning(record, forge::ForgeKind::github).find("(they need repo)") !=
        std::string::npos);
}

TEST_CASE("record_url is what rotate and refresh take", "[lifecycle]") {
  store::Record record = gitlab_record();
  CHECK(record_url(record) == "https://alice@gitlab.example.com");
  record.username = "a@b";
  record.path = "group/repo.git";
  CHECK(record_url(record) == "https://a%40b@gitlab.example.com/group/repo.git");
}
