#include "common/scope_list.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using patrol::join_scopes;
using patrol::split_scopes;
using Scopes = std::vector<std::string>;

TEST_CASE("split_scopes: OAuth's spaces, GitHub's commas, both at once", "[common][scope_list]") {
  CHECK(split_scopes("read_repository write_repository") ==
        Scopes{"read_repository", "write_repository"});
  CHECK(split_scopes("repo,gist") == Scopes{"repo", "gist"});
  CHECK(split_scopes("repo, workflow") == Scopes{"repo", "workflow"}); // X-OAuth-Scopes
  CHECK(split_scopes("  api ,, read_user ") == Scopes{"api", "read_user"});
  CHECK(split_scopes("").empty());
  CHECK(split_scopes(" , ").empty());
}

TEST_CASE("join_scopes: the separator between scopes only", "[common][scope_list]") {
  CHECK(join_scopes(Scopes{"api", "read_user"}, " ") == "api read_user");
  CHECK(join_scopes(Scopes{"repo"}, ",") == "repo");
  CHECK(join_scopes(Scopes{}, ",").empty());
  CHECK(split_scopes(join_scopes(Scopes{"a", "b", "c"}, " ")) == Scopes{"a", "b", "c"});
}
