#include "helper/git/protocol.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using patrol::Errc;
using patrol::Secret;
using patrol::helper::Credential;
using patrol::helper::max_input_bytes;
using patrol::helper::max_line_bytes;
using patrol::helper::parse;
using patrol::helper::write;

namespace Catch {
template <> struct StringMaker<Credential> {
  // Test values only: printing them is how a failing row explains itself.
  static std::string convert(const Credential& c) {
    std::ostringstream out;
    const auto list = [&](const char* name, const std::vector<std::string>& items) {
      for (const std::string& item : items) {
        out << name << "[]=" << item << ' ';
      }
    };
    list("capability", c.capabilities);
    out << "authtype=" << c.authtype << " credential=" << c.credential.view()
        << " ephemeral=" << c.ephemeral << " protocol=" << c.protocol << " host=" << c.host
        << " path=" << c.path << " username=" << c.username << " password=" << c.password.view()
        << " oauth_refresh_token=" << c.oauth_refresh_token.view() << " password_expiry_utc="
        << (c.password_expiry_utc ? std::to_string(*c.password_expiry_utc) : "none") << ' ';
    list("wwwauth", c.wwwauth);
    out << "continue=" << c.continue_ << ' ';
    list("state", c.state);
    out << "quit=" << c.quit;
    return out.str();
  }
};
} // namespace Catch

namespace {

using namespace std::string_literals;

// Every secret-looking value in the error rows; no message may repeat it.
constexpr const char* marker = "s3cr3t";

struct ParseRow {
  const char* name;
  std::string input;
  Credential expected;
};

struct ErrorRow {
  const char* name;
  std::string input;
  std::vector<std::string> message_holds;
};

Credential https(const char* host) { return Credential{.protocol = "https", .host = host}; }

std::string repeated(std::size_t count, char c = 'x') { return std::string(count, c); }

// Unknown-key lines ("k=xxx\n") adding up to exactly `total` bytes (at least 3), each
// well under the line bound.
std::string filler_lines(std::size_t total) {
  std::string out;
  out.reserve(total);
  while (out.size() < total) {
    const std::size_t left = total - out.size();
    const std::size_t line = left <= 60000 ? left : left - 60000 < 3 ? 50000 : 60000;
    out += "k=" + repeated(line - 3) + "\n";
  }
  return out;
}

const std::vector<ParseRow> parse_rows{
    {"plain request", "protocol=https\nhost=example.com\n\n", https("example.com")},
    {"every basic field",
     "protocol=https\nhost=example.com\npath=group/repo.git\nusername=alice\npassword=pw\n",
     Credential{.protocol = "https",
                .host = "example.com",
                .path = "group/repo.git",
                .username = "alice",
                .password = Secret("pw")}},
    {"empty input", "", Credential{}},
    {"only a blank line", "\n", Credential{}},
    {"missing final newline", "protocol=https\nhost=example.com", https("example.com")},
    {"CRLF line ends", "protocol=https\r\nhost=example.com\r\n\r\nhost=later\r\n",
     https("example.com")},
    {"blank line ends the request early", "protocol=https\n\nhost=example.com\n",
     Credential{.protocol = "https"}},
    {"bytes after the blank line are not looked at",
     "protocol=https\nhost=h\n\nno equals\n\0\r\n"s + repeated(max_line_bytes + 10), https("h")},
    {"duplicate keys: the last wins", "host=a\nhost=b\npassword=one\npassword=two\n",
     Credential{.host = "b", .password = Secret("two")}},
    {"an empty value empties the field", "host=a\nhost=\nusername=\n", Credential{}},
    {"'=' inside a value", "password=a=b==\n", Credential{.password = Secret("a=b==")}},
    {"unknown keys are ignored", "foo=bar\nprotocol=https\nx[]=1\n=\n=nokey\nhost=h\n", https("h")},

    {"url with a port", "url=https://example.com:8443/group/repo.git\n",
     Credential{.protocol = "https", .host = "example.com:8443", .path = "group/repo.git"}},
    {"url with user and password", "url=https://alice:pw@example.com/\n",
     Credential{.protocol = "https",
                .host = "example.com",
                .username = "alice",
                .password = Secret("pw")}},
    {"url with a user only", "url=https://alice@example.com\n",
     Credential{.protocol = "https", .host = "example.com", .username = "alice"}},
    {"url percent-decodes user, password, host and path",
     "url=https://al%40ice:p%3Ass%2Fw%25rd@ex%61mple.com/a%20b/\n",
     Credential{.protocol = "https",
                .host = "example.com",
                .path = "a b",
                .username = "al@ice",
                .password = Secret("p:ss/w%rd")}},
    {"url keeps bad escapes and %00 as they are", "url=https://u%00x@h/p%zz%4\n",
     Credential{.protocol = "https", .host = "h", .path = "p%zz%4", .username = "u%00x"}},
    {"a port with leading zeros", "protocol=https\nhost=example.com:08443\n",
     Credential{.protocol = "https", .host = "example.com:8443"}},
    {"https's default port is no port", "protocol=https\nhost=example.com:0443\n",
     Credential{.protocol = "https", .host = "example.com"}},
    {"http's default port is no port", "url=http://example.com:80/x\n",
     Credential{.protocol = "http", .host = "example.com", .path = "x"}},
    {"443 over http is kept", "protocol=http\nhost=example.com:443\n",
     Credential{.protocol = "http", .host = "example.com:443"}},
    {"an empty port is the default", "protocol=https\nhost=example.com:\n",
     Credential{.protocol = "https", .host = "example.com"}},
    {"the host may come before the protocol", "host=example.com:443\nprotocol=https\n",
     Credential{.protocol = "https", .host = "example.com"}},
    {"url with an IPv6 host and port", "url=https://[::1]:8443/repo\n",
     Credential{.protocol = "https", .host = "[::1]:8443", .path = "repo"}},
    {"url with a user and an IPv6 host", "url=https://bob@[::1]:8443/x\n",
     Credential{.protocol = "https", .host = "[::1]:8443", .path = "x", .username = "bob"}},
    {"url: '?' ends the host", "url=https://example.com?x=1\n",
     Credential{.protocol = "https", .host = "example.com", .path = "?x=1"}},
    {"url: '#' ends the host", "url=https://example.com#frag\n",
     Credential{.protocol = "https", .host = "example.com", .path = "#frag"}},
    {"url: an '@' after the host is path", "url=https://example.com/a@b\n",
     Credential{.protocol = "https", .host = "example.com", .path = "a@b"}},
    {"url: slashes around the path are trimmed", "url=https://h///a/b///\n",
     Credential{.protocol = "https", .host = "h", .path = "a/b"}},
    {"url without a host", "url=cert:///path/to/cert.pem\n",
     Credential{.protocol = "cert", .path = "path/to/cert.pem"}},
    {"url resets every earlier field",
     "capability[]=authtype\nusername=old\npassword=oldpw\npath=p\nquit=1\n"
     "wwwauth[]=Basic\npassword_expiry_utc=5\nurl=https://example.com\n",
     https("example.com")},
    {"fields after url override it", "url=https://alice@example.com/x\nusername=bob\n",
     Credential{.protocol = "https", .host = "example.com", .path = "x", .username = "bob"}},

    {"wwwauth[] keeps order, '=' in values", "wwwauth[]=Basic realm=\"a\"\nwwwauth[]=Bearer\n",
     Credential{.wwwauth = {"Basic realm=\"a\"", "Bearer"}}},
    {"wwwauth[]= clears the list", "wwwauth[]=Basic\nwwwauth[]=\nwwwauth[]=Negotiate\n",
     Credential{.wwwauth = {"Negotiate"}}},
    {"state[]= clears the list", "state[]=a\nstate[]=b\nstate[]=\n", Credential{}},
    {"capability[] once each, unknown kept",
     "capability[]=authtype\ncapability[]=future\ncapability[]=authtype\n",
     Credential{.capabilities = {"authtype", "future"}}},
    {"capability[]= clears the list", "capability[]=authtype\ncapability[]=\ncapability[]=state\n",
     Credential{.capabilities = {"state"}}},
    {"git 2.46 attributes",
     "capability[]=authtype\ncapability[]=state\nauthtype=Bearer\ncredential=tok\n"
     "ephemeral=1\ncontinue=true\nstate[]=patrol:a\nstate[]=other:b\n",
     Credential{.capabilities = {"authtype", "state"},
                .authtype = "Bearer",
                .credential = Secret("tok"),
                .ephemeral = true,
                .continue_ = true,
                .state = {"patrol:a", "other:b"}}},
    {"oauth_refresh_token", "oauth_refresh_token=rt\n",
     Credential{.oauth_refresh_token = Secret("rt")}},

    {"expiry", "password_expiry_utc=1700000000\n", Credential{.password_expiry_utc = 1700000000}},
    {"expiry: git reads leading digits", "password_expiry_utc=123abc\n",
     Credential{.password_expiry_utc = 123}},
    {"expiry: blanks and '+' skipped as strtoumax", "password_expiry_utc= +42\n",
     Credential{.password_expiry_utc = 42}},
    {"expiry: zero means none", "password_expiry_utc=0\n", Credential{}},
    {"expiry: no digits ignored", "password_expiry_utc=soon\n", Credential{}},
    {"expiry: negative ignored", "password_expiry_utc=-5\n", Credential{}},
    {"expiry: overflow ignored", "password_expiry_utc=99999999999999999999\n", Credential{}},
    {"expiry: a later bad value unsets", "password_expiry_utc=7\npassword_expiry_utc=x\n",
     Credential{}},

    {"line of exactly 65535 bytes with its newline",
     "password=" + repeated(max_line_bytes - 10) + "\n",
     Credential{.password = Secret(repeated(max_line_bytes - 10))}},
    {"last line of exactly 65535 bytes without newline",
     "host=h\npassword=" + repeated(max_line_bytes - 9),
     Credential{.host = "h", .password = Secret(repeated(max_line_bytes - 9))}},
    {"input of exactly 1 MiB", filler_lines(max_input_bytes - 7) + "host=h\n",
     Credential{.host = "h"}},
    {"a longer input ending within 1 MiB", "host=h\n\n" + filler_lines(max_input_bytes),
     Credential{.host = "h"}},
};

const std::vector<std::pair<const char*, bool>> bool_rows{
    {"1", true},   {"true", true}, {"TRUE", true}, {"yes", true},  {"on", true},  {"On", true},
    {"2", true},   {"-1", true},   {"0x10", true}, {"1k", true},   {"0", false},  {"false", false},
    {"No", false}, {"off", false}, {"", false},    {"0x0", false}, {"0g", false},
};

const std::vector<ErrorRow> error_rows{
    {"a line without '='", "protocol=https\ns3cr3t\n", {"line 2", "'='"}},
    {"NUL in a value",
     "host=h\npassword=s3cr\0"
     "3t\n"s,
     {"line 2", "NUL"}},
    {"NUL in a key", "pass\0word=s3cr3t\n"s, {"line 1", "NUL"}},
    {"NUL in a last line without newline", "password=s3cr3t\0"s, {"line 1", "NUL"}},
    {"CR inside a value", "password=s3cr\r3t\n", {"line 1", "carriage return"}},
    {"CR at the end without LF", "host=h\npassword=s3cr3t\r", {"line 2", "carriage return"}},
    {"two CRs before LF", "password=s3cr3t\r\r\n", {"line 1", "carriage return"}},
    {"a line of 65536 bytes with its newline",
     "host=h\npassword=s3cr3t" + repeated(max_line_bytes - 15) + "\n",
     {"line 2", "65535"}},
    {"a last line of 65536 bytes",
     "password=s3cr3t" + repeated(max_line_bytes - 14),
     {"line 1", "65535"}},
    {"input of 1 MiB and one byte", filler_lines(max_input_bytes - 7) + "host=hh\n", {"1 MiB"}},
    {"input over 1 MiB without blank line", filler_lines(2 * max_input_bytes), {"1 MiB"}},
    {"url without scheme", "url=example.com/s3cr3t\n", {"line 1", "url", "protocol"}},
    {"url with an empty scheme", "host=h\nurl=://s3cr3t@example.com\n", {"line 2", "url"}},
    {"url host with %0a", "url=https://exa%0amp-s3cr3t.com\n", {"line 1", "host", "newline"}},
    {"url host with %0A and %0D", "url=https://a%0A%0Ds3cr3t\n", {"host"}},
    {"url host with %0d", "url=https://exa%0dmple.com/s3cr3t\n", {"host", "carriage return"}},
    {"url username with %0a", "url=https://s3cr3t%0a@example.com\n", {"username"}},
    {"url password with %0a", "url=https://u:s3cr3t%0a@example.com\n", {"password"}},
    {"url path with %0a", "url=https://example.com/s3cr3t%0a\n", {"path"}},
    {"bad quit", "quit=s3cr3t\n", {"line 1", "quit"}},
    {"quit beyond int", "quit=99999999999\n", {"quit"}},
    {"quit with a bad unit", "quit=1x\n", {"quit"}},
    {"bad ephemeral", "ephemeral=maybe\n", {"ephemeral"}},
    {"bad continue", "host=h\ncontinue=perhaps\n", {"line 2", "continue"}},
    {"port 0", "protocol=https\nhost=d.example:0\n", {"port", "1 to 65535"}},
    {"port beyond 65535", "protocol=https\nhost=d.example:65536\n", {"port"}},
    {"port of many digits", "protocol=https\nhost=d.example:0000000000065536\n", {"port"}},
    {"port that is not a number", "protocol=https\nhost=d.example:https\n", {"port"}},
    {"port with a sign", "protocol=https\nhost=d.example:+443\n", {"port"}},
    {"IPv6 host with a bad port", "url=https://[::1]:x/\n", {"port"}},
};

} // namespace

TEST_CASE("parse: table of requests", "[helper][protocol]") {
  for (const ParseRow& row : parse_rows) {
    SECTION(row.name) {
      const patrol::Result<Credential> parsed = parse(row.input);
      INFO(row.name);
      REQUIRE(parsed.has_value());
      // Whether username= and password= were given is checked in its own table below.
      Credential expected = row.expected;
      expected.username_given = parsed->username_given;
      expected.password_given = parsed->password_given;
      CHECK(*parsed == expected);
    }
  }
}

TEST_CASE("parse: table of malformed requests", "[helper][protocol]") {
  for (const ErrorRow& row : error_rows) {
    SECTION(row.name) {
      const patrol::Result<Credential> parsed = parse(row.input);
      INFO(row.name);
      REQUIRE_FALSE(parsed.has_value());
      CHECK(parsed.error().code == Errc::invalid_input);
      const std::string& message = parsed.error().message;
      for (const std::string& fragment : row.message_holds) {
        CHECK_THAT(message, Catch::Matchers::Contains(fragment));
      }
      CHECK(message.find(marker) == std::string::npos);
      CHECK(message.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("parse: booleans read as git_config_bool", "[helper][protocol]") {
  for (const auto& [text, truth] : bool_rows) {
    for (const char* key : {"quit", "ephemeral", "continue"}) {
      INFO(key << "=" << text);
      const patrol::Result<Credential> parsed = parse(std::string(key) + "=" + text + "\n");
      REQUIRE(parsed.has_value());
      const bool value = std::string(key) == "quit"        ? parsed->quit
                         : std::string(key) == "ephemeral" ? parsed->ephemeral
                                                           : parsed->continue_;
      CHECK(value == truth);
    }
  }
}

TEST_CASE("write: git's order and only what is set", "[helper][protocol]") {
  const Credential full{.capabilities = {"authtype", "state"},
                        .authtype = "Bearer",
                        .credential = Secret("cred"),
                        .ephemeral = true,
                        .protocol = "https",
                        .host = "example.com:8443",
                        .path = "repo.git",
                        .username = "alice",
                        .password = Secret("pw"),
                        .oauth_refresh_token = Secret("rt"),
                        .password_expiry_utc = 1700000000,
                        .wwwauth = {"Basic realm=x"},
                        .continue_ = true,
                        .state = {"patrol:1", "patrol:2"},
                        .quit = true};

  SECTION("everything advertised") {
    const patrol::Result<std::string> text = write(full, {"state", "authtype"});
    REQUIRE(text.has_value());
    CHECK(*text == "capability[]=authtype\ncapability[]=state\nauthtype=Bearer\ncredential=cred\n"
                   "ephemeral=1\nprotocol=https\nhost=example.com:8443\npath=repo.git\n"
                   "username=alice\npassword=pw\noauth_refresh_token=rt\n"
                   "password_expiry_utc=1700000000\ncontinue=1\nstate[]=patrol:1\n"
                   "state[]=patrol:2\nquit=1\n");
  }
  SECTION("only state advertised: no authtype attributes") {
    const patrol::Result<std::string> text = write(full, {"state"});
    REQUIRE(text.has_value());
    CHECK(*text == "capability[]=state\nprotocol=https\nhost=example.com:8443\npath=repo.git\n"
                   "username=alice\npassword=pw\noauth_refresh_token=rt\n"
                   "password_expiry_utc=1700000000\ncontinue=1\nstate[]=patrol:1\n"
                   "state[]=patrol:2\nquit=1\n");
  }
  SECTION("nothing advertised: no capability and no gated attribute") {
    const patrol::Result<std::string> text = write(full, {});
    REQUIRE(text.has_value());
    CHECK(*text == "protocol=https\nhost=example.com:8443\npath=repo.git\nusername=alice\n"
                   "password=pw\noauth_refresh_token=rt\npassword_expiry_utc=1700000000\n"
                   "quit=1\n");
  }
  SECTION("advertised but not claimed by the reply: nothing gated") {
    Credential reply = full;
    reply.capabilities.clear();
    const patrol::Result<std::string> text = write(reply, {"authtype", "state"});
    REQUIRE(text.has_value());
    CHECK(text->find("capability[]") == std::string::npos);
    CHECK(text->find("authtype=") == std::string::npos);
    CHECK(text->find("state[]") == std::string::npos);
    CHECK(text->find("continue") == std::string::npos);
    CHECK(text->find("password=pw\n") != std::string::npos);
  }
  SECTION("an unknown capability of the reply is written only when advertised") {
    const Credential reply{.capabilities = {"future"}, .username = "u"};
    CHECK(write(reply, {"future"}).value() == "capability[]=future\nusername=u\n");
    CHECK(write(reply, {"authtype"}).value() == "username=u\n");
  }
  SECTION("a minimal reply") {
    const Credential reply{.username = "alice", .password = Secret("pw")};
    CHECK(write(reply, {}).value() == "username=alice\npassword=pw\n");
  }
  SECTION("nothing set writes nothing") {
    CHECK(write(Credential{}, {"authtype"}).value().empty());
  }
  SECTION("a non-positive expiry is not written") {
    CHECK(write(Credential{.password_expiry_utc = 0}, {}).value().empty());
    CHECK(write(Credential{.password_expiry_utc = -3}, {}).value().empty());
  }
  SECTION("false flags are not written") {
    const Credential reply{.capabilities = {"authtype", "state"}, .authtype = "Basic"};
    CHECK(write(reply, {"authtype", "state"}).value() ==
          "capability[]=authtype\ncapability[]=state\nauthtype=Basic\n");
  }
}

TEST_CASE("write: refuses CR, LF and NUL in every field", "[helper][protocol]") {
  using Setter = std::function<void(Credential&, const std::string&)>;
  const std::vector<std::pair<const char*, Setter>> fields{
      {"capability[]",
       [](Credential& c, const std::string& v) {
         c.capabilities = {"authtype", "state", v};
       }},
      {"authtype", [](Credential& c, const std::string& v) { c.authtype = v; }},
      {"credential", [](Credential& c, const std::string& v) { c.credential = Secret(v); }},
      {"protocol", [](Credential& c, const std::string& v) { c.protocol = v; }},
      {"host", [](Credential& c, const std::string& v) { c.host = v; }},
      {"path", [](Credential& c, const std::string& v) { c.path = v; }},
      {"username", [](Credential& c, const std::string& v) { c.username = v; }},
      {"password", [](Credential& c, const std::string& v) { c.password = Secret(v); }},
      {"oauth_refresh_token",
       [](Credential& c, const std::string& v) { c.oauth_refresh_token = Secret(v); }},
      {"state[]",
       [](Credential& c, const std::string& v) {
         c.state = {"ok", v};
       }},
  };
  const auto reply_with = [](const Setter& set, const std::string& value) {
    Credential reply{.capabilities = {"authtype", "state"},
                     .authtype = "Bearer",
                     .protocol = "https",
                     .host = "h",
                     .username = "u",
                     .password = Secret("pw")};
    set(reply, value);
    return reply;
  };
  for (const auto& [key, set] : fields) {
    INFO(key);
    const Credential clean = reply_with(set, marker);
    const patrol::Result<std::string> written = write(clean, clean.capabilities);
    REQUIRE(written.has_value());
    CHECK_THAT(*written, Catch::Matchers::Contains(std::string(key) + "=" + marker + "\n"));

    for (const std::string& bad : {"s3cr3t\r"s, "s3\ncr3t"s, "\0s3cr3t"s}) {
      INFO("holding byte " << static_cast<int>(bad[bad.find_first_of("\r\n\0"s)]));
      const Credential reply = reply_with(set, bad);
      const patrol::Result<std::string> text = write(reply, reply.capabilities);
      REQUIRE_FALSE(text.has_value());
      CHECK(text.error().code == Errc::invalid_input);
      CHECK_THAT(text.error().message, Catch::Matchers::Contains(key));
      CHECK(text.error().message.find(marker) == std::string::npos);
    }
  }
}

TEST_CASE("write: wwwauth[] is git's to send, never written", "[helper][protocol]") {
  const Credential reply{.username = "u", .wwwauth = {"Basic realm=x", "bad\nvalue"}};
  CHECK(write(reply, {}).value() == "username=u\n");
}

TEST_CASE("username= and password= given empty are told from absent ones", "[helper][protocol]") {
  struct Row {
    const char* name;
    std::string input;
    bool username_given;
    bool password_given;
  };
  const std::vector<Row> rows{
      {"both empty lines", "protocol=https\nhost=h\nusername=\npassword=\n", true, true},
      {"no lines", "protocol=https\nhost=h\n", false, false},
      {"empty username only", "username=\n", true, false},
      {"url with an empty user and password", "url=https://:@h\n", true, true},
      {"url with an empty user", "url=https://@h\n", true, false},
      {"url without user", "url=https://h\n", false, false},
      {"url resets what came before", "username=\nurl=https://h\n", false, false},
  };
  for (const Row& row : rows) {
    SECTION(row.name) {
      const patrol::Result<Credential> parsed = parse(row.input);
      REQUIRE(parsed.has_value());
      CHECK(parsed->username_given == row.username_given);
      CHECK(parsed->password_given == row.password_given);
      CHECK(parsed->username.empty());
      CHECK(parsed->password.empty());
    }
  }
}

TEST_CASE("write: a given empty username and password are written, as git's helpers do",
          "[helper][protocol]") {
  Credential reply{.username_given = true, .password_given = true};
  CHECK(write(reply, {}).value() == "username=\npassword=\n");
  reply.password = Secret("pw");
  CHECK(write(reply, {}).value() == "username=\npassword=pw\n");
  CHECK(write(Credential{.username = "u"}, {}).value() == "username=u\n");
}

TEST_CASE("round trip: parse(write(x)) == x", "[helper][protocol]") {
  const std::vector<Credential> credentials{
      Credential{.protocol = "https", .host = "example.com"},
      Credential{.protocol = "https",
                 .host = "[::1]:8443",
                 .path = "a b/c=d",
                 .username = "al@ice",
                 .password = Secret("p=w d%0a"),
                 .username_given = true,
                 .password_given = true,
                 .oauth_refresh_token = Secret("rt"),
                 .password_expiry_utc = 4102444800},
      Credential{.capabilities = {"authtype", "state"},
                 .authtype = "Bearer",
                 .credential = Secret("token"),
                 .ephemeral = true,
                 .protocol = "https",
                 .host = "gitlab.example.com",
                 .continue_ = true,
                 .state = {"patrol:x", "other:y"},
                 .quit = true},
  };
  for (const Credential& credential : credentials) {
    const patrol::Result<std::string> text = write(credential, credential.capabilities);
    REQUIRE(text.has_value());
    const patrol::Result<Credential> back = parse(*text);
    REQUIRE(back.has_value());
    CHECK(*back == credential);
  }
}
