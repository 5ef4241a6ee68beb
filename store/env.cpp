#include "store/env.hpp"

#include <array>
#include <cstdlib>

#include "store/match.hpp"

namespace patrol::store {
namespace {

constexpr std::string_view ci_username = "gitlab-ci-token";
constexpr std::string_view gitlab_username = gitlab_token_username;
constexpr std::string_view github_username = github_token_username;

constexpr std::array token_variables{"CI_JOB_TOKEN",        "GITLAB_TOKEN",
                                     "GH_TOKEN",            "GITHUB_TOKEN",
                                     "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"};

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

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

// "gitlab.example.com", "gitlab.example.com:8443" or "https://gitlab.example.com/".
Origin origin_of(std::string text) {
  Origin origin;
  const std::size_t scheme = text.find("://");
  if (scheme != std::string::npos) {
    origin.protocol = lower(text.substr(0, scheme));
    text = text.substr(scheme + 3);
  }
  origin.host = lower(text.substr(0, text.find('/')));
  return origin;
}

std::string default_port(std::string_view protocol) { return protocol == "http" ? "80" : "443"; }

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

bool is_github_cloud(std::string_view host) {
  return host == "github.com" ||
         (host.size() > 8 && host.substr(host.size() - 8) == ".ghe.com");
}

std::vector<Token> all_tokens(const EnvLookup& lookup, const Query& query,
                              std::span<const std::string> extra_gitlab_hosts) {
  std::vector<Token> tokens;
  std::string variable;
  if (std::optional<std::string> value = first_set(lookup, {"GITLAB_TOKEN"}, &variable)) {
    std::vector<Origin> hosts;
    if (std::optional<std::string> host = first_set(lookup, {"GITLAB_HOST", "GL_HOST"})) {
      hosts.push_back(origin_of(*host));
    } else {
      hosts.push_back(origin_of("gitlab.com"));
    }
    for (const std::string& host : extra_gitlab_hosts) {
      hosts.push_back(origin_of(host));
    }
    for (const Origin& origin : hosts) {
      tokens.push_back(token(origin, gitlab_username, *value, variable, true));
    }
  }
  if (std::optional<std::string> value = first_set(lookup, {"CI_JOB_TOKEN"}, &variable)) {
    if (std::optional<std::string> host = first_set(lookup, {"CI_SERVER_HOST"})) {
      Origin origin = origin_of(*host);
      if (std::optional<std::string> protocol = first_set(lookup, {"CI_SERVER_PROTOCOL"})) {
        origin.protocol = lower(*protocol);
      }
      std::optional<std::string> port = first_set(lookup, {"CI_SERVER_PORT"});
      if (port && origin.host.find(':') == std::string::npos &&
          *port != default_port(origin.protocol)) {
        origin.host += ":" + *port;
      }
      tokens.push_back(token(origin, ci_username, *value, variable, false));
    }
  }
  if (std::optional<std::string> value = first_set(lookup, {"GH_TOKEN", "GITHUB_TOKEN"}, &variable)) {
    Origin origin = origin_of("github.com");
    if (is_github_cloud(query.host) && query.host != "github.com") {
      origin.host = query.host;
    }
    tokens.push_back(token(origin, github_username, *value, variable, true));
  }
  if (std::optional<std::string> host = first_set(lookup, {"GH_HOST"})) {
    Origin origin = origin_of(*host);
    std::optional<std::string> value =
        first_set(lookup, {"GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"}, &variable);
    if (value && !is_github_cloud(origin.host)) {
      tokens.push_back(token(origin, github_username, *value, variable, true));
    }
  }
  return tokens;
}

class EnvStore final : public Store {
public:
  EnvStore(EnvLookup lookup, std::vector<std::string> extra_gitlab_hosts)
      : lookup_(std::move(lookup)), extra_gitlab_hosts_(std::move(extra_gitlab_hosts)) {}

  [[nodiscard]] std::string_view name() const override { return "env"; }

  // The first token in priority order, not pick()'s smallest username.
  Result<std::optional<Record>> find(const Query& query) override {
    std::vector<Record> found = env_tokens(lookup_, query, extra_gitlab_hosts_);
    if (found.empty()) {
      return std::optional<Record>();
    }
    return std::optional<Record>(std::move(found.front()));
  }

  Result<std::vector<Record>> list(const Query& query) override {
    return env_tokens(lookup_, query, extra_gitlab_hosts_);
  }

  Result<void> save(const Record& /*record*/) override { return {}; }

  Result<bool> replace(const Record& /*expected*/, const Record& /*next*/) override {
    return false;
  }

  Result<bool> erase(const Query& /*query*/) override { return false; }

private:
  EnvLookup lookup_;
  std::vector<std::string> extra_gitlab_hosts_;
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

std::vector<Record> env_tokens(const EnvLookup& lookup, const Query& query,
                               std::span<const std::string> extra_gitlab_hosts) {
  std::vector<Record> found;
  for (Token& each : all_tokens(lookup, query, extra_gitlab_hosts)) {
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

std::unique_ptr<Store> make_env_store(EnvLookup lookup, std::vector<std::string> extra_gitlab_hosts) {
  return std::make_unique<EnvStore>(std::move(lookup), std::move(extra_gitlab_hosts));
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
