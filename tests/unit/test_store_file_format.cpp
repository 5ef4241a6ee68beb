#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/random.hpp"
#include "store/file_crypto.hpp"
#include "store/file_format.hpp"

using patrol::Errc;
using patrol::Secret;
using patrol::store::Kind;
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
  Secret text = format::serialize_records(records);
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

TEST_CASE("file format: a damaged or truncated envelope is an error, never a crash") {
  Secret key;
  auto envelope = format::create(Secret("pw"), key);
  REQUIRE(envelope);
  const std::string text = format::to_text(*envelope);
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, text.size() / 2, text.size() - 3}) {
    auto parsed = format::parse(text.substr(0, cut));
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == Errc::store_failed);
    CHECK(parsed.error().message.find("damaged") != std::string::npos);
  }
  // A flipped byte inside the payload: the envelope parses, the payload refuses to open.
  format::Envelope changed = *envelope;
  changed.payload[crypto::nonce_bytes + 1] =
      static_cast<char>(changed.payload[crypto::nonce_bytes + 1] ^ 0x40);
  auto reparsed = format::parse(format::to_text(changed));
  REQUIRE(reparsed);
  auto opened = format::open_payload(*reparsed, key);
  REQUIRE_FALSE(opened);
  CHECK(opened.error().message.find("damaged") != std::string::npos);
  // A payload moved from another file (other key id) does not open either.
  Secret other_key;
  auto other = format::create(Secret("pw"), other_key);
  REQUIRE(other);
  other->payload = envelope->payload;
  CHECK_FALSE(format::open_payload(*other, key));
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
  Secret text = format::serialize_records(records);
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
  Secret key;
  auto envelope = format::create(Secret("pw"), key);
  REQUIRE(envelope);
  REQUIRE(format::seal_payload(*envelope, key, {full_record()}));
  const std::string text = format::to_text(*envelope);
  CHECK(text.find("\"version\": 2") != std::string::npos);
  REQUIRE(format::open_payload(*format::parse(text), key));

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
    auto opened = format::open_payload(*parsed, key);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().message.find("damaged") != std::string::npos);
  }

  // A version 2 file relabelled as version 1 (weaker binding) does not open either.
  auto downgraded = format::parse(with_number(text, "version", 1));
  REQUIRE(downgraded);
  CHECK_FALSE(format::open_payload(*downgraded, key));

  // A field the format does not name is refused rather than carried unauthenticated.
  std::string extra = text;
  extra.insert(1, "\"comment\": \"x\",");
  auto refused = format::parse(extra);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("comment") != std::string::npos);
  // A version from the future is not guessed at.
  auto future = format::parse(with_number(text, "version", 3));
  REQUIRE_FALSE(future);
  CHECK(future.error().code == Errc::unsupported);
}

TEST_CASE("file format: scrypt parameters below today's defaults are refused") {
  Secret key;
  auto envelope = format::create(Secret("pw"), key);
  REQUIRE(envelope);
  const std::string text = format::to_text(*envelope);
  for (const std::string& weak :
       {with_number(text, "n", 2), with_number(text, "n", 16384), with_number(text, "r", 1)}) {
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

TEST_CASE("file format: a version 1 file is read, and sealing it again makes version 2") {
  // Written by the version 1 build with the passphrase below: one PAT, one OAuth record.
  const std::string v1 = fixture("file_store_v1.enc");
  REQUIRE_FALSE(v1.empty());
  auto parsed = format::parse(v1);
  REQUIRE(parsed);
  CHECK(parsed->version == 1);
  auto key = format::unwrap_key(*parsed, Secret("correct horse battery staple"));
  REQUIRE(key);
  auto records = format::open_payload(*parsed, *key);
  REQUIRE(records);
  REQUIRE(records->size() == 2);
  CHECK((*records)[0].host == "git.example.com");
  CHECK((*records)[0].username == "alice");
  CHECK((*records)[0].secret == Secret("tok-v1"));
  CHECK((*records)[1].refresh_token == Secret("refresh-v1"));

  // Weakened, the version 1 file is refused too.
  CHECK_FALSE(format::parse(with_number(v1, "n", 2)));

  REQUIRE(format::seal_payload(*parsed, *key, *records));
  CHECK(parsed->version == 2);
  const std::string v2 = format::to_text(*parsed);
  CHECK(v2.find("\"version\": 2") != std::string::npos);
  auto reread = format::parse(v2);
  REQUIRE(reread);
  // The same passphrase and data key: the wrapped key is carried over as it was.
  auto again = format::unwrap_key(*reread, Secret("correct horse battery staple"));
  REQUIRE(again);
  CHECK(*again == *key);
  auto reopened = format::open_payload(*reread, *again);
  REQUIRE(reopened);
  CHECK(reopened->size() == 2);
}
