#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "common/hkdf.hpp"

using namespace patrol;

namespace {

std::string from_hex(std::string_view hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return bytes;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (const char byte : bytes) {
    hex += digits[static_cast<unsigned char>(byte) >> 4];
    hex += digits[static_cast<unsigned char>(byte) & 0x0f];
  }
  return hex;
}

} // namespace

TEST_CASE("hmac_sha256: RFC 4231's test cases") {
  // 1: a 20-byte key
  CHECK(to_hex(hmac_sha256(std::string(20, '\x0b'), "Hi There").view()) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // 2: a key shorter than the output
  CHECK(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?").view()) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // 3: 50 bytes of 0xdd under a 20-byte key of 0xaa
  CHECK(to_hex(hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd')).view()) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  // 4: a counting key
  CHECK(to_hex(hmac_sha256(from_hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
                           std::string(50, '\xcd'))
                   .view()) == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // 5: the output truncated to 128 bits
  CHECK(to_hex(hmac_sha256(std::string(20, '\x0c'), "Test With Truncation").view()).substr(0, 32) ==
        "a3b6167473100ee06e0c796c2955552b");
  // 6: a key longer than a block, hashed first
  CHECK(to_hex(hmac_sha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key First")
                   .view()) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // 7: a long key and a long message
  CHECK(to_hex(hmac_sha256(std::string(131, '\xaa'),
                           "This is a test using a larger than block-size key and a larger "
                           "than block-size data. The key needs to be hashed before being "
                           "used by the HMAC algorithm.")
                   .view()) == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("hkdf_sha256: RFC 5869's SHA-256 test cases") {
  SECTION("1: basic") {
    const Secret okm = hkdf_sha256(std::string(22, '\x0b'), from_hex("000102030405060708090a0b0c"),
                                   from_hex("f0f1f2f3f4f5f6f7f8f9"), 42);
    CHECK(to_hex(okm.view()) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                                "34007208d5b887185865");
  }
  SECTION("2: longer inputs and outputs") {
    std::string ikm;
    std::string salt;
    std::string info;
    for (int i = 0; i < 80; ++i) {
      ikm += static_cast<char>(i);
      salt += static_cast<char>(0x60 + i);
      info += static_cast<char>(0xb0 + i);
    }
    const Secret okm = hkdf_sha256(ikm, salt, info, 82);
    CHECK(to_hex(okm.view()) == "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                                "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                                "cc30c58179ec3e87c14c01d5c1f3434f1d87");
  }
  SECTION("3: no salt, no info") {
    const Secret okm = hkdf_sha256(std::string(22, '\x0b'), {}, {}, 42);
    CHECK(to_hex(okm.view()) == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                                "9d201395faa4b61a96c8");
  }
  SECTION("the Secret Service's use: 16 bytes, the first half of the first block") {
    const Secret full = hkdf_sha256(std::string(128, '\x5a'), {}, {}, 32);
    const Secret key = hkdf_sha256(std::string(128, '\x5a'), {}, {}, 16);
    CHECK(key.view() == full.view().substr(0, 16));
  }
}
