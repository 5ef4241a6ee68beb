#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "common/random.hpp"
#include "store/file_crypto.hpp"
#include "store/file_format.hpp"
#include "store/match.hpp"

using patrol::Errc;
using patrol::Secret;
using patrol::store::Kind;
using patrol::store::origin_key;
using patrol::store::Query;
using patrol::store::Record;
namespace crypto = patrol::store::file_crypto;
namespace format = patrol::store::file_format;

namespace {

Record full_record() {
  Record r;
  r.protocol = "https";
  r.host = "gitlab.example.com:8443";
  r.path = "group/repo.git";
  r.username = "alice";
  r.secret = Secret("glpat-secret\"with\\quotes");
  r.kind = Kind::oauth;
  r.expires_at = 1767225600;
  r.refresh_token = Secret("refresh-me");
  r.scopes = {"api", "write_repository"};
  r.token_id = "42";
  r.token_name = "laptop";
  r.checked_at = 1760000000;
  r.warned_at = 1760086400;
  r.state = patrol::store::State::expired;
  return r;
}

} // namespace

TEST_CASE("file crypto: seal and open round trip, refusing a wrong key or changed bytes") {
  Secret key(*patrol::random_bytes(crypto::key_bytes));
  auto sealed = crypto::seal(key, "hello", "aad");
  REQUIRE(sealed);
  CHECK(sealed->size() == crypto::nonce_bytes + 5 + crypto::tag_bytes);
  CHECK(sealed->find("hello") == std::string::npos);
  auto opened = crypto::open(key, *sealed, "aad");
  REQUIRE(opened);
  CHECK(opened->view() == "hello");

  CHECK_FALSE(crypto::open(key, *sealed, "other aad"));
  Secret other(*patrol::random_bytes(crypto::key_bytes));
  CHECK_FALSE(crypto::open(other, *sealed, "aad"));
  std::string tampered = *sealed;
  tampered[crypto::nonce_bytes] = static_cast<char>(tampered[crypto::nonce_bytes] ^ 1);
  CHECK_FALSE(crypto::open(key, tampered, "aad"));
  CHECK_FALSE(crypto::open(key, sealed->substr(0, sealed->size() - 1), "aad"));
  // Each seal draws a fresh nonce.
  CHECK(*crypto::seal(key, "hello", "aad") != *sealed);
}

TEST_CASE("file crypto: scrypt matches RFC 7914's test vector") {
  // RFC 7914 section 12: P="password", S="NaCl", N=1024, r=8, p=16, first 32 bytes.
  auto key = crypto::derive_key(Secret("password"), "NaCl", {1024, 8, 16});
  REQUIRE(key);
  const std::string expected_hex =
      "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162";
  std::string hex;
  for (char c : key->view()) {
    static const char* digits = "0123456789abcdef";
    hex += digits[(static_cast<unsigned char>(c) >> 4) & 0xf];
    hex += digits[static_cast<unsigned char>(c) & 0xf];
  }
  CHECK(hex == expected_hex);
  // libgcrypt's scrypt has r fixed at 8: another r is refused, not derived wrongly.
  CHECK_FALSE(crypto::derive_key(Secret("password"), "NaCl", {1024, 16, 1}));
  CHECK_FALSE(crypto::acceptable({1000, 8, 1}));     // not a power of two
  CHECK_FALSE(crypto::acceptable({1u << 24, 8, 1})); // gigabytes
}

TEST_CASE("file crypto: base64 round trip") {
  for (const std::string& text :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\0\xff\x10", 3)}) {
    auto decoded = crypto::base64_decode(crypto::base64_encode(text));
    REQUIRE(decoded);
    CHECK(*decoded == text);
  }
  CHECK_FALSE(crypto::base64_decode("abc"));
  CHECK_FALSE(crypto::base64_decode("!!!!"));
}

TEST_CASE("file crypto: base64 is RFC 4648's, padding only at the end") {
  const std::vector<std::pair<std::string, std::string>> vectors{{"", ""},
                                                                 {"f", "Zg=="},
                                                                 {"fo", "Zm8="},
                                                                 {"foo", "Zm9v"},
                                                                 {"foob", "Zm9vYg=="},
                                                                 {"fooba", "Zm9vYmE="},
                                                                 {"foobar", "Zm9vYmFy"},
                                                                 {"\xfb\xff", "+/8="}};
  for (const auto& [bytes, text] : vectors) {
    CHECK(crypto::base64_encode(bytes) == text);
    CHECK(crypto::base64_decode(text) == bytes);
  }
  CHECK_FALSE(crypto::base64_decode("Zg=a"));
  CHECK_FALSE(crypto::base64_decode("Zg==Zg=="));
  CHECK_FALSE(crypto::base64_decode("Z==="));
  CHECK_FALSE(crypto::base64_decode("Zm9 "));
}

TEST_CASE("file format: records keep every field through serialisation") {
  std::vector<Record> records{full_record(), Record{}};
  records[1].protocol = "http";
  records[1].host = "h";
  records[1].secret = Secret("s");
  // A version 3 line holds one record; versions 1 and 2 held the array of them.
  Secret text("[" + std::string(format::serialize_record(records[0]).view()) + "," +
              std::string(format::serialize_record(records[1]).view()) + "]");
  auto parsed = format::parse_records(text.view());
  REQUIRE(parsed);
  REQUIRE(parsed->size() == 2);
  const Record& r = (*parsed)[0];
  const Record expected = full_record();
  CHECK(r.protocol == expected.protocol);
  CHECK(r.host == expected.host);
  CHECK(r.path == expected.path);
  CHECK(r.username == expected.username);
  CHECK(r.secret == expected.secret);
  CHECK(r.kind == Kind::oauth);
  CHECK(r.expires_at == expected.expires_at);
  CHECK(r.refresh_token == expected.refresh_token);
  CHECK(r.scopes == expected.scopes);
  CHECK(r.token_id == "42");
  CHECK(r.token_name == "laptop");
  CHECK(r.checked_at == expected.checked_at);
  CHECK(r.warned_at == expected.warned_at);
  CHECK(r.state == patrol::store::State::expired);
  CHECK((*parsed)[1].state == patrol::store::State::active);
  // Written for the expired record only: absent means active, as in older files.
  CHECK(text.view().find("\"state\":\"expired\"") != std::string_view::npos);
  CHECK(text.view().find("\"state\"") == text.view().rfind("\"state\""));
  CHECK((*parsed)[1].kind == Kind::password);
  CHECK_FALSE((*parsed)[1].expires_at);
  CHECK((*parsed)[1].refresh_token.empty());

  auto one = format::parse_record(format::serialize_record(full_record()).view());
  REQUIRE(one);
  CHECK(one->secret == expected.secret);
  CHECK(one->scopes == expected.scopes);
  CHECK_FALSE(format::parse_record("[]"));
  CHECK_FALSE(format::parse_record("{\"host\":\"h\"}"));
  CHECK_FALSE(format::parse_records("{}"));
  CHECK_FALSE(format::parse_records("[{\"host\":\"h\"}]"));
  CHECK_FALSE(format::parse_records("[{\"protocol\":\"https\",\"host\":\"h\",\"sec"));
}

TEST_CASE("file format: an envelope opens with its passphrase and only with it") {
  Secret key;
  auto envelope = format::create(Secret("correct horse"), key);
  REQUIRE(envelope);
  REQUIRE(format::seal_payload(*envelope, key, {full_record()}));
  const std::string text = format::to_text(*envelope);
  CHECK(text.find("glpat-secret") == std::string::npos);
  CHECK(text.find("alice") == std::string::npos);

  auto parsed = format::parse(text);
  REQUIRE(parsed);
  auto unwrapped = format::unwrap_key(*parsed, Secret("correct horse"));
  REQUIRE(unwrapped);
  CHECK(*unwrapped == key);
  auto records = format::open_payload(*parsed, *unwrapped);
  REQUIRE(records);
  REQUIRE(records->size() == 1);
  CHECK((*records)[0].secret == Secret("glpat-secret\"with\\quotes"));

  auto wrong = format::unwrap_key(*parsed, Secret("Correct horse"));
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == Errc::store_locked);
  CHECK(wrong.error().message.find("wrong passphrase") != std::string::npos);

  SECTION("a new passphrase re-wraps the same data key") {
    REQUIRE(format::rewrap_key(*parsed, key, Secret("battery staple")));
    CHECK_FALSE(format::unwrap_key(*parsed, Secret("correct horse")));
    auto again = format::unwrap_key(*parsed, Secret("battery staple"));
    REQUIRE(again);
    CHECK(format::open_payload(*parsed, *again));
  }
}

TEST_CASE("file format: a damaged or truncated file is an error, never a crash") {
  Secret key;
  auto envelope = format::create(Secret("pw"), key);
  REQUIRE(envelope);
  REQUIRE(format::seal_payload(*envelope, key, {full_record()}));
  const std::string text = format::to_text(*envelope);
  const std::size_t header_end = text.find('\n');
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, header_end / 2}) {
    auto parsed = format::parse(text.substr(0, cut));
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == Errc::store_failed);
    CHECK(parsed.error().message.find("damaged") != std::string::npos);
  }
  // Cut inside the record line: the header parses, the cut line is refused.
  auto cut = format::parse(text.substr(0, text.size() - 3));
  REQUIRE(cut);
  auto opened = format::open_payload(*cut, key);
  REQUIRE_FALSE(opened);
  CHECK(opened.error().message.find("damaged: its last line is cut short") != std::string::npos);
  // Records moved from another file (other key) do not open either.
  Secret other_key;
  auto other = format::create(Secret("pw"), other_key);
  REQUIRE(other);
  other->lines = envelope->lines;
  other->record_count = envelope->record_count;
  CHECK_FALSE(format::open_payload(*other, key));
  CHECK_FALSE(format::open_payload(*other, other_key));
}

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(PATROL_TEST_FIXTURES) + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The envelope after one JSON number field is set to value, as an editor would.
std::string with_number(std::string text, const std::string& field, std::uint64_t value) {
  const std::string key = "\"" + field + "\": ";
  const std::size_t at = text.find(key);
  REQUIRE(at != std::string::npos);
  const std::size_t start = at + key.size();
  const std::size_t end = text.find_first_of(",\n}", start);
  return text.replace(start, end - start, std::to_string(value));
}

// The version 3 file after one field of its header line is set to value, as an editor would.
std::string with_field(std::string text, const std::string& field, const std::string& value) {
  const std::string key = " " + field + "=";
  const std::size_t at = text.find(key);
  REQUIRE(at != std::string::npos);
  REQUIRE(at < text.find('\n'));
  const std::size_t start = at + key.size();
  const std::size_t end = text.find_first_of(" \n", start);
  return text.replace(start, end - start, value);
}

// The file's lines: the header first, then one per record.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) {
    text += line + "\n";
  }
  return text;
}

Record host_record(const std::string& host, const std::string& username) {
  Record r;
  r.protocol = "https";
  r.host = host;
  r.username = username;
  r.secret = Secret("tok-" + host + "-" + username);
  return r;
}

Record bytes_record(std::string username) {
  Record r;
  r.protocol = "https";
  r.host = "h\xc3\xa9.example";
  r.path = std::string("p\x80th", 4);
  r.username = std::move(username);
  r.secret = Secret("p\xe9ss\xff");
  r.refresh_token = Secret(std::string("r\0\xfe", 3));
  r.scopes = {"api", "\xff"};
  r.token_id = "\xc0\xaf";       // an overlong '/': not UTF-8
  r.token_name = "\xed\xa0\x80"; // a surrogate: not UTF-8
  return r;
}

} // namespace

TEST_CASE("file format: every field keeps its bytes, UTF-8 as JSON text, others in base64") {
  std::vector<Record> records{bytes_record("u\xfe"), bytes_record("u\xff"),
                              bytes_record("\xc3\xbc\xf0\x9f\x94\x91")};
  Secret text("[" + std::string(format::serialize_record(records[0]).view()) + "," +
              std::string(format::serialize_record(records[1]).view()) + "," +
              std::string(format::serialize_record(records[2]).view()) + "]");
  // Readable where it can be: valid UTF-8 stays a plain JSON string.
  CHECK(text.view().find("\"username\":\"\xc3\xbc\xf0\x9f\x94\x91\"") != std::string::npos);
  CHECK(text.view().find("\"host\":\"h\xc3\xa9.example\"") != std::string::npos);
  CHECK(text.view().find("\"secret\":{\"base64\":\"cOlzc/8=\"}") != std::string::npos);
  CHECK(text.view().find("\xef\xbf\xbd") == std::string::npos); // no U+FFFD anywhere
  auto parsed = format::parse_records(text.view());
  REQUIRE(parsed);
  REQUIRE(parsed->size() == 3);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& got = (*parsed)[i];
    CHECK(got.protocol == records[i].protocol);
    CHECK(got.host == records[i].host);
    CHECK(got.path == records[i].path);
    CHECK(got.username == records[i].username);
    CHECK(got.secret == records[i].secret);
    CHECK(got.refresh_token == records[i].refresh_token);
    CHECK(got.scopes == records[i].scopes);
    CHECK(got.token_id == records[i].token_id);
    CHECK(got.token_name == records[i].token_name);
  }
  // u\xfe and u\xff stay two different users.
  CHECK((*parsed)[0].username != (*parsed)[1].username);
  // A tagged value that is not base64, or an object of another shape, is damage.
  CHECK_FALSE(
      format::parse_records(R"([{"protocol":"https","host":"h","secret":{"base64":"!!"}}])"));
  CHECK_FALSE(format::parse_records(R"([{"protocol":"https","host":"h","secret":{"hex":"00"}}])"));
}

TEST_CASE("file format: version 2 authenticates every byte of the header") {
  // Written by the version 2 build; its key comes from the passphrase once.
  const std::string text = fixture("file_store_v2.enc");
  REQUIRE(text.find("\"version\": 2") != std::string::npos);
  auto envelope = format::parse(text);
  REQUIRE(envelope);
  auto key = format::unwrap_key(*envelope, Secret("correct horse battery staple"));
  REQUIRE(key);
  REQUIRE(format::open_payload(*envelope, *key));

  // Each change parses (the values are in range) but the payload no longer opens, even
  // with the right data key at hand, as a process holding the cached key has.
  std::vector<std::string> changed{with_number(text, "n", 65536), with_number(text, "r", 9),
                                   with_number(text, "p", 2)};
  for (const char* field : {"salt", "key_id", "wrapped_key"}) {
    format::Envelope other = *envelope;
    std::string& bytes = std::string_view(field) == "salt"     ? other.salt
                         : std::string_view(field) == "key_id" ? other.key_id
                                                               : other.wrapped_key;
    bytes[0] = static_cast<char>(bytes[0] ^ 1);
    changed.push_back(format::to_text(other));
  }
  for (const std::string& each : changed) {
    auto parsed = format::parse(each);
    REQUIRE(parsed);
    auto opened = format::open_payload(*parsed, *key);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().message.find("damaged") != std::string::npos);
  }

  // A version 2 file relabelled as version 1 (weaker binding) does not open either.
  auto downgraded = format::parse(with_number(text, "version", 1));
  REQUIRE(downgraded);
  CHECK_FALSE(format::open_payload(*downgraded, *key));

  // A field the format does not name is refused rather than carried unauthenticated.
  std::string extra = text;
  extra.insert(1, "\"comment\": \"x\",");
  auto refused = format::parse(extra);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("comment") != std::string::npos);
  // Version 3 was never a JSON envelope, and a version from the future is not guessed at.
  auto future = format::parse(with_number(text, "version", 3));
  REQUIRE_FALSE(future);
  CHECK(future.error().code == Errc::unsupported);
}

TEST_CASE("file format: version 3 is a header line and one line per record, tags hiding hosts") {
  Secret key;
  auto envelope = format::create(Secret("pw"), key);
  REQUIRE(envelope);
  const std::vector<Record> records{full_record(), host_record("a.example", "alice"),
                                    host_record("a.example", "bob"), bytes_record("u\xfe")};
  REQUIRE(format::seal_payload(*envelope, key, records));
  CHECK(envelope->version == 3);
  const std::string text = format::to_text(*envelope);
  const std::vector<std::string> lines = lines_of(text);
  REQUIRE(lines.size() == 1 + records.size());
  CHECK(lines[0].starts_with("git-credential-patrol-file version=3 kdf=scrypt n=32768 r=8 p=1 "
                             "salt="));
  CHECK(lines[0].find(" records=4 mac=") != std::string::npos);
  for (const char* clear : {"a.example", "gitlab", "alice", "tok-", "https"}) {
    CHECK(text.find(clear) == std::string::npos);
  }
  // One origin, one tag; another origin, another tag.
  const auto tag = [&](std::size_t line) { return lines[line].substr(0, lines[line].find(' ')); };
  CHECK(tag(2) == tag(3));
  CHECK(tag(1) != tag(2));
  CHECK(tag(1).size() == 44);

  auto parsed = format::parse(text);
  REQUIRE(parsed);
  CHECK(format::to_text(*parsed) == text);
  CHECK(format::header_text(*parsed).find("\nwrite_id=") != std::string::npos);
  auto opened = format::open_payload(*parsed, key);
  REQUIRE(opened);
  REQUIRE(opened->size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK((*opened)[i].host == records[i].host);
    CHECK((*opened)[i].username == records[i].username);
    CHECK((*opened)[i].secret == records[i].secret);
  }
  CHECK((*opened)[0].refresh_token == full_record().refresh_token);

  // Every write draws a new write id: the same records get other tags and nonces.
  format::Envelope again = *parsed;
  REQUIRE(format::seal_payload(again, key, records));
  CHECK(lines_of(format::to_text(again))[2].substr(0, 44) != tag(2));

  // A new passphrase seals the records again under the new header.
  REQUIRE(format::rewrap_key(*parsed, key, Secret("new pw")));
  CHECK_FALSE(format::unwrap_key(*parsed, Secret("pw")));
  CHECK(*format::unwrap_key(*parsed, Secret("new pw")) == key);
  CHECK(format::open_payload(*parsed, key)->size() == records.size());
}

TEST_CASE("file format: a get among 1,000 records decrypts only the lines of its origin") {
  Secret key;
  auto envelope = format::create(Secret("pw"), key);
  REQUIRE(envelope);
  std::vector<Record> records;
  for (int i = 0; i < 1000; ++i) {
    char host[32];
    std::snprintf(host, sizeof host, "host-%04d.bench.example", i);
    records.push_back(host_record(host, "user"));
  }
  records.push_back(host_record("host-0500.bench.example:443", "second")); // the same origin
  REQUIRE(format::seal_payload(*envelope, key, records));
  auto parsed = format::parse(format::to_text(*envelope));
  REQUIRE(parsed);

  for (const char* asked : {"host-0500.bench.example", "host-0500.bench.example:0443"}) {
    Query query;
    query.protocol = "https";
    query.host = asked;
    auto filed = format::open_filed_under(*parsed, key, *origin_key(query));
    REQUIRE(filed);
    CHECK(filed->opened == std::vector<std::size_t>{500, 1000});
    REQUIRE(filed->records.size() == 2);
    CHECK(filed->records[0].secret == Secret("tok-host-0500.bench.example-user"));
    CHECK(filed->records[1].username == "second");
  }
  Query other;
  other.protocol = "http"; // another protocol is another origin
  other.host = "host-0500.bench.example";
  auto none = format::open_filed_under(*parsed, key, *origin_key(other));
  REQUIRE(none);
  CHECK(none->opened.empty());
  CHECK(none->records.empty());
  // The lines of other origins are not even decoded: garbage there goes unseen by a get,
  // and is found by whatever opens every record.
  std::vector<std::string> lines = lines_of(format::to_text(*parsed));
  lines[1] = lines[1].substr(0, 45) + "!!!!";
  auto garbled = format::parse(joined(lines));
  REQUIRE(garbled);
  auto filed = format::open_filed_under(*garbled, key, origin_key(records[500]));
  REQUIRE(filed);
  CHECK(filed->records.size() == 2);
  auto all = format::open_payload(*garbled, key);
  REQUIRE_FALSE(all);
  CHECK(all.error().message.find("damaged: its line 2 is not valid base64") != std::string::npos);
}

TEST_CASE("file format: a version 3 record moved to another tag, line or file does not open") {
  Secret key;
  auto envelope = format::create(Secret("pw"), key);
  REQUIRE(envelope);
  const std::vector<Record> records{host_record("a.example", "alice"),
                                    host_record("b.example", "bob"),
                                    host_record("c.example", "carol")};
  REQUIRE(format::seal_payload(*envelope, key, records));
  const std::string text = format::to_text(*envelope);
  const std::vector<std::string> lines = lines_of(text);
  const auto tag = [](const std::string& line) { return line.substr(0, 44); };
  const auto sealed = [](const std::string& line) { return line.substr(44); };
  const auto refused = [&](const std::string& changed, const Record& asked) {
    auto parsed = format::parse(changed);
    REQUIRE(parsed);
    auto filed = format::open_filed_under(*parsed, key, origin_key(asked));
    REQUIRE_FALSE(filed);
    CHECK(filed.error().code == Errc::store_failed);
    CHECK(filed.error().message.find("damaged") != std::string::npos);
    CHECK_FALSE(format::open_payload(*parsed, key));
  };

  SECTION("alice's record filed under bob's tag") {
    std::vector<std::string> changed = lines;
    changed[1] = tag(lines[2]) + sealed(lines[1]);
    refused(joined(changed), records[1]);
  }
  SECTION("two lines swapped, each with its own tag") {
    std::vector<std::string> changed = lines;
    std::swap(changed[1], changed[2]);
    refused(joined(changed), records[0]);
  }
  SECTION("a record from an earlier write of the same file, under this write's tag") {
    format::Envelope later = *envelope;
    REQUIRE(format::seal_payload(later, key, records));
    std::vector<std::string> changed = lines_of(format::to_text(later));
    changed[1] = tag(changed[1]) + sealed(lines[1]);
    refused(joined(changed), records[0]);
  }
  SECTION("a record from another file with the same records") {
    Secret other_key;
    auto other = format::create(Secret("pw"), other_key);
    REQUIRE(other);
    REQUIRE(format::seal_payload(*other, other_key, records));
    std::vector<std::string> changed = lines;
    changed[1] = tag(lines[1]) + sealed(lines_of(format::to_text(*other))[1]);
    refused(joined(changed), records[0]);
  }
}

TEST_CASE("file format: version 3 refuses a changed header, a dropped line or a bad one") {
  Secret key;
  auto envelope = format::create(Secret("pw"), key);
  REQUIRE(envelope);
  const std::vector<Record> records{host_record("a.example", "alice"),
                                    host_record("b.example", "bob")};
  REQUIRE(format::seal_payload(*envelope, key, records));
  const std::string text = format::to_text(*envelope);
  const std::vector<std::string> lines = lines_of(text);
  const auto damaged = [&](const std::string& changed, const std::string& said) {
    auto parsed = format::parse(changed);
    if (!parsed) {
      CHECK(parsed.error().message.find(said) != std::string::npos);
      return;
    }
    // Even a get whose origin has no line here refuses it: the header is checked first.
    for (const Record& asked : {records[0], host_record("none.example", "x")}) {
      auto filed = format::open_filed_under(*parsed, key, origin_key(asked));
      REQUIRE_FALSE(filed);
      CHECK(filed.error().message.find("damaged") != std::string::npos);
      CHECK(filed.error().message.find(said) != std::string::npos);
    }
    CHECK_FALSE(format::open_payload(*parsed, key));
  };

  // Every field of the header, with the data key at hand, as a process with the cached key.
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, std::string>>{{"n", "65536"}, {"r", "9"}, {"p", "2"}}) {
    damaged(with_field(text, field, value), "header does not match");
  }
  for (const char* field : {"salt", "key_id", "wrapped_key", "write_id", "mac"}) {
    format::Envelope other = *envelope;
    std::string& bytes = std::string_view(field) == "salt"          ? other.salt
                         : std::string_view(field) == "key_id"      ? other.key_id
                         : std::string_view(field) == "wrapped_key" ? other.wrapped_key
                         : std::string_view(field) == "write_id"    ? other.write_id
                                                                    : other.mac;
    bytes[0] = static_cast<char>(bytes[0] ^ 1);
    damaged(format::to_text(other), "header does not match");
  }
  // A dropped line: the count says so, and a count changed to match breaks the header.
  damaged(joined({lines[0], lines[2]}), "1 credential lines where its header says 2");
  damaged(with_field(joined({lines[0], lines[2]}), "records", "1"), "header does not match");
  damaged(text + lines[1] + "\n", "3 credential lines where its header says 2");
  damaged(joined({lines[0], lines[1], "", lines[2]}), "line 3 is not a tag and a sealed");
  damaged(joined({lines[0], lines[1], lines[2].substr(0, 44)}), "line 3 is not a tag");
  damaged(text.substr(0, text.size() - 1), "its last line is cut short");
  damaged(with_field(text, "kdf", "argon2"), "unknown key derivation");
  damaged(with_field(text, "records", "x"), "header line is missing or not valid");
  damaged(with_field(text, "version", "2"), "never written in this form");
  std::string extra = text;
  extra.insert(extra.find(" mac="), " comment=x");
  damaged(extra, "header line is not the one this version writes");

  // A record that does not open: one bit of its sealed bytes changed.
  std::vector<std::string> flipped = lines;
  std::string bytes = *crypto::base64_decode(flipped[1].substr(45));
  bytes[crypto::nonce_bytes + 1] = static_cast<char>(bytes[crypto::nonce_bytes + 1] ^ 0x40);
  flipped[1] = flipped[1].substr(0, 45) + crypto::base64_encode(bytes);
  auto parsed = format::parse(joined(flipped));
  REQUIRE(parsed);
  auto filed = format::open_filed_under(*parsed, key, origin_key(records[0]));
  REQUIRE_FALSE(filed);
  CHECK(filed.error().message.find("its line 2 does not decrypt") != std::string::npos);
  CHECK(format::open_filed_under(*parsed, key, origin_key(records[1]))); // another origin's

  // A version from the future is not guessed at.
  auto future = format::parse(with_field(text, "version", "4"));
  REQUIRE_FALSE(future);
  CHECK(future.error().code == Errc::unsupported);
}

TEST_CASE("file format: scrypt parameters below today's defaults are refused") {
  Secret key;
  auto envelope = format::create(Secret("pw"), key);
  REQUIRE(envelope);
  const std::string text = format::to_text(*envelope);
  const std::string v2 = fixture("file_store_v2.enc");
  for (const std::string& weak : {with_field(text, "n", "2"), with_field(text, "n", "16384"),
                                  with_field(text, "r", "1"), with_number(v2, "n", 16384)}) {
    auto parsed = format::parse(weak);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == Errc::store_failed);
    CHECK(parsed.error().message.find("weaker than n=32768, r=8, p=1") != std::string::npos);
  }
  CHECK_FALSE(crypto::strong_enough({1024, 8, 1}));
  CHECK(crypto::strong_enough({}));
  Secret unused;
  CHECK_FALSE(format::create(Secret("pw"), unused, {1024, 8, 1}));
}

TEST_CASE("file format: version 1 and 2 files are read, and sealing them again makes version 3") {
  // Written by the version 1 and 2 builds with the passphrase below: one PAT, one OAuth
  // record each.
  const auto [name, version, suffix] = GENERATE(std::make_tuple("file_store_v1.enc", 1, "v1"),
                                                std::make_tuple("file_store_v2.enc", 2, "v2"));
  const std::string old = fixture(name);
  REQUIRE_FALSE(old.empty());
  auto parsed = format::parse(old);
  REQUIRE(parsed);
  CHECK(parsed->version == version);
  auto key = format::unwrap_key(*parsed, Secret("correct horse battery staple"));
  REQUIRE(key);
  auto records = format::open_payload(*parsed, *key);
  REQUIRE(records);
  REQUIRE(records->size() == 2);
  CHECK((*records)[0].host == "git.example.com");
  CHECK((*records)[0].username == "alice");
  CHECK((*records)[0].secret == Secret(std::string("tok-") + suffix));
  CHECK((*records)[1].refresh_token == Secret(std::string("refresh-") + suffix));
  // Versions 1 and 2 cannot be opened in parts: a get is given every record to match.
  auto filed = format::open_filed_under(*parsed, *key, origin_key((*records)[0]));
  REQUIRE(filed);
  CHECK(filed->records.size() == 2);
  CHECK(filed->opened.empty());

  // Weakened, the old file is refused too.
  CHECK_FALSE(format::parse(with_number(old, "n", 2)));

  REQUIRE(format::seal_payload(*parsed, *key, *records));
  CHECK(parsed->version == 3);
  const std::string v3 = format::to_text(*parsed);
  CHECK(v3.starts_with("git-credential-patrol-file version=3 "));
  auto reread = format::parse(v3);
  REQUIRE(reread);
  // The same passphrase and data key: the wrapped key is carried over as it was.
  auto again = format::unwrap_key(*reread, Secret("correct horse battery staple"));
  REQUIRE(again);
  CHECK(*again == *key);
  CHECK(reread->key_id == format::parse(old)->key_id);
  auto reopened = format::open_payload(*reread, *again);
  REQUIRE(reopened);
  REQUIRE(reopened->size() == 2);
  CHECK((*reopened)[1].secret == Secret(std::string("access-") + suffix));
  auto one = format::open_filed_under(*reread, *again, origin_key((*records)[1]));
  REQUIRE(one);
  CHECK(one->opened == std::vector<std::size_t>{1});
}
