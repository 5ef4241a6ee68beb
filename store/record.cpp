#include "store/record.hpp"

#include <array>
#include <utility>

#include "common/host_port.hpp"

namespace patrol::store {

namespace {

// The names used in the secret text (patrol_kind=) and in `status`.
constexpr std::array<std::pair<Kind, std::string_view>, 3> kind_names{{
    {Kind::password, "password"},
    {Kind::pat, "pat"},
    {Kind::oauth, "oauth"},
}};

// The names used in the secret text (patrol_state=), the file store and `status --json`.
constexpr std::array<std::pair<State, std::string_view>, 3> state_names{{
    {State::active, "active"},
    {State::expired, "expired"},
    {State::revoked, "revoked"},
}};

} // namespace

Query query_for(const Record& record) {
  Query query{record.protocol, record.host, record.path, record.username, std::nullopt};
  query.username_given = true;
  return query;
}

// The host in canonical form, as matches() compares it: a record kept as "d.example:0443"
// is replaced by a save for "d.example", not left beside it to answer every get.
bool same_credential(const Record& a, const Record& b) {
  return a.protocol == b.protocol && same_host(a.protocol, a.host, b.host) && a.path == b.path &&
         a.username == b.username && a.authtype == b.authtype;
}

std::string_view to_string(Kind kind) {
  for (const auto& [value, name] : kind_names) {
    if (value == kind) {
      return name;
    }
  }
  return "password";
}

std::optional<Kind> kind_from_string(std::string_view text) {
  for (const auto& [value, name] : kind_names) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

std::string_view to_string(State state) {
  for (const auto& [value, name] : state_names) {
    if (value == state) {
      return name;
    }
  }
  return "active";
}

std::optional<State> state_from_string(std::string_view text) {
  for (const auto& [value, name] : state_names) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

} // namespace patrol::store
