#include "helper/git_ops.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>
#include <utility>

#include "helper/config.hpp"
#include "helper/credential_url.hpp"
#include "helper/input.hpp"
#include "helper/messages.hpp"
#include "helper/oauth_fallback.hpp"
#include "helper/protocol.hpp"
#include "helper/store_choice.hpp"
#include "helper/token_watch.hpp"

namespace patrol::helper {
namespace {

Result<Credential> read_credential() {
  Result<std::string> input = read_request(STDIN_FILENO);
  if (!input) {
    return tl::unexpected(input.error());
  }
  Result<Credential> credential = parse(*input);
  wipe(*input);
  if (credential && tracing()) {
    trace("request: protocol=" + credential->protocol + " host=" + credential->host +
          " path=" + credential->path + " username=" + credential->username +
          " password=" + traced_secret(credential->password.view()));
  }
  return credential;
}

int failed(const Error& error) {
  report(error);
  return exit_code(error);
}

store::Query query_of(const Credential& credential) {
  return store::Query{credential.protocol, credential.host, credential.path,
                      credential.username, std::nullopt};
}

// Loads the configuration into `config` (the lifecycle reads it too) and opens the store.
Result<std::unique_ptr<store::Store>> store_for(const Credential& credential, Config& config) {
  Result<Config> loaded = Config::load();
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  config = std::move(*loaded);
  return open_store(config, credential_url(credential));
}

bool write_stdout(const std::string& text) {
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
         std::fflush(stdout) == 0;
}

} // namespace

int run_get(Args /*args*/) {
  Result<Credential> request = read_credential();
  if (!request) {
    return failed(request.error());
  }
  if (request->protocol.empty() || request->host.empty()) {
    return 0; // nothing to look up by: let git ask elsewhere
  }
  // From here on every failure still exits 0: git then tries its next helper or prompts.
  Config config;
  Result<std::unique_ptr<store::Store>> store = store_for(*request, config);
  if (!store) {
    report(store.error());
    return 0;
  }
  Result<std::optional<store::Record>> found = (*store)->find(query_of(*request));
  if (!found) {
    report(found.error());
    return 0;
  }
  trace("store " + std::string((*store)->name()) +
        (*found ? " found a credential for user " + (*found)->username +
                      " (secret " + traced_secret((*found)->secret.view()) + ")"
                : std::string(" has nothing for this request")));
  // OAuth first: it refreshes a dying OAuth token, or signs a person in when nothing is stored.
  std::optional<store::Record> usable =
      oauth_on_get(config, **store, std::move(*found), *request);
  if (!usable) {
    return 0;
  }
  // An expired token is not handed to git: it would only earn a 401.
  const std::optional<store::Record> handed =
      refreshes_itself(*usable) ? std::move(usable) : on_get(config, **store, *usable, *request);
  if (!handed) {
    return 0;
  }
  const store::Record& record = *handed;
  Credential reply;
  reply.username = record.username;
  reply.password = record.secret;
  reply.password_expiry_utc = record.expires_at;
  reply.oauth_refresh_token = record.refresh_token;
  Result<std::string> text = write(reply, request->capabilities);
  if (!text) {
    return failed(text.error());
  }
  const bool written = write_stdout(*text);
  wipe(*text);
  return written ? 0 : 1;
}

int run_store(Args /*args*/) {
  Result<Credential> request = read_credential();
  if (!request) {
    return failed(request.error());
  }
  // Like git's own helpers: only a complete credential is kept.
  if (request->protocol.empty() || request->host.empty() || request->username.empty() ||
      request->password.empty() || request->ephemeral) {
    return 0;
  }
  Config config;
  Result<std::unique_ptr<store::Store>> store = store_for(*request, config);
  if (!store) {
    return failed(store.error());
  }
  // git calls store after every successful use: the same secret again changes nothing,
  // so what patrol learnt about the token is kept and no write happens.
  store::Query exact = query_of(*request);
  Result<std::optional<store::Record>> existing = (*store)->find(exact);
  if (existing && *existing && (*existing)->path == request->path &&
      (*existing)->secret == request->password) {
    return 0;
  }
  store::Record record;
  record.protocol = request->protocol;
  record.host = request->host;
  record.path = request->path;
  record.username = request->username;
  record.secret = request->password;
  record.expires_at = request->password_expiry_utc;
  record.refresh_token = request->oauth_refresh_token;
  on_store(config, record, *request);
  Result<void> saved = (*store)->save(record);
  return saved ? 0 : failed(saved.error());
}

int run_erase(Args /*args*/) {
  Result<Credential> request = read_credential();
  if (!request) {
    return failed(request.error());
  }
  store::Query query = query_of(*request);
  if (query.empty()) {
    return failed(Error{Errc::invalid_input,
                        "refusing to erase with an empty pattern: give at least a protocol "
                        "and a host"});
  }
  if (!request->password.empty()) {
    query.password = request->password;
  }
  Config config;
  Result<std::unique_ptr<store::Store>> store = store_for(*request, config);
  if (!store) {
    return failed(store.error());
  }
  on_erase(config, **store, *request);
  Result<bool> erased = (*store)->erase(query);
  return erased ? 0 : failed(erased.error());
}

} // namespace patrol::helper
