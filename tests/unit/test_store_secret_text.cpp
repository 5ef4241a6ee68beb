#include <string>

#include <catch2/catch.hpp>

#include "store/secret_text.hpp"

using patrol::Errc;
using patrol::Secret;
using patrol::store::Kind;
using patrol::store::Record;
namespace secret_text = patrol::store::secret_text;

namespace {

Record full_record() {
  Record made;
  made.secret = Secret("glpat-abc");
  made.kind = Kind::pat;
  made.expires_at = 1767225600;
  made.refresh_token = Secret("refresh-xyz");
  made.scopes = {"api", "read_repository"};
  made.token_id = "42";
  made.token_name = "laptop token";
  made.checked_at = 1760000000;
  return made;
}

} // namespace

TEST_CASE("secret text: a plain password is only the password") {
  Record plain;
  plain.secret = Secret("hunter2");
  auto text = secret_text::encode(plain);
  REQUIRE(text);
  CHECK(text->view() == "hunter2");
}

TEST_CASE("secret text: git's lines first, in git-credential-libsecret's order, then patrol's") {
  auto text = secret_text::encode(full_record());
  REQUIRE(text);
  CHECK(text->view() == "glpat-abc\n"
                        "password_expiry_utc=1767225600\n"
                        "oauth_refresh_token=refresh-xyz\n"
                        "patrol_kind=pat\n"
                        "patrol_scopes=api read_repository\n"
                        "patrol_token_id=42\n"
                        "patrol_token_name=laptop token\n"
                        "patrol_checked_at=1760000000");
}

TEST_CASE("secret text: round trip") {
  const Record original = full_record();
  auto text = secret_text::encode(original);
  REQUIRE(text);
  const Record back = secret_text::decode(text->view());
  CHECK(back.secret == original.secret);
  CHECK(back.kind == Kind::pat);
  CHECK(back.expires_at == original.expires_at);
  CHECK(back.refresh_token == original.refresh_token);
  CHECK(back.scopes == original.scopes);
  CHECK(back.token_id == "42");
  CHECK(back.token_name == "laptop token");
  CHECK(back.checked_at == original.checked_at);
  CHECK(back.state == patrol::store::State::active);
  CHECK(back.protocol.empty());
  CHECK(back.host.empty());
}

TEST_CASE("secret text: what the forge said of the token is kept, active by default") {
  Record record = full_record();
  record.state = patrol::store::State::revoked;
  auto text = secret_text::encode(record);
  REQUIRE(text);
  CHECK(text->view().ends_with("\npatrol_checked_at=1760000000\npatrol_state=revoked"));
  CHECK(secret_text::decode(text->view()).state == patrol::store::State::revoked);
  CHECK(secret_text::decode("t\npatrol_state=expired").state == patrol::store::State::expired);
  CHECK(secret_text::decode("t\npatrol_state=bogus").state == patrol::store::State::active);
}

TEST_CASE("secret text: the last expiry warning's date is kept beside the token") {
  Record record = full_record();
  record.warned_at = 1760086400;
  auto text = secret_text::encode(record);
  REQUIRE(text);
  CHECK(text->view().starts_with("glpat-abc\n")); // the token itself is untouched
  CHECK(text->view().ends_with("\npatrol_checked_at=1760000000\npatrol_warned_at=1760086400"));
  CHECK(secret_text::decode(text->view()).warned_at == 1760086400);
  CHECK_FALSE(secret_text::decode("t\npatrol_warned_at=soon").warned_at);
  CHECK_FALSE(secret_text::decode("t").warned_at);
}

TEST_CASE("secret text: what git 2.39 and newer git store decodes") {
  const Record old_git = secret_text::decode("hunter2");
  CHECK(old_git.secret.view() == "hunter2");
  CHECK(old_git.kind == Kind::password);
  CHECK_FALSE(old_git.expires_at);
  CHECK(old_git.refresh_token.empty());

  const Record new_git =
      secret_text::decode("hunter2\npassword_expiry_utc=1684189401\noauth_refresh_token=xyzzy");
  CHECK(new_git.secret.view() == "hunter2");
  CHECK(new_git.expires_at == 1684189401);
  CHECK(new_git.refresh_token.view() == "xyzzy");
}

TEST_CASE("secret text: unknown and malformed lines are ignored") {
  const Record read = secret_text::decode("pw\nsomething_new=1\n\npassword_expiry_utc=soon\n"
                                          "patrol_kind=telepathy\npatrol_token_id=7\n");
  CHECK(read.secret.view() == "pw");
  CHECK_FALSE(read.expires_at);
  CHECK(read.kind == Kind::password);
  CHECK(read.token_id == "7");
}

TEST_CASE("secret text: an empty first line is an empty password") {
  const Record read = secret_text::decode("\npassword_expiry_utc=5");
  CHECK(read.secret.empty());
  CHECK(read.expires_at == 5);
}

TEST_CASE("secret text: a field with a line break or NUL is refused") {
  const auto refused = [](Record record) {
    auto text = secret_text::encode(record);
    return !text && text.error().code == Errc::invalid_input;
  };
  Record in_password;
  in_password.secret = Secret("pw\npassword_expiry_utc=9999999999");
  CHECK(refused(in_password));

  Record carriage = full_record();
  carriage.secret = Secret("pw\r");
  CHECK(refused(carriage));

  Record nul = full_record();
  nul.refresh_token = Secret(std::string("r\0t", 3));
  CHECK(refused(nul));

  Record in_name = full_record();
  in_name.token_name = "name\npatrol_kind=oauth";
  CHECK(refused(in_name));

  Record in_scope = full_record();
  in_scope.scopes = {"api read"};
  CHECK(refused(in_scope));
}

TEST_CASE("secret text: bytes that are not UTF-8 round-trip exactly") {
  Record bytes;
  bytes.secret = Secret("p\xe9ss\xff");
  bytes.refresh_token = Secret("r\xfe\x80");
  bytes.token_name = "\xc0\xaf";
  bytes.scopes = {"\xff"};
  auto text = secret_text::encode(bytes);
  REQUIRE(text);
  CHECK(text->view().starts_with("p\xe9ss\xff\n")); // line 1 as git-credential-libsecret reads it
  const Record back = secret_text::decode(text->view());
  CHECK(back.secret.view() == "p\xe9ss\xff");
  CHECK(back.refresh_token.view() == "r\xfe\x80");
  CHECK(back.token_name == "\xc0\xaf");
  CHECK(back.scopes == bytes.scopes);
}
