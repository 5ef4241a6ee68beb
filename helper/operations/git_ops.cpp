#include "helper/operations/git_ops.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>
#include <utility>

#include "helper/git/config.hpp"
#include "helper/git/credential_record.hpp"
#include "helper/git/credential_url.hpp"
#include "helper/git/input.hpp"
#include "helper/git/protocol.hpp"
#include "helper/lifecycle/token_lookup.hpp"
#include "helper/messages.hpp"
#include "helper/operations/store_choice.hpp"
#include "helper/operations/token_watch.hpp"
#include "helper/signin/oauth_fallback.hpp"
#include "store/match.hpp"
#include "store/store.hpp"

namespace patrol::helper {
namespace {

// state[] patrol hands git with a credential it served; git (2.46+) sends it back with the
// store that follows a successful use, and that store then has nothing to do.
constexpr std::string_view served_state = "patrol:served";

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

// Loads the configuration into `config` (the lifecycle reads it too) and opens the store.
Result<std::unique_ptr<store::Store>> store_for(const Credential& credential, Config& config) {
  Result<Config> loaded = Config::load();
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  config = std::move(*loaded);
  return open_store(config, credential_url(credential));
}

// The answer to get: a pre-encoded credential under capability authtype, else the username
// and password, both always (even empty: git asks no more once it has both); and under
// capability state the mark that lets the store git sends after a success skip the store.
Credential reply_for(const store::Record& record, const Credential& request) {
  Credential reply;
  if (!record.authtype.empty()) {
    reply.capabilities.emplace_back("authtype");
    reply.authtype = record.authtype;
    reply.credential = record.secret;
    reply.username = record.username;
  } else {
    reply.username = record.username;
    reply.username_given = true;
    reply.password = record.secret;
    reply.password_given = true;
    reply.oauth_refresh_token = record.refresh_token;
  }
  reply.password_expiry_utc = record.expires_at;
  if (request.has_capability("state")) {
    reply.capabilities.emplace_back("state");
    reply.state.emplace_back(served_state);
  }
  return reply;
}

bool write_stdout(const std::string& text) {
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() &&
         std::fflush(stdout) == 0;
}

} // namespace

int run_get(const Parsed& /*args*/) {
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
  store::Query query = query_of(*request);
  query.authtype_ok = request->has_capability("authtype");
  Result<std::optional<store::Record>> found = (*store)->find(query);
  if (!found) {
    report(found.error());
    return 0;
  }
  trace("store " + std::string((*store)->name()) +
        (*found ? " found a credential for user " + (*found)->username + " (secret " +
                      traced_secret((*found)->secret.view()) + ")"
                : std::string(" has nothing for this request")));
  // OAuth first: it refreshes a dying OAuth token, or signs a person in when nothing is stored.
  std::optional<store::Record> usable =
      refresh_or_sign_in(config, **store, std::move(*found), *request);
  if (!usable) {
    return 0;
  }
  // An expired token is not handed to git: it would only earn a 401.
  const std::optional<store::Record> handed =
      refreshes_itself(*usable) ? std::move(usable)
                                : check_before_serving(config, **store, *usable, *request);
  if (!handed) {
    return 0;
  }
  Credential reply = reply_for(*handed, *request);
  Result<std::string> text = write(reply, request->capabilities);
  if (!text) {
    return failed(text.error());
  }
  const bool written = write_stdout(*text);
  wipe(*text);
  return written ? 0 : 1;
}

int run_store(const Parsed& /*args*/) {
  Result<Credential> request = read_credential();
  if (!request) {
    return failed(request.error());
  }
  // The credential patrol itself served: it is stored already, and no keyring is touched.
  if (request->has_capability("state") && std::find(request->state.begin(), request->state.end(),
                                                    served_state) != request->state.end()) {
    trace("store: git uses the credential patrol served; nothing to store");
    return 0;
  }
  // A pre-encoded credential (git 2.46+, capability authtype) is kept with its scheme.
  const bool pre_encoded = request->has_capability("authtype") && !request->authtype.empty() &&
                           !request->credential.empty();
  // Like git's own helpers: only a complete credential is kept, and an empty username or
  // password is complete when given (Kerberos and http.emptyAuth credentials). An
  // ephemeral one is good for this use only.
  if (request->protocol.empty() || request->host.empty() || request->ephemeral ||
      (!pre_encoded && (!request->username_given || !request->password_given))) {
    return 0;
  }
  Config config;
  Result<std::unique_ptr<store::Store>> store = store_for(*request, config);
  if (!store) {
    return failed(store.error());
  }
  const Secret& secret = pre_encoded ? request->credential : request->password;
  const std::string authtype = pre_encoded ? request->authtype : std::string();
  // git calls store after every successful use: the same secret again changes nothing,
  // so what patrol learnt about the token is kept and no write happens. Not for a record
  // get withholds (expired, revoked): git just used its secret, so it is written afresh.
  store::Query exact = query_of(*request);
  exact.username_given = true;
  exact.authtype_ok = pre_encoded; // only a record of the same kind can be the same
  const std::int64_t now = now_seconds();
  const auto unchanged = [&](const store::Record& each) {
    return each.path == request->path && each.authtype == authtype && each.secret == secret &&
           store::usable(each, now);
  };
  // The one credential a get would serve first: on the Secret Service a read without
  // libsecret, on the file store a read of this origin's lines only.
  if (Result<std::optional<store::Record>> served = (*store)->find(exact);
      served && *served && unchanged(**served)) {
    return 0;
  }
  Result<std::vector<store::Record>> existing = (*store)->list(exact);
  if (existing && std::any_of(existing->begin(), existing->end(), unchanged)) {
    return 0;
  }
  store::Record record = record_of(*request);
  record.secret = secret;
  record.authtype = authtype;
  // A store that cannot even list (no keyring for an environment token's layer, a locked
  // file) will not keep the token either: no forge is asked about it, nothing is said.
  if (!pre_encoded && existing) {
    learn_new_token(config, record, *request);
  }
  Result<void> saved = (*store)->save(record);
  return saved ? 0 : failed(saved.error());
}

int run_capability(const Parsed& /*args*/) {
  // git 2.46's `capability` operation: the protocol version, then what patrol speaks.
  return write_stdout("version 0\ncapability authtype\ncapability state\n") ? 0 : 1;
}

int run_erase(const Parsed& /*args*/) {
  Result<Credential> request = read_credential();
  if (!request) {
    return failed(request.error());
  }
  store::Query query = query_of(*request);
  if (Result<void> allowed = store::refuse_empty_erase(query); !allowed) {
    return failed(allowed.error());
  }
  // As git's credential_match: only the credential that was refused, by its password or,
  // under capability authtype, by its pre-encoded credential.
  if (request->has_capability("authtype") && !request->credential.empty()) {
    query.password = request->credential;
  } else if (request->password_given) {
    query.password = request->password;
  }
  Config config;
  Result<std::unique_ptr<store::Store>> store = store_for(*request, config);
  if (!store) {
    return failed(store.error());
  }
  explain_refusal(config, **store, *request);
  Result<bool> erased = (*store)->erase(query);
  return erased ? 0 : failed(erased.error());
}

} // namespace patrol::helper
