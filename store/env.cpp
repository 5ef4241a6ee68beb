#include "store/env.hpp"

#include <array>
#include <cstdlib>

#include "common/ascii.hpp"
#include "common/host_port.hpp"
#include "store/match.hpp"

namespace patrol::store {
namespace {

constexpr std::string_view ci_username = "gitlab-ci-token";
constexpr std::string_view gitlab_username = gitlab_token_username;
constexpr std::string_view github_username = github_token_username;

constexpr std::array token_variables{
    "CI_JOB_TOKEN", "GITLAB_TOKEN",        "GH_TOKEN",
    "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"};

std::optional<std::string> first_set(const EnvLookup& lookup,
                                     std::initializer_list<std::string_view> names,
                                     std::string* which = nullptr) {
  for (std::string_view name : names) {
    std::optional<std::string> value = lookup(name);
    if (value && !value->empty()) {
      if (which != nullptr) {
        *which = name;
      }
      return value;
    }
  }
  return std::nullopt;
}

struct Origin {
  std::string protocol = "https";
  std::string host;
};

// "gitlab.example.com", "gitlab.example.com:8443" or "https://gitlab.example.com/". Tokens
// travel over https only: a variable naming another scheme names no origin at all.
std::optional<Origin> origin_of(std::string text) {
  Origin origin;
  const std::size_t scheme = text.find("://");
  if (scheme != std::string::npos) {
    origin.protocol = to_ascii_lower(text.substr(0, scheme));
    text = text.substr(scheme + 3);
  }
  origin.host = to_ascii_lower(text.substr(0, text.find('/')));
  if (origin.protocol != "https" || origin.host.empty()) {
    return std::nullopt;
  }
  return origin;
}

// A token that accepts any username answers with the one git asked for.
struct Token {
  Record record;
  bool any_username = false;
};

Token token(const Origin& origin, std::string_view username, const std::string& value,
            std::string_view variable, bool any_username) {
  Token made;
  made.record.protocol = origin.protocol;
  made.record.host = origin.host;
  made.record.username = std::string(username);
  made.record.secret = Secret(value);
  made.record.kind = Kind::pat;
  made.record.token_name = std::string(variable);
  made.record.store = "env";
  made.any_username = any_username;
  return made;
}

// Each variable answers only for the one origin its own variables name, whatever patrol's
// settings, the server's realm or the host's name say.
std::vector<Token> all_tokens(const EnvLookup& lookup) {
  std::vector<Token> tokens;
  std::string variable;
  if (std::optional<std::string> value = first_set(lookup, {"GITLAB_TOKEN"}, &variable)) {
    const std::optional<std::string> host = first_set(lookup, {"GITLAB_HOST", "GL_HOST"});
    if (const std::optional<Origin> origin = origin_of(host.value_or("gitlab.com"))) {
      tokens.push_back(token(*origin, gitlab_username, *value, variable, true));
    }
  }
  if (std::optional<std::string> value = first_set(lookup, {"CI_JOB_TOKEN"}, &variable)) {
    if (std::optional<std::string> host = first_set(lookup, {"CI_SERVER_HOST"})) {
      const std::optional<std::string> protocol = first_set(lookup, {"CI_SERVER_PROTOCOL"});
      std::optional<Origin> origin = origin_of(protocol.value_or("https") + "://" + *host);
      std::optional<std::string> port = first_set(lookup, {"CI_SERVER_PORT"});
      if (origin && port && origin->host.find(':') == std::string::npos && *port != "443") {
        origin->host += ":" + *port;
      }
      if (origin) {
        tokens.push_back(token(*origin, ci_username, *value, variable, false));
      }
    }
  }
  if (std::optional<std::string> value =
          first_set(lookup, {"GH_TOKEN", "GITHUB_TOKEN"}, &variable)) {
    tokens.push_back(token(Origin{"https", "github.com"}, github_username, *value, variable, true));
  }
  if (std::optional<std::string> host = first_set(lookup, {"GH_HOST"})) {
    std::optional<Origin> origin = origin_of(*host);
    std::optional<std::string> value =
        first_set(lookup, {"GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"}, &variable);
    // github.com:443 is github.com too: the enterprise token never answers there.
    if (origin && value && canonical_host("https", origin->host) != "github.com") {
      tokens.push_back(token(*origin, github_username, *value, variable, true));
    }
  }
  return tokens;
}

class EnvStore final : public Store {
public:
  explicit EnvStore(EnvLookup lookup) : lookup_(std::move(lookup)) {}

  [[nodiscard]] std::string_view name() const override { return "env"; }

  // The first token in priority order, not pick()'s smallest username.
  Result<std::optional<Record>> find(const Query& query) override {
    std::vector<Record> found = env_tokens(lookup_, query);
    if (found.empty()) {
      return std::optional<Record>();
    }
    return std::optional<Record>(std::move(found.front()));
  }

  Result<std::vector<Record>> list(const Query& query) override {
    return env_tokens(lookup_, query);
  }

  Result<void> save(const Record& /*record*/) override { return {}; }

  Result<bool> replace(const Record& /*expected*/, const Record& /*next*/) override {
    return false;
  }

  Result<bool> erase_matching(const Query& /*query*/) override { return false; }

private:
  EnvLookup lookup_;
};

} // namespace

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') {
      return std::nullopt;
    }
    return std::string(value);
  };
}

std::vector<Record> env_tokens(const EnvLookup& lookup, const Query& query) {
  std::vector<Record> found;
  for (Token& each : all_tokens(lookup)) {
    if (each.any_username && !query.username.empty()) {
      each.record.username = query.username;
    }
    // Tokens stand for a whole host: a request with a path gets them too.
    if (!query.path.empty()) {
      each.record.path = query.path;
    }
    if (matches(query, each.record)) {
      found.push_back(std::move(each.record));
    }
  }
  return found;
}

std::unique_ptr<Store> make_env_store(EnvLookup lookup) {
  return std::make_unique<EnvStore>(std::move(lookup));
}

bool env_has_tokens(const EnvLookup& lookup) {
  for (const char* name : token_variables) {
    if (lookup(name)) {
      return true;
    }
  }
  return false;
}

} // namespace patrol::store
