#include "store/secret_service_direct.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string_view>
#include <utility>
#include <vector>

#include "common/secret.hpp"
#include "common/text.hpp"
#include "store/dbus/connection.hpp"
#include "store/dbus/value.hpp"
#include "store/match.hpp"
#include "store/secret_item.hpp"
#include "store/secret_session.hpp"

namespace patrol::store::secret_direct {
namespace {

using namespace std::chrono_literals;
using dbus::Value;

constexpr std::string_view service_path = "/org/freedesktop/secrets";
constexpr std::string_view service_interface = "org.freedesktop.Secret.Service";
constexpr std::string_view item_interface = "org.freedesktop.Secret.Item";
constexpr std::string_view prompt_interface = "org.freedesktop.Secret.Prompt";

// GDBus's default for a call, which libsecret's path has: the service may have to start.
constexpr std::chrono::milliseconds call_timeout = 25s;
// The auto store's probe decides between stores while git waits: a silent service is absent.
constexpr std::chrono::milliseconds probe_timeout = 5s;
// As search() in secret_service.cpp: an item deleted meanwhile means search again.
constexpr int tries = 4;

// The process's one connection and session, kept until exit as GLib keeps its shared
// connection: the probe, the presence check and the get share one handshake.
struct Conversation {
  dbus::Connection bus;
  std::optional<SecretSession> session; // nullopt: not opened yet
  bool plain = false;                   // the service offered only the "plain" algorithm
  std::string session_path;
};

Result<Conversation*> conversation() {
  static std::optional<Conversation> kept;
  if (!kept) {
    Result<dbus::Connection> bus = dbus::Connection::session(probe_timeout);
    if (!bus) {
      if (bus.error().code == Errc::unsupported) {
        return tl::unexpected(bus.error());
      }
      return fail(Errc::store_unavailable,
                  bus.error().message + "; " + std::string(secret_item::start_fix));
    }
    kept.emplace(Conversation{std::move(*bus), std::nullopt, false, ""});
  }
  return &*kept;
}

dbus::Call service_call(std::string_view path, std::string_view interface, std::string_view member,
                        std::vector<Value> args) {
  return dbus::Call{secret_item::bus_name(), std::string(path), std::string(interface),
                    std::string(member), std::move(args)};
}

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The service's words, as data on one line.
std::string detail(const dbus::Reply& reply) {
  std::string text = reply.error_name;
  if (!reply.error_message.empty()) {
    text += ": " + reply.error_message;
  }
  return " (" + clipped(shown(text), 200) + ")";
}

// One sentence for a D-Bus error answering a call; `what` names the call ("searching").
// `vanished` is set when the error says an object is gone (deleted since the search).
tl::unexpected<Error> translate(const dbus::Reply& reply, std::string_view what,
                                bool* vanished = nullptr) {
  const std::string& name = reply.error_name;
  if (name == "org.freedesktop.Secret.Error.IsLocked") {
    return secret_item::locked_error();
  }
  if (vanished != nullptr && one_of(name, {"org.freedesktop.DBus.Error.UnknownMethod",
                                           "org.freedesktop.DBus.Error.UnknownObject",
                                           "org.freedesktop.Secret.Error.NoSuchObject"})) {
    *vanished = true;
  }
  if (one_of(name,
             {"org.freedesktop.DBus.Error.ServiceUnknown",
              "org.freedesktop.DBus.Error.NameHasNoOwner", "org.freedesktop.DBus.Error.NoReply",
              "org.freedesktop.DBus.Error.Timeout", "org.freedesktop.DBus.Error.TimedOut",
              "org.freedesktop.DBus.Error.Disconnected", "org.freedesktop.DBus.Error.NoServer"}) ||
      name.rfind("org.freedesktop.DBus.Error.Spawn.", 0) == 0) {
    return fail(Errc::store_unavailable, "the Secret Service did not answer while " +
                                             std::string(what) + "; " +
                                             std::string(secret_item::start_fix) + detail(reply));
  }
  return fail(Errc::store_failed,
              "the Secret Service failed while " + std::string(what) + detail(reply));
}

tl::unexpected<Error> unexpected_answer(std::string_view what) {
  return fail(Errc::store_failed, "the Secret Service gave an answer of the wrong shape while " +
                                      std::string(what) + "; try again, and report it if it stays");
}

tl::unexpected<Error> silent(std::string_view what, const Error& error) {
  return fail(Errc::store_unavailable, "the Secret Service did not answer while " +
                                           std::string(what) + " (" + error.message + "); " +
                                           std::string(secret_item::start_fix));
}

// One call whose answer must be a method return; a transport failure names the service.
Result<dbus::Reply> ask(Conversation& talk, const dbus::Call& call, std::string_view what,
                        bool* vanished = nullptr,
                        std::chrono::milliseconds timeout = call_timeout) {
  Result<dbus::Reply> reply = talk.bus.call(call, timeout);
  if (!reply) {
    return silent(what, reply.error());
  }
  if (!reply->ok()) {
    return translate(*reply, what, vanished);
  }
  return reply;
}

std::vector<std::string> paths_of(const Value& list) {
  std::vector<std::string> paths;
  paths.reserve(list.items.size());
  for (const Value& each : list.items) {
    paths.push_back(each.text);
  }
  return paths;
}

// Unlocks the items through the service, with its prompt when it asks for one (a person
// types the keyring's password; no time limit, as libsecret). Returns the items unlocked.
Result<std::vector<std::string>> unlock(Conversation& talk, const std::vector<std::string>& items) {
  constexpr std::string_view what = "unlocking the keyring";
  std::vector<Value> paths;
  paths.reserve(items.size());
  for (const std::string& each : items) {
    paths.push_back(Value::object_path(each));
  }
  Result<dbus::Reply> reply = ask(talk,
                                  service_call(service_path, service_interface, "Unlock",
                                               {Value::array("o", std::move(paths))}),
                                  what);
  if (!reply) {
    return tl::unexpected(reply.error());
  }
  if (reply->body.size() != 2 || !reply->body[0].is("ao") || !reply->body[1].is("o")) {
    return unexpected_answer(what);
  }
  const std::string prompt = reply->body[1].text;
  if (prompt == "/") {
    return paths_of(reply->body[0]);
  }
  // The matches first, so the Completed signal cannot pass before it is listened for. The
  // service leaving the bus ends the wait too, as it ends libsecret's: a service that died
  // with its prompt open never sends Completed, and the wait has no time limit.
  const std::string name = secret_item::bus_name();
  for (const std::string& rule :
       {"type='signal',interface='org.freedesktop.Secret.Prompt',member='Completed',path='" +
            prompt + "'",
        "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
        "member='NameOwnerChanged',arg0='" +
            name + "'"}) {
    Result<void> listening = talk.bus.add_match(rule, call_timeout);
    if (!listening) {
      return silent(what, listening.error());
    }
  }
  Result<dbus::Reply> shown_prompt =
      ask(talk, service_call(prompt, prompt_interface, "Prompt", {Value::string("")}), what);
  if (!shown_prompt) {
    return tl::unexpected(shown_prompt.error());
  }
  // Only the service that made the prompt can complete it, and only the bus can say the
  // service left: another program on the bus cannot end the wait with a forged signal.
  Result<dbus::Message> completed =
      talk.bus.wait_signal({{prompt, prompt_interface, "Completed", reply->sender},
                            {"/org/freedesktop/DBus", "org.freedesktop.DBus", "NameOwnerChanged",
                             "org.freedesktop.DBus"}},
                           std::nullopt);
  if (!completed) {
    return silent(what, completed.error());
  }
  if (completed->member == "NameOwnerChanged") {
    return silent(what, Error{Errc::store_unavailable,
                              "it left the D-Bus session bus with its prompt still open"});
  }
  // Completed(b dismissed, v result): the result holds the unlocked objects.
  const std::vector<Value>& body = completed->body;
  if (body.size() != 2 || !body[0].is("b") || !body[1].is("v")) {
    return unexpected_answer(what);
  }
  if (body[0].number != 0) {
    return std::vector<std::string>{};
  }
  const Value* result = body[1].field(0);
  if (result == nullptr || !result->is("ao")) {
    return std::vector<std::string>{};
  }
  return paths_of(*result);
}

// The session the secret travels in, opened once per process: the DH algorithm, or
// "plain" when the service supports nothing else (libsecret's fallback too).
Result<void> open_session(Conversation& talk) {
  if (talk.session || talk.plain) {
    return {};
  }
  constexpr std::string_view what = "opening a session";
  Result<SecretSession> session = SecretSession::start();
  if (!session) {
    return tl::unexpected(session.error());
  }
  Result<dbus::Reply> reply =
      talk.bus.call(service_call(service_path, service_interface, "OpenSession",
                                 {Value::string(session_algorithm),
                                  Value::variant(Value::bytes(session->public_key()))}),
                    call_timeout);
  if (!reply) {
    return silent(what, reply.error());
  }
  if (reply->error_name == "org.freedesktop.DBus.Error.NotSupported") {
    reply = ask(talk,
                service_call(service_path, service_interface, "OpenSession",
                             {Value::string("plain"), Value::variant(Value::string(""))}),
                what);
    if (!reply) {
      return tl::unexpected(reply.error());
    }
    if (reply->body.size() != 2 || !reply->body[1].is("o")) {
      return unexpected_answer(what);
    }
    talk.plain = true;
    talk.session_path = reply->body[1].text;
    return {};
  }
  if (!reply->ok()) {
    return translate(*reply, what);
  }
  // OpenSession → (v output, o result): the output is the service's public key.
  const Value* output = reply->body.size() == 2 ? reply->body[0].field(0) : nullptr;
  if (output == nullptr || !output->is("ay") || !reply->body[1].is("o")) {
    return unexpected_answer(what);
  }
  Result<void> derived = session->derive(output->text);
  if (!derived) {
    return tl::unexpected(derived.error());
  }
  talk.session = std::move(*session);
  talk.session_path = reply->body[1].text;
  return {};
}

// The item's secret text, decrypted.
Result<Secret> load_secret(Conversation& talk, const std::string& item, bool& vanished) {
  constexpr std::string_view what = "reading the credential";
  Result<void> session = open_session(talk);
  if (!session) {
    return tl::unexpected(session.error());
  }
  Result<dbus::Reply> reply =
      ask(talk,
          service_call(item, item_interface, "GetSecret", {Value::object_path(talk.session_path)}),
          what, &vanished);
  if (!reply) {
    return tl::unexpected(reply.error());
  }
  // GetSecret → ((o session, ay parameters, ay value, s content_type)).
  if (reply->body.size() != 1 || !reply->body[0].is("(oayays)")) {
    return unexpected_answer(what);
  }
  Value& secret = reply->body[0];
  std::string& value = secret.items[2].text;
  if (talk.plain) {
    Secret text(value);
    wipe(value);
    return text;
  }
  return talk.session->decrypt(secret.items[1].text, value);
}

struct Candidate {
  std::string path;
  Record keys;
};

// Each item's attributes, read one by one: the keys it answers to (secret_item::keys_of).
Result<std::vector<Candidate>> candidates(Conversation& talk, const Query& query,
                                          const std::vector<std::string>& items, bool& vanished) {
  constexpr std::string_view what = "reading a credential's attributes";
  Query keys_only = query;
  keys_only.password.reset();
  std::vector<Candidate> found;
  for (const std::string& item : items) {
    Result<dbus::Reply> reply =
        ask(talk,
            service_call(item, "org.freedesktop.DBus.Properties", "Get",
                         {Value::string(item_interface), Value::string("Attributes")}),
            what, &vanished);
    if (!reply) {
      return tl::unexpected(reply.error());
    }
    const Value* attributes = reply->body.size() == 1 ? reply->body[0].field(0) : nullptr;
    if (attributes == nullptr || !attributes->is("a{ss}")) {
      return unexpected_answer(what);
    }
    secret_item::Attributes map;
    for (const Value& entry : attributes->items) {
      map.emplace(entry.items[0].text, entry.items[1].text);
    }
    std::optional<Record> keys = secret_item::keys_of(map);
    if (keys && matches(keys_only, *keys)) {
      found.push_back(Candidate{item, std::move(*keys)});
    }
  }
  return found;
}

Result<std::optional<Record>> find_once(Conversation& talk, const Query& query, bool may_prompt,
                                        bool& vanished) {
  constexpr std::string_view what = "searching for credentials";
  std::vector<secret_item::Attributes> searches{secret_item::search_attributes(query, false)};
  // Pre-encoded credentials only for a caller that can take them: one more search, by
  // patrol's own schema name (libsecret adds it for a schema that matches its name).
  if (query.authtype_ok) {
    secret_item::Attributes own = secret_item::search_attributes(query, true);
    own[std::string(secret_item::schema_attribute)] = secret_item::authtype_schema_name;
    searches.push_back(std::move(own));
  }
  std::vector<std::string> unlocked;
  std::vector<std::string> locked;
  for (const secret_item::Attributes& attributes : searches) {
    Result<dbus::Reply> reply =
        ask(talk,
            service_call(service_path, service_interface, "SearchItems",
                         {Value::string_dict({attributes.begin(), attributes.end()})}),
            what, &vanished);
    if (!reply) {
      return tl::unexpected(reply.error());
    }
    // SearchItems → (ao unlocked, ao locked).
    if (reply->body.size() != 2 || !reply->body[0].is("ao") || !reply->body[1].is("ao")) {
      return unexpected_answer(what);
    }
    for (std::string& path : paths_of(reply->body[0])) {
      unlocked.push_back(std::move(path));
    }
    for (std::string& path : paths_of(reply->body[1])) {
      locked.push_back(std::move(path));
    }
  }
  // As libsecret's SECRET_SEARCH_UNLOCK: a locked keyring holding a match is unlocked
  // (prompting) before anything is chosen, since a locked item's attributes are not
  // readable and it may be the better match. Not when git's credential.interactive is
  // false: then only what is unlocked already answers.
  bool still_locked = !locked.empty() && !may_prompt;
  if (!locked.empty() && may_prompt) {
    Result<std::vector<std::string>> opened = unlock(talk, locked);
    if (!opened) {
      return tl::unexpected(opened.error());
    }
    for (const std::string& path : locked) {
      if (std::find(opened->begin(), opened->end(), path) != opened->end()) {
        unlocked.push_back(path);
      } else {
        still_locked = true;
      }
    }
  }
  Result<std::vector<Candidate>> found = candidates(talk, query, unlocked, vanished);
  if (!found) {
    return tl::unexpected(found.error());
  }
  if (found->empty()) {
    if (still_locked) {
      return may_prompt ? secret_item::locked_error() : secret_item::no_prompt_error();
    }
    return std::optional<Record>{};
  }
  std::vector<Record> keys;
  keys.reserve(found->size());
  for (const Candidate& each : *found) {
    keys.push_back(each.keys);
  }
  // The best item by its attributes, then only its secret loaded; the next one in pick()'s
  // order only while the ones before it are dead (whether a token is usable is in its text).
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  std::optional<Record> first;
  for (const Record& next : ranked(std::move(keys))) {
    auto each = std::find_if(found->begin(), found->end(), [&](const Candidate& c) {
      return secret_item::same_keys(c.keys, next);
    });
    if (each == found->end()) {
      continue;
    }
    Result<Secret> text = load_secret(talk, each->path, vanished);
    if (!text) {
      return tl::unexpected(text.error());
    }
    Record record = each->keys;
    secret_item::read_secret(text->view(), record);
    if (usable(record, now)) {
      return std::optional<Record>(std::move(record));
    }
    if (!first) {
      first = std::move(record);
    }
  }
  return first;
}

} // namespace

Result<std::optional<Record>> find(const Query& query, bool may_prompt) {
  if (query.empty() || query.password) {
    return fail(Errc::unsupported, "a listing or a match by password is libsecret's");
  }
  if (!secret_item::valid_keys(query)) {
    return std::optional<Record>{}; // every item's attributes are UTF-8, so nothing can match
  }
  Result<Conversation*> talk = conversation();
  if (!talk) {
    return tl::unexpected(talk.error());
  }
  for (int attempt = 1;; ++attempt) {
    bool vanished = false;
    Result<std::optional<Record>> found = find_once(**talk, query, may_prompt, vanished);
    if (!vanished || attempt == tries) {
      return found;
    }
  }
}

Result<bool> service_present(const std::string& name) {
  Result<Conversation*> talk = conversation();
  if (!talk) {
    return tl::unexpected(talk.error());
  }
  constexpr std::string_view what = "looking for the Secret Service";
  const auto bus_call = [&](std::string_view member, std::vector<Value> args) {
    return ask(**talk,
               dbus::Call{"org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          std::string(member), std::move(args)},
               what);
  };
  Result<dbus::Reply> owned = bus_call("NameHasOwner", {Value::string(name)});
  if (!owned) {
    return tl::unexpected(owned.error());
  }
  if (owned->body.size() != 1 || !owned->body[0].is("b")) {
    return unexpected_answer(what);
  }
  if (owned->body[0].number != 0) {
    return true;
  }
  Result<dbus::Reply> activatable = bus_call("ListActivatableNames", {});
  if (!activatable) {
    return tl::unexpected(activatable.error());
  }
  if (activatable->body.size() != 1 || !activatable->body[0].is("as")) {
    return unexpected_answer(what);
  }
  const std::vector<Value>& names = activatable->body[0].items;
  return std::any_of(names.begin(), names.end(), [&](const Value& v) { return v.text == name; });
}

Result<std::string> default_alias() {
  Result<Conversation*> talk = conversation();
  if (!talk) {
    return tl::unexpected(talk.error());
  }
  constexpr std::string_view what = "asking for the default keyring";
  Result<dbus::Reply> reply =
      ask(**talk,
          service_call(service_path, service_interface, "ReadAlias", {Value::string("default")}),
          what, nullptr, probe_timeout);
  if (!reply) {
    return tl::unexpected(reply.error());
  }
  if (reply->body.size() != 1 || !reply->body[0].is("o")) {
    return unexpected_answer(what);
  }
  return reply->body[0].text;
}

} // namespace patrol::store::secret_direct
