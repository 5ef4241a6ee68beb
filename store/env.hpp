#pragma once
// The `env` backend, read-only: tokens CI runners and the forges' own CLIs put in the
// environment, under the names GitLab, glab and gh use.
//
//   CI_JOB_TOKEN         user gitlab-ci-token, for CI_SERVER_HOST, CI_SERVER_PORT and
//                        CI_SERVER_PROTOCOL as GitLab sets them
//   GITLAB_TOKEN         for GITLAB_HOST (or GL_HOST; a host or a URL), else gitlab.com
//   GH_TOKEN, GITHUB_TOKEN   (in that order) for github.com
//   GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN   for GH_HOST when it is not github.com
//
// Each answers for exactly that origin and over https only: never for another host, port
// or scheme, whatever patrol.forge, a server's realm or a host's name says (a submodule URL
// must not be able to ask for a token meant elsewhere).
//
// GitLab and GitHub accept any non-blank username with a personal access token: the
// request's username is answered when git sends one, else "oauth2" (which GitLab also
// takes for OAuth tokens) and "x-access-token" (GitHub's name for app and Actions tokens).
// When several tokens answer one host, the one set deliberately for it wins: GITLAB_TOKEN
// before CI_JOB_TOKEN. Records are ordinary Records of kind pat, named by token_name
// (the variable), so lifecycle checks apply to them. save and erase change nothing.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace patrol::store {

// The usernames answered for forge tokens when git sends none (see above); `login` uses
// them too.
inline constexpr std::string_view gitlab_token_username = "oauth2";
inline constexpr std::string_view github_token_username = "x-access-token";

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (unset and empty variables are both nullopt).
EnvLookup process_environment();

// The tokens answering query, best first. Pure: everything comes through `lookup`.
std::vector<Record> env_tokens(const EnvLookup& lookup, const Query& query);

std::unique_ptr<Store> make_env_store(EnvLookup lookup);

// Whether any variable the env store reads holds a token.
bool env_has_tokens(const EnvLookup& lookup);

} // namespace patrol::store
