#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include <libsecret/secret.h>

#include "common/hkdf.hpp"
#include "common/random.hpp"
#include "store/crypto_library.hpp"
#include "store/secret_session.hpp"

using patrol::Errc;
using patrol::Secret;
using patrol::store::aes128_cbc_decrypt;
using patrol::store::CryptoLibrary;
using patrol::store::EncryptedSecret;
using patrol::store::pkcs7_unpadded_length;
using patrol::store::SecretSession;

namespace {

// RFC 2409 6.2's prime, written out again here: a slip in the module's copy then fails.
constexpr const char* oakley_group_2 = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
                                       "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
                                       "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
                                       "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
                                       "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
                                       "FFFFFFFFFFFFFFFF";

std::string from_hex(std::string_view hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return bytes;
}

const CryptoLibrary& gcrypt() {
  auto loaded = patrol::store::crypto_library();
  REQUIRE(loaded);
  return **loaded;
}

// The prime with its last hex digits replaced: p - 1, p + 1 and the like, written out.
std::string prime_with_tail(std::string_view tail) {
  std::string hex = oakley_group_2;
  hex.replace(hex.size() - tail.size(), tail.size(), tail);
  return from_hex(hex);
}

struct Mpi {
  gcry_mpi_t value = nullptr;
  Mpi() = default;
  Mpi(const Mpi&) = delete;
  Mpi& operator=(const Mpi&) = delete;
  ~Mpi() { gcrypt().mpi_release(value); }
};

void scan(Mpi& number, std::string_view bytes) {
  REQUIRE(gcrypt().mpi_scan(&number.value, GCRYMPI_FMT_USG, bytes.data(), bytes.size(), nullptr) ==
          0);
}

// number as width big-endian bytes, zeros on the left.
std::string print(const Mpi& number, std::size_t width) {
  std::string bytes(width, '\0');
  std::size_t length = 0;
  REQUIRE(gcrypt().mpi_print(GCRYMPI_FMT_USG, nullptr, 0, &length, number.value) == 0);
  REQUIRE(length <= width);
  REQUIRE(gcrypt().mpi_print(GCRYMPI_FMT_USG,
                             reinterpret_cast<unsigned char*>(bytes.data()) + width - length,
                             length, &length, number.value) == 0);
  return bytes;
}

// The service's half of the agreement, done here with libgcrypt's numbers directly, as
// gnome-keyring does it: its public key for derive() and the AES key it ends up with.
struct ServiceHalf {
  std::string public_key;
  Secret aes_key;
};

ServiceHalf service_half(const SecretSession& client) {
  const CryptoLibrary& g = gcrypt();
  Mpi prime;
  REQUIRE(g.mpi_scan(&prime.value, GCRYMPI_FMT_HEX, oakley_group_2, 0, nullptr) == 0);
  Mpi generator;
  scan(generator, "\x02");
  auto drawn = patrol::random_bytes(64);
  REQUIRE(drawn);
  Mpi exponent;
  scan(exponent, *drawn);
  Mpi public_number;
  public_number.value = g.mpi_new(1024);
  g.mpi_powm(public_number.value, generator.value, exponent.value, prime.value);
  Mpi client_number;
  scan(client_number, client.public_key());
  Mpi shared;
  shared.value = g.mpi_new(1024);
  g.mpi_powm(shared.value, client_number.value, exponent.value, prime.value);
  return {print(public_number, 128), patrol::hkdf_sha256(print(shared, 128), {}, {}, 16)};
}

// plaintext encrypted with libgcrypt's AES-128-CBC as it stands (the caller pads it).
std::string cbc_encrypt(const Secret& key, std::string_view iv, std::string plaintext) {
  const CryptoLibrary& g = gcrypt();
  gcry_cipher_hd_t cipher = nullptr;
  REQUIRE(g.cipher_open(&cipher, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, 0) == 0);
  REQUIRE(g.cipher_setkey(cipher, key.view().data(), key.view().size()) == 0);
  REQUIRE(g.cipher_setiv(cipher, iv.data(), iv.size()) == 0);
  REQUIRE(g.cipher_encrypt(cipher, plaintext.data(), plaintext.size(), nullptr, 0) == 0);
  g.cipher_close(cipher);
  return plaintext;
}

std::string pkcs7(std::string plaintext) {
  const std::size_t pad = 16 - plaintext.size() % 16;
  return plaintext.append(pad, static_cast<char>(pad));
}

const std::string iv = from_hex("f0e1d2c3b4a5968778695a4b3c2d1e0f");

// A session that has agreed a key with service_half(); the service's key is returned.
Secret agreed(SecretSession& session) {
  ServiceHalf service = service_half(session);
  REQUIRE(session.derive(service.public_key));
  return std::move(service.aes_key);
}

SecretSession started() {
  auto session = SecretSession::start();
  REQUIRE(session);
  return std::move(*session);
}

} // namespace

TEST_CASE("secret session: public keys are fresh numbers below the prime") {
  const SecretSession one = started();
  const SecretSession two = started();
  CHECK(one.public_key() != two.public_key());
  CHECK_FALSE(one.public_key().empty());
  CHECK(one.public_key().size() <= 128);
  CHECK(one.public_key().front() != '\0'); // minimal, as libsecret writes it
}

TEST_CASE("secret session: two sessions agree on a key from each other's public keys") {
  SecretSession client = started();
  SecretSession other = started();
  REQUIRE(client.derive(other.public_key()));
  REQUIRE(other.derive(client.public_key()));
  for (const std::string plaintext : {"", "x", "ghp_0123456789ab", "glpat-abcdefghijklmnopq"}) {
    auto sealed = client.encrypt(Secret(plaintext));
    REQUIRE(sealed);
    CHECK(sealed->iv.size() == 16);
    CHECK(sealed->ciphertext.size() == (plaintext.size() / 16 + 1) * 16);
    auto opened = other.decrypt(sealed->iv, sealed->ciphertext);
    REQUIRE(opened);
    CHECK(opened->view() == plaintext);
  }
}

TEST_CASE("secret session: a secret the service encrypts with libgcrypt decrypts") {
  SecretSession session = started();
  const Secret key = agreed(session);
  // 16 bytes gets a whole block of padding; 0 bytes is padding alone.
  for (const std::string& plaintext :
       {std::string(), std::string("t"), std::string(15, 'a'), std::string(16, 'b'),
        std::string(17, 'c'), std::string("\xff\x00\x80 not UTF-8", 13)}) {
    auto opened = session.decrypt(iv, cbc_encrypt(key, iv, pkcs7(plaintext)));
    REQUIRE(opened);
    CHECK(opened->view() == plaintext);
  }
}

TEST_CASE("secret session: AES-128-CBC decrypts NIST SP 800-38A's F.2.2 example") {
  const Secret key(from_hex("2b7e151628aed2a6abf7158809cf4f3c"));
  const std::string nist_iv = from_hex("000102030405060708090a0b0c0d0e0f");
  const std::string ciphertext = from_hex("7649abac8119b246cee98e9b12e9197d"
                                          "5086cb9b507219ee95db113a917678b2"
                                          "73bed6b8e3c1743b7116e69e22229516"
                                          "3ff1caa1681fac09120eca307586e1a7");
  auto plain = aes128_cbc_decrypt(key, nist_iv, ciphertext);
  REQUIRE(plain);
  CHECK(plain->view() == from_hex("6bc1bee22e409f96e93d7e117393172a"
                                  "ae2d8a571e03ac9c9eb76fac45af8e51"
                                  "30c81c46a35ce411e5fbc1191a0a52ef"
                                  "f69f2445df4f9b17ad2b417be66c3710"));
}

TEST_CASE("secret session: PKCS#7 padding is checked byte by byte") {
  CHECK(pkcs7_unpadded_length(pkcs7("token")) == 5U);
  CHECK(pkcs7_unpadded_length(pkcs7(std::string(16, 'x'))) == 16U);
  CHECK(pkcs7_unpadded_length(std::string(16, '\x10')) == 0U);
  CHECK_FALSE(pkcs7_unpadded_length(""));
  CHECK_FALSE(pkcs7_unpadded_length(std::string(15, '\x01')));                   // not whole blocks
  CHECK_FALSE(pkcs7_unpadded_length(std::string(15, 'a') + '\x00'));             // a pad of 0
  CHECK_FALSE(pkcs7_unpadded_length(std::string(31, 'a') + '\x11'));             // a pad of 17
  CHECK_FALSE(pkcs7_unpadded_length(std::string(12, 'a') + "\x04\x03\x04\x04")); // one wrong
  CHECK_FALSE(pkcs7_unpadded_length(std::string(1, '\x0f') + std::string(15, '\x10')));

  SecretSession session = started();
  const Secret key = agreed(session);
  for (const std::string& padded :
       {std::string(15, 'a') + '\x00', std::string(15, 'a') + '\x11',
        std::string(12, 'a') + "\x04\x04\x03\x04", std::string(15, '\x0f') + '\x10'}) {
    auto opened = session.decrypt(iv, cbc_encrypt(key, iv, padded));
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == Errc::store_failed);
    CHECK(opened.error().message.find("padded") != std::string::npos);
  }
}

TEST_CASE("secret session: wrong lengths and a missing key are refused") {
  SecretSession session = started();
  const std::string block(16, 'z');
  auto early = session.decrypt(iv, block);
  REQUIRE_FALSE(early);
  CHECK(early.error().code == Errc::store_failed);
  CHECK_FALSE(session.encrypt(Secret("x")));

  const Secret key = agreed(session);
  const std::string ciphertext = cbc_encrypt(key, iv, pkcs7("token"));
  for (const std::string& bad_iv : {std::string(), std::string(15, 'i'), std::string(17, 'i')}) {
    auto opened = session.decrypt(bad_iv, ciphertext);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == Errc::store_failed);
    CHECK(opened.error().message.find("IV") != std::string::npos);
  }
  for (const std::string& bad : {std::string(), ciphertext.substr(0, 15), ciphertext + "x"}) {
    auto opened = session.decrypt(iv, bad);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == Errc::store_failed);
    CHECK(opened.error().message.find("16-byte blocks") != std::string::npos);
  }
  CHECK(session.decrypt(iv, ciphertext)); // the same session still opens a good one
}

TEST_CASE("secret session: a peer key outside the group is refused") {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"nothing", ""},
      {"0", std::string(1, '\0')},
      {"1", "\x01"},
      {"1 with leading zeros", std::string(127, '\0') + '\x01'},
      {"p - 1", prime_with_tail("FE")},
      {"p", prime_with_tail("")},
      {"p + 1", prime_with_tail("ECE653820000000000000000")},
      {"129 bytes", std::string(129, '\xff')},
  };
  for (const auto& [name, key] : refused) {
    INFO(name);
    SecretSession session = started();
    auto derived = session.derive(key);
    REQUIRE_FALSE(derived);
    CHECK(derived.error().code == Errc::store_failed);
    CHECK(derived.error().message.find("outside the group") != std::string::npos);
    CHECK_FALSE(session.decrypt(iv, std::string(16, 'z'))); // and no key was set
  }
  SecretSession session = started();
  CHECK(session.derive("\x02"));                // the smallest key a peer may send
  CHECK(session.derive(prime_with_tail("FD"))); // and the largest, p - 2
}

namespace {

// A schema of this test's own, so its item meets no other test's.
const SecretSchema session_schema = {
    "org.example.PatrolSessionTest",
    SECRET_SCHEMA_NONE,
    {
        {"case", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING},
    },
    0,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
};

GVariant* call(GDBusConnection* bus, const char* path, const char* interface, const char* method,
               GVariant* arguments) {
  GError* error = nullptr;
  GVariant* reply =
      g_dbus_connection_call_sync(bus, "org.freedesktop.secrets", path, interface, method,
                                  arguments, nullptr, G_DBUS_CALL_FLAGS_NONE, -1, nullptr, &error);
  if (error != nullptr) {
    const std::string message = std::string(method) + ": " + error->message;
    g_error_free(error);
    FAIL(message);
  }
  return reply;
}

GVariant* bytes(std::string_view value) {
  return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, value.data(), value.size(), 1);
}

std::string bytes_of(GVariant* array) {
  gsize length = 0;
  const auto* data =
      static_cast<const char*>(g_variant_get_fixed_array(array, &length, sizeof(guchar)));
  return std::string(data, length);
}

} // namespace

// gnome-keyring is the other half here: if it and SecretSession disagree on any step (group,
// padding of the shared value, HKDF, CBC, PKCS#7), the plaintexts differ.
TEST_CASE("secretservice session: gnome-keyring's encrypted secrets open, and ours reach it",
          "[.][secretservice][session]") {
  const char* stored = "ghp_1234567890ab"; // 16 bytes: a whole block of padding
  GError* error = nullptr;
  REQUIRE(secret_password_store_sync(&session_schema, SECRET_COLLECTION_DEFAULT, "session test",
                                     stored, nullptr, &error, "case", "dh", nullptr) != FALSE);
  REQUIRE(error == nullptr);

  GDBusConnection* bus = g_bus_get_sync(G_BUS_TYPE_SESSION, nullptr, nullptr);
  REQUIRE(bus != nullptr);
  SecretSession session = started();
  GVariant* opened =
      call(bus, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "OpenSession",
           g_variant_new("(sv)", std::string(patrol::store::session_algorithm).c_str(),
                         bytes(session.public_key())));
  GVariant* output = nullptr;
  const gchar* session_path = nullptr;
  g_variant_get(opened, "(v&o)", &output, &session_path);
  REQUIRE(session.derive(bytes_of(output)));

  GVariantBuilder attributes;
  g_variant_builder_init(&attributes, G_VARIANT_TYPE("a{ss}"));
  g_variant_builder_add(&attributes, "{ss}", "case", "dh");
  GVariant* found = call(bus, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                         "SearchItems", g_variant_new("(a{ss})", &attributes));
  GVariant* unlocked = nullptr;
  GVariant* locked = nullptr;
  g_variant_get(found, "(@ao@ao)", &unlocked, &locked);
  REQUIRE(g_variant_n_children(unlocked) == 1);
  const gchar* item = nullptr;
  g_variant_get_child(unlocked, 0, "&o", &item);

  GVariant* secret = call(bus, item, "org.freedesktop.Secret.Item", "GetSecret",
                          g_variant_new("(o)", session_path));
  GVariant* parameters = nullptr;
  GVariant* value = nullptr;
  const gchar* content_type = nullptr;
  g_variant_get(secret, "((o@ay@ay&s))", nullptr, &parameters, &value, &content_type);
  CHECK(bytes_of(value) != stored); // it did travel encrypted
  auto plain = session.decrypt(bytes_of(parameters), bytes_of(value));
  REQUIRE(plain);
  CHECK(plain->view() == stored);

  // The other way: a secret encrypted here is what libsecret then reads from the keyring.
  auto sealed = session.encrypt(Secret("glpat-from-patrol"));
  REQUIRE(sealed);
  g_variant_unref(call(bus, item, "org.freedesktop.Secret.Item", "SetSecret",
                       g_variant_new("((o@ay@ays))", session_path, bytes(sealed->iv),
                                     bytes(sealed->ciphertext), "text/plain")));
  gchar* read_back =
      secret_password_lookup_sync(&session_schema, nullptr, &error, "case", "dh", nullptr);
  REQUIRE(read_back != nullptr);
  CHECK(std::string(read_back) == "glpat-from-patrol");
  secret_password_free(read_back);

  g_variant_unref(call(bus, session_path, "org.freedesktop.Secret.Session", "Close", nullptr));
  secret_password_clear_sync(&session_schema, nullptr, nullptr, "case", "dh", nullptr);
  g_variant_unref(parameters);
  g_variant_unref(value);
  g_variant_unref(secret);
  g_variant_unref(unlocked);
  g_variant_unref(locked);
  g_variant_unref(found);
  g_variant_unref(output);
  g_variant_unref(opened);
  g_object_unref(bus);
  secret_service_disconnect();
}
