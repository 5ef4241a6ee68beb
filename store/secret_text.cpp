#include "store/secret_text.hpp"

#include <charconv>
#include <string>

#include "common/scope_list.hpp"

namespace patrol::store::secret_text {

namespace {

constexpr std::string_view expiry_prefix = "password_expiry_utc=";
constexpr std::string_view refresh_prefix = "oauth_refresh_token=";
constexpr std::string_view kind_prefix = "patrol_kind=";
constexpr std::string_view scopes_prefix = "patrol_scopes=";
constexpr std::string_view token_id_prefix = "patrol_token_id=";
constexpr std::string_view token_name_prefix = "patrol_token_name=";
constexpr std::string_view checked_at_prefix = "patrol_checked_at=";
constexpr std::string_view state_prefix = "patrol_state=";
constexpr std::string_view warned_at_prefix = "patrol_warned_at=";

bool one_line(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void add_line(std::string& text, std::string_view prefix, std::string_view value) {
  text += '\n';
  text += prefix;
  text += value;
}

std::optional<std::int64_t> parse_number(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [next, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || next != end) {
    return std::nullopt;
  }
  return value;
}

} // namespace

Result<Secret> encode(const Record& record) {
  bool valid = one_line(record.secret.view()) && one_line(record.refresh_token.view()) &&
               one_line(record.token_id) && one_line(record.token_name);
  for (const std::string& scope : record.scopes) {
    valid = valid && !scope.empty() && one_line(scope) && scope.find(' ') == std::string::npos;
  }
  if (!valid) {
    return fail(Errc::invalid_input,
                "a credential field holds a line break or NUL and cannot be stored");
  }

  std::string text(record.secret.view());
  if (record.expires_at) {
    add_line(text, expiry_prefix, std::to_string(*record.expires_at));
  }
  if (!record.refresh_token.empty()) {
    add_line(text, refresh_prefix, record.refresh_token.view());
  }
  if (record.kind != Kind::password) {
    add_line(text, kind_prefix, to_string(record.kind));
  }
  if (!record.scopes.empty()) {
    add_line(text, scopes_prefix, join_scopes(record.scopes, " "));
  }
  if (!record.token_id.empty()) {
    add_line(text, token_id_prefix, record.token_id);
  }
  if (!record.token_name.empty()) {
    add_line(text, token_name_prefix, record.token_name);
  }
  if (record.checked_at) {
    add_line(text, checked_at_prefix, std::to_string(*record.checked_at));
  }
  if (record.state != State::active) {
    add_line(text, state_prefix, to_string(record.state));
  }
  if (record.warned_at) {
    add_line(text, warned_at_prefix, std::to_string(*record.warned_at));
  }
  Secret encoded(text);
  wipe(text);
  return encoded;
}

Record decode(std::string_view text) {
  Record record;
  std::size_t end = text.find('\n');
  record.secret = Secret(std::string(text.substr(0, end)));
  while (end != std::string_view::npos) {
    const std::size_t start = end + 1;
    end = text.find('\n', start);
    const std::string_view line =
        text.substr(start, end == std::string_view::npos ? end : end - start);
    if (line.starts_with(expiry_prefix)) {
      record.expires_at = parse_number(line.substr(expiry_prefix.size()));
    } else if (line.starts_with(refresh_prefix)) {
      record.refresh_token = Secret(std::string(line.substr(refresh_prefix.size())));
    } else if (line.starts_with(kind_prefix)) {
      record.kind = kind_from_string(line.substr(kind_prefix.size())).value_or(Kind::password);
    } else if (line.starts_with(scopes_prefix)) {
      record.scopes = split_scopes(line.substr(scopes_prefix.size()));
    } else if (line.starts_with(token_id_prefix)) {
      record.token_id = std::string(line.substr(token_id_prefix.size()));
    } else if (line.starts_with(token_name_prefix)) {
      record.token_name = std::string(line.substr(token_name_prefix.size()));
    } else if (line.starts_with(checked_at_prefix)) {
      record.checked_at = parse_number(line.substr(checked_at_prefix.size()));
    } else if (line.starts_with(state_prefix)) {
      record.state = state_from_string(line.substr(state_prefix.size())).value_or(State::active);
    } else if (line.starts_with(warned_at_prefix)) {
      record.warned_at = parse_number(line.substr(warned_at_prefix.size()));
    }
  }
  return record;
}

} // namespace patrol::store::secret_text
