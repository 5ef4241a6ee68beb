#include "helper/git/url_match.hpp"

#include <algorithm>
#include <cstdint>

#include "common/ascii.hpp"
#include "common/host_port.hpp"
#include "common/percent.hpp"

namespace patrol::helper {
namespace {

constexpr std::string_view alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view digits = "0123456789";
constexpr std::string_view unsafe_chars = " <>\"%{}|\\^`"; // plus controls and 0x7F-0xFF
constexpr std::string_view reserved_chars = ":/?#[]@!$&'()*+,;=";

bool in(std::string_view set, char c) { return set.find(c) != std::string_view::npos; }
bool is_alpha(char c) { return in(alpha, c); }
bool is_scheme_char(char c) { return is_alpha(c) || in(digits, c) || in("+.-", c); }
bool is_host_char(char c, bool allow_globs) {
  return is_alpha(c) || in(digits, c) || in(".-_[:]", c) || (allow_globs && c == '*');
}

// Appends `from`, decoding %XX escapes that need not be escaped and escaping what must
// be; escaped reserved characters stay escaped so delimiters keep their meaning.
bool append_normalized_escapes(std::string& out, std::string_view from) {
  std::size_t i = 0;
  while (i < from.size()) {
    char c = from[i++];
    bool was_escaped = false;
    if (c == '%') {
      if (from.size() - i < 2) {
        return false;
      }
      const int high = hex_value(from[i]);
      const int low = hex_value(from[i + 1]);
      if (high < 0 || low < 0) {
        return false;
      }
      c = static_cast<char>(high * 16 + low);
      i += 2;
      was_escaped = true;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x1F || byte >= 0x7F || in(unsafe_chars, c) ||
        (was_escaped && in(reserved_chars, c))) {
      append_escaped(out, byte);
    } else {
      out += c;
    }
  }
  return true;
}

tl::unexpected<Error> bad_url(std::string_view reason) {
  return fail(Errc::invalid_input, std::string(reason));
}

std::size_t find_first_of_or_end(std::string_view s, std::string_view set, std::size_t from) {
  const std::size_t at = s.find_first_of(set, from);
  return at == std::string_view::npos ? s.size() : at;
}

Result<NormalizedUrl> normalize(std::string_view input, bool allow_globs) {
  // A C string ends at its first NUL; so does a URL here, as in git.
  const std::string_view url = input.substr(0, input.find('\0'));
  NormalizedUrl out;
  std::string& norm = out.text;

  std::size_t scheme_len = 0;
  while (scheme_len < url.size() && is_scheme_char(url[scheme_len])) {
    ++scheme_len;
  }
  if (scheme_len == 0 || !is_alpha(url[0]) || scheme_len + 3 > url.size() ||
      url.substr(scheme_len, 3) != "://") {
    return bad_url("invalid URL scheme name or missing '://' suffix");
  }
  for (std::size_t i = 0; i < scheme_len + 3; ++i) {
    norm += ascii_lower(url[i]);
  }
  out.scheme_len = scheme_len;
  std::size_t pos = scheme_len + 3;

  // user[:password]@ before the first '/', '?' or '#'
  const std::size_t slash = find_first_of_or_end(url, "/?#", pos);
  const std::size_t at = url.find('@', pos);
  if (at != std::string_view::npos && at < slash) {
    out.user_off = norm.size();
    if (at > pos) {
      if (!append_normalized_escapes(norm, url.substr(pos, at - pos))) {
        return bad_url("invalid %XX escape sequence");
      }
      const std::size_t userinfo = scheme_len + 3;
      const std::size_t colon = norm.find(':', userinfo);
      if (colon != std::string::npos) {
        out.passwd_off = colon + 1;
        out.passwd_len = norm.size() - out.passwd_off;
        out.user_len = colon - userinfo;
      } else {
        out.user_len = norm.size() - userinfo;
      }
    }
    norm += '@';
    pos = at + 1;
  }

  // host, then an optional ":port"
  const bool is_file = norm.compare(0, 5, "file:") == 0;
  if (pos == url.size() || in(":/?#", url[pos])) {
    if (!is_file) {
      return bad_url("missing host and scheme is not 'file:'");
    }
  } else {
    out.host_off = norm.size();
  }
  // The port starts at the last ':' not inside an IPv6 literal's brackets.
  std::size_t colon = slash;
  for (std::size_t i = slash; i > pos;) {
    --i;
    if (url[i] == ':') {
      colon = i;
      break;
    }
    if (url[i] == ']') {
      break;
    }
  }
  if (colon < slash && out.host_off == 0 && colon + 1 != slash) {
    return bad_url("a 'file:' URL may not have a port number");
  }
  for (std::size_t i = pos; i < colon; ++i) {
    if (!is_host_char(url[i], allow_globs)) {
      return bad_url("invalid characters in host name");
    }
  }
  for (; pos < colon; ++pos) {
    norm += ascii_lower(url[pos]);
  }

  if (colon < slash) {
    const std::string_view scheme = std::string_view(norm).substr(0, norm.find(':'));
    const std::optional<std::string> port =
        canonical_port(scheme, url.substr(colon + 1, slash - colon - 1));
    if (!port) {
      return bad_url("invalid port number");
    }
    if (!port->empty()) {
      norm += ':';
      out.port_off = norm.size();
      norm += *port;
      out.port_len = port->size();
    }
    pos = slash;
  }
  if (out.host_off != 0) {
    out.host_len = norm.size() - out.host_off - (out.port_len != 0 ? out.port_len + 1 : 0);
  }

  // The path, segment by segment, resolving "." and ".." after decoding escapes.
  out.path_off = norm.size();
  norm += '/';
  if (pos < url.size() && url[pos] == '/') {
    ++pos;
  }
  for (;;) {
    const std::size_t segment_off = norm.size();
    const std::size_t next = find_first_of_or_end(url, "/?#", pos);
    bool skip_slash = false;
    if (!append_normalized_escapes(norm, url.substr(pos, next - pos))) {
      return bad_url("invalid %XX escape sequence");
    }
    const std::string_view segment = std::string_view(norm).substr(segment_off);
    if (segment == ".") {
      if (segment_off == out.path_off + 1) {
        norm.resize(norm.size() - 1); // keep the path's leading '/'
        skip_slash = true;
      } else {
        norm.resize(norm.size() - 2);
      }
    } else if (segment == "..") {
      std::size_t prev = norm.size() - 3;
      if (prev == out.path_off) {
        return bad_url("invalid '..' path segment");
      }
      do {
        --prev;
      } while (norm[prev] != '/');
      if (prev == out.path_off) {
        norm.resize(prev + 1);
        skip_slash = true;
      } else {
        norm.resize(prev);
      }
    }
    pos = next;
    if (pos == url.size() || url[pos] != '/') {
      break;
    }
    ++pos;
    if (!skip_slash) {
      norm += '/';
    }
  }
  out.path_len = norm.size() - out.path_off;

  // "?query#fragment": escapes normalised, nothing else touched.
  if (pos < url.size() && !append_normalized_escapes(norm, url.substr(pos))) {
    return bad_url("invalid %XX escape sequence");
  }
  return out;
}

// Host labels compared one by one; a pattern label "*" matches any one label.
bool match_host(const NormalizedUrl& url, const NormalizedUrl& pattern) {
  std::string_view u = std::string_view(url.text).substr(url.host_off, url.host_len);
  std::string_view p = std::string_view(pattern.text).substr(pattern.host_off, pattern.host_len);
  while (!u.empty() && !p.empty()) {
    const std::size_t u_end = std::min(u.find('.'), u.size());
    const std::size_t p_end = std::min(p.find('.'), p.size());
    if (!(p_end == 1 && p[0] == '*') && u.substr(0, u_end) != p.substr(0, p_end)) {
      return false;
    }
    u.remove_prefix(std::min(u_end + 1, u.size()));
    p.remove_prefix(std::min(p_end + 1, p.size()));
  }
  return u.empty() && p.empty();
}

// The length of the match of prefix against path on a '/' boundary, counting an
// implicit final '/', or 0 when it does not match.
std::size_t match_path_prefix(std::string_view path, std::string_view prefix) {
  if (prefix.empty() || prefix == "/") {
    return (path.empty() || path[0] == '/') ? 1 : 0;
  }
  if (prefix.back() == '/') {
    prefix.remove_suffix(1);
  }
  if (path.substr(0, prefix.size()) != prefix) {
    return 0;
  }
  if (path.size() == prefix.size() || path[prefix.size()] == '/') {
    return prefix.size() + 1;
  }
  return 0;
}

} // namespace

Result<NormalizedUrl> normalize_url(std::string_view url) { return normalize(url, false); }

Result<NormalizedUrl> normalize_url_pattern(std::string_view pattern) {
  return normalize(pattern, true);
}

std::optional<UrlMatch> match_url(const NormalizedUrl& url, const NormalizedUrl& pattern) {
  const std::string_view u = url.text;
  const std::string_view p = pattern.text;
  if (url.scheme_len != pattern.scheme_len ||
      u.substr(0, url.scheme_len) != p.substr(0, pattern.scheme_len)) {
    return std::nullopt;
  }
  UrlMatch match;
  if (pattern.user_off != 0) {
    if (url.user_off == 0 ||
        u.substr(url.user_off, url.user_len) != p.substr(pattern.user_off, pattern.user_len)) {
      return std::nullopt;
    }
    match.user_matched = true;
  }
  if (!match_host(url, pattern)) {
    return std::nullopt;
  }
  if (u.substr(url.port_off, url.port_len) != p.substr(pattern.port_off, pattern.port_len)) {
    return std::nullopt;
  }
  // Both sides include any "?query": git compares the URL's whole tail after the host.
  match.path_len = match_path_prefix(u.substr(url.path_off), p.substr(pattern.path_off));
  if (match.path_len == 0) {
    return std::nullopt;
  }
  match.host_len = pattern.host_len;
  return match;
}

int compare_specificity(const UrlMatch& a, const UrlMatch& b) {
  if (a.host_len != b.host_len) {
    return a.host_len < b.host_len ? -1 : 1;
  }
  if (a.path_len != b.path_len) {
    return a.path_len < b.path_len ? -1 : 1;
  }
  if (a.user_matched != b.user_matched) {
    return b.user_matched ? -1 : 1;
  }
  return 0;
}

} // namespace patrol::helper
