#pragma once
// A git credential as a Secret Service item, for both ways patrol speaks to the service
// (libsecret, for writes and listings; the direct read path, for a get): the schema
// names, the attributes searched and written, the label, the keys read back from an
// item's attributes, and the words of the errors both paths give. Pure: no D-Bus here.
//
// Attributes (never confidential, never anything but these): user, object (path),
// protocol, server (host without port), port (only when the host has one) — exactly
// git-credential-libsecret's. The secret, expiry, refresh token and patrol's own data
// live in the secret text (secret_text.hpp).
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "store/record.hpp"

namespace patrol::store::secret_item {

using Attributes = std::map<std::string, std::string>;

// Searches use git's own name with DONT_MATCH_NAME, as newer git does, so they find both
// git's and patrol's items whatever their schema name. Items are written under
// NetworkPassword: git 2.39's helper (Debian bookworm) matches the name and uses that
// one, newer git ignores it; it is the one name both git versions find.
inline constexpr std::string_view search_schema_name = "org.git.Password";
inline constexpr std::string_view write_schema_name = "org.gnome.keyring.NetworkPassword";
// A pre-encoded credential (git's authtype and credential) is patrol's own item: its host
// is under `patrol_server`, not `server`, so git-credential-libsecret, which finds items
// by server and takes the secret for a password, never hands it out as one.
inline constexpr std::string_view authtype_schema_name = "org.git-credential-patrol.Credential";
// The attribute libsecret keeps an item's schema name in.
inline constexpr std::string_view schema_attribute = "xdg:schema";
// Schemas whose items are git credentials: git's own, and the one git 2.39 uses.
inline constexpr std::array<std::string_view, 2> git_schema_names{search_schema_name,
                                                                  write_schema_name};
// Every schema patrol's items are under, for listing them all.
inline constexpr std::array<std::string_view, 3> all_schema_names{
    search_schema_name, write_schema_name, authtype_schema_name};

// git's host is "name[:port]"; git's helper keeps the port as its own integer attribute.
struct HostPort {
  std::string server;
  std::optional<unsigned> port;
};
[[nodiscard]] HostPort split_host(std::string_view host);

// The attribute holding the host: `server`, or `patrol_server` for a pre-encoded one.
[[nodiscard]] const char* server_attribute(bool pre_encoded);

// The attributes to search with: the query's non-empty fields, no schema name. No
// `object` when the query has no path, so items with a path are found and then refused
// by matches().
[[nodiscard]] Attributes search_attributes(const Query& query, bool pre_encoded);
// Exactly what git-credential-libsecret stores for the same credential.
[[nodiscard]] Attributes item_attributes(const Record& record);
// git-credential-libsecret's label: "Git: <protocol>://<server>[:<port>]/<path>".
[[nodiscard]] std::string item_label(const Record& record);

// The lookup keys of an item, or nullopt for an item that is not a git credential. The
// search ignores schema names, so it also returns other programs' items that happen to
// carry a server and a protocol: git's items are those under one of git's schema names
// (every libsecret writer stores one; secret-tool and raw D-Bus clients store none),
// without the NetworkPassword attributes git never sets (domain, authtype: gvfs and other
// GNOME programs share that schema), and with a port that is a number.
[[nodiscard]] std::optional<Record> keys_of(const Attributes& attributes);

// The item's secret text (secret_text.hpp) read into the record's secret fields; the
// caller wipes `text`.
void read_secret(std::string_view text, Record& record);

// Attributes are UTF-8 text: a credential whose keys are not cannot be an item.
[[nodiscard]] bool valid_keys(const Record& keys);
[[nodiscard]] bool valid_keys(const Query& query);
[[nodiscard]] bool same_keys(const Record& a, const Record& b);

// The words of the errors, the same whichever path met them.
inline constexpr std::string_view start_fix =
    "start gnome-keyring-daemon (or another Secret Service) in your D-Bus session, or set "
    "patrol.store=file";
inline constexpr std::string_view unlock_fix =
    "unlock your login keyring (for example by logging in to the desktop, or "
    "`gnome-keyring-daemon --unlock`)";
[[nodiscard]] tl::unexpected<Error> locked_error();
// Locked, and git's credential.interactive=false forbids the service's unlock prompt.
[[nodiscard]] tl::unexpected<Error> no_prompt_error();

// The bus name the Secret Service answers on: SECRET_SERVICE_BUS_NAME, which libsecret
// reads too, else org.freedesktop.secrets.
[[nodiscard]] std::string bus_name();

} // namespace patrol::store::secret_item
