#include "forge/curl_library.hpp"

#include <string>

#include "common/shared_library.hpp"

namespace patrol::forge {
namespace {

// The SONAME of libcurl 7.x and 8.x; Debian's libcurl4 package provides it.
constexpr const char* soname = "libcurl.so.4";

Result<const CurlLibrary*> load() {
  static CurlLibrary library{};
  Result<SharedLibrary> handle = SharedLibrary::open(soname, "libcurl4", "HTTPS requests");
  if (!handle) {
    return tl::unexpected(handle.error());
  }
  const SharedLibrary& lib = *handle;
  const bool bound =
      lib.bind("curl_global_init", library.global_init) &&
      lib.bind("curl_easy_init", library.easy_init) &&
      lib.bind("curl_easy_setopt", library.easy_setopt) &&
      lib.bind("curl_easy_perform", library.easy_perform) &&
      lib.bind("curl_easy_getinfo", library.easy_getinfo) &&
      lib.bind("curl_easy_cleanup", library.easy_cleanup) &&
      lib.bind("curl_easy_strerror", library.easy_strerror) &&
      lib.bind("curl_slist_append", library.slist_append) &&
      lib.bind("curl_slist_free_all", library.slist_free_all) &&
      lib.bind("curl_url", library.url) && lib.bind("curl_url_set", library.url_set) &&
      lib.bind("curl_url_get", library.url_get) &&
      lib.bind("curl_url_cleanup", library.url_cleanup) && lib.bind("curl_free", library.free);
  if (!bound) {
    return fail(Errc::unsupported,
                std::string(soname) +
                    " lacks a function patrol needs; install libcurl 7.85 or newer");
  }
  if (library.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return fail(Errc::network, "cannot initialise libcurl");
  }
  return &library;
}

} // namespace

Result<const CurlLibrary*> curl_library() {
  static const Result<const CurlLibrary*> loaded = load(); // once, thread-safe
  return loaded;
}

} // namespace patrol::forge
