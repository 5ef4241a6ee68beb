#include <catch2/catch.hpp>

#include <string>

#include "common/secret.hpp"

using namespace patrol;

TEST_CASE("secret: equal only with the same bytes and length") {
  CHECK(Secret("token") == Secret("token"));
  CHECK(Secret() == Secret(""));
  CHECK_FALSE(Secret("token") == Secret("tokem"));
  CHECK_FALSE(Secret("token") == Secret("Token"));
  CHECK_FALSE(Secret("token") == Secret("token2"));
  CHECK_FALSE(Secret("") == Secret("x"));
  CHECK(Secret(std::string("a\0b", 3)) == Secret(std::string("a\0b", 3)));
  CHECK_FALSE(Secret(std::string("a\0b", 3)) == Secret(std::string("a\0c", 3)));
}

TEST_CASE("secret: wiping leaves the buffer empty") {
  std::string buffer = "a password longer than the short-string buffer";
  wipe(buffer);
  CHECK(buffer.empty());
  Secret secret("token");
  secret.wipe();
  CHECK(secret.empty());
}
