#include "store/secret_item.hpp"

#include <charconv>
#include <cstdlib>

#include "common/host_port.hpp"
#include "common/utf8.hpp"
#include "store/secret_text.hpp"

namespace patrol::store::secret_item {
namespace {

std::optional<unsigned> parse_port(std::string_view text) {
  unsigned port = 0;
  const char* end = text.data() + text.size();
  auto [next, error] = std::from_chars(text.data(), end, port);
  if (text.empty() || error != std::errc() || next != end || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

// D-Bus strings are UTF-8 without NUL (GLib's g_utf8_validate refuses NUL too).
bool attribute_text(std::string_view text) {
  return text.find('\0') == std::string_view::npos && valid_utf8(text);
}

std::string value_of(const Attributes& attributes, std::string_view name) {
  auto found = attributes.find(std::string(name));
  return found != attributes.end() ? found->second : "";
}

} // namespace

HostPort split_host(std::string_view host) {
  const std::size_t colon = host.rfind(':');
  if (colon == std::string_view::npos || host.find(']', colon) != std::string_view::npos) {
    return {std::string(host), std::nullopt};
  }
  std::optional<unsigned> port = parse_port(host.substr(colon + 1));
  if (!port) {
    return {std::string(host), std::nullopt};
  }
  return {std::string(host.substr(0, colon)), port};
}

const char* server_attribute(bool pre_encoded) { return pre_encoded ? "patrol_server" : "server"; }

Attributes search_attributes(const Query& query, bool pre_encoded) {
  Attributes attributes;
  if (!query.protocol.empty()) {
    attributes["protocol"] = query.protocol;
  }
  if (!query.host.empty()) {
    HostPort host = split_host(query.host);
    attributes[server_attribute(pre_encoded)] = host.server;
    if (host.port) {
      attributes["port"] = std::to_string(*host.port);
    }
  }
  if (!query.path.empty()) {
    attributes["object"] = query.path;
  }
  if (!query.username.empty()) {
    attributes["user"] = query.username;
  }
  return attributes;
}

Attributes item_attributes(const Record& record) {
  Attributes attributes;
  HostPort host = split_host(record.host);
  const bool pre_encoded = !record.authtype.empty();
  attributes["protocol"] = record.protocol;
  attributes[server_attribute(pre_encoded)] = host.server;
  if (pre_encoded) {
    attributes["patrol_authtype"] = record.authtype;
  }
  if (host.port) {
    attributes["port"] = std::to_string(*host.port);
  }
  if (!record.path.empty()) {
    attributes["object"] = record.path;
  }
  // Even empty: git's helper keeps user="" for an empty-username credential and reads the
  // username back from it; without the attribute it would ask for a username.
  attributes["user"] = record.username;
  return attributes;
}

std::string item_label(const Record& record) {
  HostPort host = split_host(record.host);
  std::string label = "Git: " + record.protocol + "://" + host.server;
  if (host.port) {
    label += ':';
    label += std::to_string(*host.port); // no ":" + string: GCC 12 -Wrestrict, bug 105329
  }
  return label + "/" + record.path;
}

std::optional<Record> keys_of(const Attributes& attributes) {
  const std::string schema = value_of(attributes, schema_attribute);
  const bool pre_encoded = schema == authtype_schema_name;
  bool known_schema = pre_encoded;
  for (std::string_view name : git_schema_names) {
    known_schema = known_schema || schema == name;
  }
  const bool foreign = attributes.count("domain") != 0 || attributes.count("authtype") != 0;
  Record record;
  record.protocol = value_of(attributes, "protocol");
  record.host = value_of(attributes, server_attribute(pre_encoded));
  record.authtype = pre_encoded ? value_of(attributes, "patrol_authtype") : "";
  if (!known_schema || foreign || record.protocol.empty() || record.host.empty() ||
      (pre_encoded && record.authtype.empty())) {
    return std::nullopt;
  }
  const std::string port = value_of(attributes, "port");
  if (!port.empty()) {
    std::optional<std::string> host = canonical_host(record.protocol, record.host + ":" + port);
    if (!host) {
      return std::nullopt;
    }
    record.host = std::move(*host);
  }
  record.path = value_of(attributes, "object");
  record.username = value_of(attributes, "user");
  record.store = "secretservice";
  return record;
}

void read_secret(std::string_view text, Record& record) {
  Record fields = secret_text::decode(text);
  record.secret = std::move(fields.secret);
  record.kind = fields.kind;
  record.expires_at = fields.expires_at;
  record.refresh_token = std::move(fields.refresh_token);
  record.scopes = std::move(fields.scopes);
  record.token_id = std::move(fields.token_id);
  record.token_name = std::move(fields.token_name);
  record.checked_at = fields.checked_at;
  record.warned_at = fields.warned_at;
  record.state = fields.state;
}

bool valid_keys(const Record& keys) {
  return attribute_text(keys.protocol) && attribute_text(keys.host) && attribute_text(keys.path) &&
         attribute_text(keys.username);
}

bool valid_keys(const Query& query) {
  return attribute_text(query.protocol) && attribute_text(query.host) &&
         attribute_text(query.path) && attribute_text(query.username);
}

bool same_keys(const Record& a, const Record& b) {
  return a.protocol == b.protocol && a.host == b.host && a.path == b.path &&
         a.username == b.username && a.authtype == b.authtype;
}

tl::unexpected<Error> locked_error() {
  return fail(Errc::store_locked,
              "the keyring is locked and could not be unlocked; " + std::string(unlock_fix));
}

tl::unexpected<Error> no_prompt_error() {
  return fail(Errc::store_locked,
              "the keyring is locked, and credential.interactive=false forbids asking to "
              "unlock it; " +
                  std::string(unlock_fix));
}

std::string bus_name() {
  const char* name = std::getenv("SECRET_SERVICE_BUS_NAME");
  return name != nullptr && *name != '\0' ? name : "org.freedesktop.secrets";
}

} // namespace patrol::store::secret_item
