#include "helper/git/protocol.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <utility>

#include "common/git_bool.hpp"
#include "common/host_port.hpp"
#include "common/percent.hpp"

namespace patrol::helper {
namespace {

constexpr std::string_view forbidden_in_values{"\r\n\0", 3};

tl::unexpected<Error> invalid(std::string message) {
  return fail(Errc::invalid_input, std::move(message));
}

tl::unexpected<Error> invalid_line(std::size_t line, std::string_view problem) {
  std::string message = "credential input line ";
  message += std::to_string(line);
  message += ": ";
  message += problem;
  return invalid(std::move(message));
}

// git reads the expiry with strtoumax and treats 0 or an overflow as "never expires"; a
// value without digits also reads as 0. Mirrored: leading blanks and '+' are skipped,
// digits read up to the first other byte, and anything git would not read as a positive
// time (including a '-', which git wraps to the far future) leaves the field unset.
std::optional<std::int64_t> parse_expiry(std::string_view value) {
  std::size_t at = value.find_first_not_of(" \t\v\f");
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  if (value[at] == '+') {
    ++at;
  }
  std::int64_t number = 0;
  bool digits = false;
  for (; at < value.size() && value[at] >= '0' && value[at] <= '9'; ++at) {
    const int digit = value[at] - '0';
    if (number > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
      return std::nullopt;
    }
    number = number * 10 + digit;
    digits = true;
  }
  if (!digits || number == 0) {
    return std::nullopt;
  }
  return number;
}

// git's url_decode_mem: "%XY" becomes one byte when both are hex digits and the byte is
// not NUL; any other '%' stays as it is.
std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '%' && text.size() - at >= 3) {
      const int high = hex_value(text[at + 1]);
      const int low = hex_value(text[at + 2]);
      if (high >= 0 && low >= 0 && (high | low) != 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        at += 2;
        continue;
      }
    }
    out.push_back(text[at]);
  }
  return out;
}

bool holds_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

// git's credential_from_url: protocol://[user[:password]@]host[/path], where the host ends
// at the first '/', '?' or '#', user, password, host and path are percent-decoded, and the
// path loses its leading and trailing slashes. git starts from a cleared credential.
Result<Credential> from_url(std::string_view url, std::size_t line) {
  const std::size_t protocol_end = url.find("://");
  if (protocol_end == std::string_view::npos || protocol_end == 0) {
    return invalid_line(line, "url has no protocol (expected protocol://host)");
  }
  Credential c;
  c.protocol = std::string(url.substr(0, protocol_end));
  const std::string_view rest = url.substr(protocol_end + 3);
  const std::size_t at = rest.find('@');
  const std::size_t colon = rest.find(':');
  const std::size_t slash = std::min(rest.find_first_of("/?#"), rest.size());

  std::size_t host_begin = 0;
  if (at != std::string_view::npos && at < slash) {
    std::string password;
    c.username_given = true;
    if (colon == std::string_view::npos || at <= colon) {
      c.username = url_decode(rest.substr(0, at));
    } else {
      c.username = url_decode(rest.substr(0, colon));
      password = url_decode(rest.substr(colon + 1, at - colon - 1));
      c.password_given = true;
    }
    const bool bad_password = holds_line_break(password);
    c.password = Secret(std::move(password));
    wipe(password);
    if (bad_password) {
      return invalid_line(line, "url password holds a newline or carriage return");
    }
    host_begin = at + 1;
  }
  c.host = url_decode(rest.substr(host_begin, slash - host_begin));

  std::string_view path = rest.substr(slash);
  path.remove_prefix(std::min(path.find_first_not_of('/'), path.size()));
  if (!path.empty()) {
    c.path = url_decode(path);
    const std::size_t keep = c.path.find_last_not_of('/');
    c.path.resize(keep == std::string::npos ? 1 : keep + 1);
  }

  const std::array<std::pair<std::string_view, const std::string*>, 4> parts{{
      {"protocol", &c.protocol},
      {"username", &c.username},
      {"host", &c.host},
      {"path", &c.path},
  }};
  for (const auto& [name, part] : parts) {
    if (holds_line_break(*part)) {
      return invalid_line(line, "url " + std::string(name) + " holds a newline or carriage return");
    }
  }
  return c;
}

// "key[]" lists: an empty value clears the list, as git-credential(1) says.
void append(std::vector<std::string>& list, std::string_view value) {
  if (value.empty()) {
    list.clear();
  } else {
    list.emplace_back(value);
  }
}

Result<void> set_flag(bool& flag, std::string_view key, std::string_view value, std::size_t line) {
  const std::optional<bool> parsed = parse_git_bool(value);
  if (!parsed) {
    return invalid_line(line, "bad boolean value for " + std::string(key));
  }
  flag = *parsed;
  return {};
}

// One key=value pair applied to the credential; unknown keys are ignored.
Result<void> apply(Credential& c, std::string_view key, std::string_view value, std::size_t line) {
  if (key == "protocol") {
    c.protocol = value;
  } else if (key == "host") {
    c.host = value;
  } else if (key == "path") {
    c.path = value;
  } else if (key == "username") {
    c.username = value;
    c.username_given = true;
  } else if (key == "password") {
    c.password = Secret(std::string(value));
    c.password_given = true;
  } else if (key == "url") {
    Result<Credential> parsed = from_url(value, line);
    if (!parsed) {
      return tl::unexpected(parsed.error());
    }
    c = std::move(*parsed);
  } else if (key == "oauth_refresh_token") {
    c.oauth_refresh_token = Secret(std::string(value));
  } else if (key == "password_expiry_utc") {
    c.password_expiry_utc = parse_expiry(value);
  } else if (key == "capability[]") {
    if (value.empty()) {
      c.capabilities.clear();
    } else if (!c.has_capability(value)) {
      c.capabilities.emplace_back(value);
    }
  } else if (key == "authtype") {
    c.authtype = value;
  } else if (key == "credential") {
    c.credential = Secret(std::string(value));
  } else if (key == "wwwauth[]") {
    append(c.wwwauth, value);
  } else if (key == "state[]") {
    append(c.state, value);
  } else if (key == "ephemeral") {
    return set_flag(c.ephemeral, key, value, line);
  } else if (key == "continue") {
    return set_flag(c.continue_, key, value, line);
  } else if (key == "quit") {
    return set_flag(c.quit, key, value, line);
  }
  return {};
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool writable(std::string_view value) {
  return value.find_first_of(forbidden_in_values) == std::string_view::npos;
}

} // namespace

bool Credential::has_capability(std::string_view name) const {
  return contains(capabilities, name);
}

Result<Credential> parse(std::string_view input) {
  Credential c;
  std::size_t offset = 0;
  for (std::size_t line = 1; offset < input.size(); ++line) {
    const std::size_t newline = input.find('\n', offset);
    const std::size_t end = newline == std::string_view::npos ? input.size() : newline + 1;
    if (end - offset > max_line_bytes) {
      return invalid_line(line, "line longer than 65535 bytes");
    }
    if (end > max_input_bytes) {
      return invalid_line(line, "input longer than 1 MiB");
    }
    std::string_view text = input.substr(offset, end - offset);
    offset = end;
    // strbuf_getline: "\n" ends a line, and a "\r" right before it goes with it.
    if (!text.empty() && text.back() == '\n') {
      text.remove_suffix(1);
      if (!text.empty() && text.back() == '\r') {
        text.remove_suffix(1);
      }
    }
    if (text.empty()) {
      break;
    }
    if (text.find('\0') != std::string_view::npos) {
      return invalid_line(line, "NUL byte in the line");
    }
    // git 2.39 would keep such a CR in the value; refused, as git since 2.47.2 (and 2.40.4)
    // refuses to send one: it is how CRLF-smuggled attributes reach a helper.
    if (text.find('\r') != std::string_view::npos) {
      return invalid_line(line, "carriage return inside the line");
    }
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) {
      return invalid_line(line, "no '=' between key and value");
    }
    Result<void> applied = apply(c, text.substr(0, equals), text.substr(equals + 1), line);
    if (!applied) {
      return tl::unexpected(applied.error());
    }
  }
  // One spelling per origin, so every store keeps and finds "d.example:0443",
  // "d.example:443" and "d.example" (https) under one key.
  std::optional<std::string> host = canonical_host(c.protocol, c.host);
  if (!host) {
    return invalid("credential input: the port in host= is not a number from 1 to 65535");
  }
  c.host = std::move(*host);
  return c;
}

Result<std::string> write(const Credential& reply, const std::vector<std::string>& advertised) {
  const auto in_effect = [&](std::string_view capability) {
    return reply.has_capability(capability) && contains(advertised, capability);
  };
  const bool authtype = in_effect("authtype");
  const bool state = in_effect("state");

  // Fields in git's order; an empty value is not written unless it is a given username or
  // password (git tells "username=" from no username at all).
  struct Field {
    std::string_view key;
    std::string_view value;
    bool even_empty = false;
  };
  std::vector<Field> fields;
  for (const std::string& capability : reply.capabilities) {
    if (contains(advertised, capability)) {
      fields.push_back({"capability[]", capability});
    }
  }
  if (authtype) {
    fields.push_back({"authtype", reply.authtype});
    fields.push_back({"credential", reply.credential.view()});
    fields.push_back({"ephemeral", reply.ephemeral ? "1" : ""});
  }
  fields.push_back({"protocol", reply.protocol});
  fields.push_back({"host", reply.host});
  fields.push_back({"path", reply.path});
  fields.push_back({"username", reply.username, reply.username_given});
  fields.push_back({"password", reply.password.view(), reply.password_given});
  fields.push_back({"oauth_refresh_token", reply.oauth_refresh_token.view()});
  const std::string expiry = reply.password_expiry_utc && *reply.password_expiry_utc > 0
                                 ? std::to_string(*reply.password_expiry_utc)
                                 : std::string();
  fields.push_back({"password_expiry_utc", expiry});
  if (state) {
    fields.push_back({"continue", reply.continue_ ? "1" : ""});
    for (const std::string& item : reply.state) {
      fields.push_back({"state[]", item});
    }
  }
  fields.push_back({"quit", reply.quit ? "1" : ""});

  // Checked and sized first: the output holds secrets, so it is never reallocated.
  std::size_t size = 0;
  for (const Field& field : fields) {
    if (!writable(field.value)) {
      return invalid("cannot write the " + std::string(field.key) +
                     " attribute: its value holds a CR, LF or NUL byte");
    }
    size +=
        field.value.empty() && !field.even_empty ? 0 : field.key.size() + field.value.size() + 2;
  }
  std::string out;
  out.reserve(size);
  for (const Field& field : fields) {
    if (!field.value.empty() || field.even_empty) {
      out.append(field.key).append(1, '=').append(field.value).append(1, '\n');
    }
  }
  return out;
}

} // namespace patrol::helper
