#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "store/file_crypto.hpp"
#include "store/file_format.hpp"

using patrol::Errc;
using patrol::Secret;
using patrol::store::Kind;
using patrol::store::Record;
namespace crypto = patrol::store::file_crypto;
namespace format = patrol::store::file_format;

namespace {

// Cheap scrypt for tests: the cost is a parameter stored in the file, not a constant.
const crypto::ScryptParams fast{1024, 8, 1};

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
  return r;
}

} // namespace

TEST_CASE("file crypto: seal and open round trip, refusing a wrong key or changed bytes") {
  Secret key(*crypto::random_bytes(crypto::key_bytes));
  auto sealed = crypto::seal(key, "hello", "aad");
  REQUIRE(sealed);
  CHECK(sealed->size() == crypto::nonce_bytes + 5 + crypto::tag_bytes);
  CHECK(sealed->find("hello") == std::string::npos);
  auto opened = crypto::open(key, *sealed, "aad");
  REQUIRE(opened);
  CHECK(opened->view() == "hello");

  CHECK_FALSE(crypto::open(key, *sealed, "other aad"));
  Secret other(*crypto::random_bytes(crypto::key_bytes));
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
  CHECK_FALSE(crypto::acceptable({1000, 8, 1}));       // not a power of two
  CHECK_FALSE(crypto::acceptable({1u << 24, 8, 1}));   // gigabytes
}

TEST_CASE("file crypto: base64 round trip") {
  for (const std::string& text : std::vector<std::string>{"", "f", "fo", "foo", "foob", std::string("\0\xff\x10", 3)}) {
    auto decoded = crypto::base64_decode(crypto::base64_encode(text));
    REQUIRE(decoded);
    CHECK(*decoded == text);
  }
  CHECK_FALSE(crypto::base64_decode("abc"));
  CHECK_FALSE(crypto::base64_decode("!!!!"));
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
  CHECK((*parsed)[1].kind == Kind::password);
  CHECK_FALSE((*parsed)[1].expires_at);
  CHECK((*parsed)[1].refresh_token.empty());

  CHECK_FALSE(format::parse_records("{}"));
  CHECK_FALSE(format::parse_records("[{\"host\":\"h\"}]"));
  CHECK_FALSE(format::parse_records("[{\"protocol\":\"https\",\"host\":\"h\",\"sec"));
}

TEST_CASE("file format: an envelope opens with its passphrase and only with it") {
  Secret key;
  auto envelope = format::create(Secret("correct horse"), key, fast);
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
  auto envelope = format::create(Secret("pw"), key, fast);
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
  changed.payload[crypto::nonce_bytes + 1] = static_cast<char>(changed.payload[crypto::nonce_bytes + 1] ^ 0x40);
  auto reparsed = format::parse(format::to_text(changed));
  REQUIRE(reparsed);
  auto opened = format::open_payload(*reparsed, key);
  REQUIRE_FALSE(opened);
  CHECK(opened.error().message.find("damaged") != std::string::npos);
  // A payload moved from another file (other key id) does not open either.
  Secret other_key;
  auto other = format::create(Secret("pw"), other_key, fast);
  REQUIRE(other);
  other->payload = envelope->payload;
  CHECK_FALSE(format::open_payload(*other, key));
}
