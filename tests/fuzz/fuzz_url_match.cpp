// libFuzzer target for helper/git/url_match: any two strings as a URL and a configuration
// URL. The parts of a normalised URL must lie inside its text with the path at a '/', and
// matching must not crash. (Normalising is not idempotent in git either: "h::/" becomes
// "h:/", which git then reads as an empty port; so that is not checked.)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "helper/git/url_match.hpp"

using namespace patrol::helper;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\n');
  const std::string_view url = input.substr(0, split);
  const std::string_view pattern =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);
  patrol::Result<NormalizedUrl> normal = normalize_url(url);
  if (normal) {
    const NormalizedUrl& n = *normal;
    const std::size_t length = n.text.size();
    const bool inside = n.scheme_len <= length && n.user_off + n.user_len <= length &&
                        n.passwd_off + n.passwd_len <= length &&
                        n.host_off + n.host_len <= length && n.port_off + n.port_len <= length &&
                        n.path_off + n.path_len <= length && n.path_off < length &&
                        n.text[n.path_off] == '/' && n.path_len >= 1;
    if (!inside) {
      std::fprintf(stderr, "fuzz_url_match: a part lies outside the normalised text\n");
      std::abort();
    }
  }
  patrol::Result<NormalizedUrl> config = normalize_url_pattern(pattern);
  if (normal && config) {
    (void)match_url(*normal, *config);
  }
  return 0;
}
