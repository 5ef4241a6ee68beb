#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "helper/commands/import_store_file.hpp"

using patrol::Secret;
using patrol::helper::parse_store_file;
using patrol::helper::without_lines;

TEST_CASE("import: git-credential-store lines, percent-decoded as git reads them") {
  auto file = parse_store_file("https://alice:tok%2Fen%40x@gitlab.example.com\n"
                               "https://bob%40corp:p%3Aw@git.example.com:8443/group/repo.git\r\n"
                               "\n"
                               "not a url\n"
                               "https://nopassword@host.example\n"
                               "https://host.example\n"
                               "http://carol:pw@plain.example");
  REQUIRE(file.entries.size() == 3);
  CHECK(file.lines.size() == 7);
  CHECK(file.ignored == 4);
  const auto& first = file.entries[0].credential;
  CHECK(first.protocol == "https");
  CHECK(first.host == "gitlab.example.com");
  CHECK(first.username == "alice");
  CHECK(first.password == Secret("tok/en@x"));
  CHECK(first.path.empty());
  const auto& second = file.entries[1].credential;
  CHECK(second.username == "bob@corp");
  CHECK(second.password == Secret("p:w"));
  CHECK(second.host == "git.example.com:8443");
  CHECK(second.path == "group/repo.git");
  CHECK(file.entries[2].credential.protocol == "http");
  CHECK(file.entries[2].line == 6);

  CHECK(without_lines(file, {0, 6}) ==
        "https://bob%40corp:p%3Aw@git.example.com:8443/group/repo.git\n\nnot a url\n"
        "https://nopassword@host.example\nhttps://host.example\n");
}
