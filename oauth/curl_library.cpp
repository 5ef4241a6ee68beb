#include "oauth/curl_library.hpp"

#include <dlfcn.h>
#include <string>

namespace patrol::oauth {
namespace {

// The SONAME of libcurl 7.x and 8.x; Debian's libcurl4 package provides it.
constexpr const char* soname = "libcurl.so.4";

template <class F> bool bind(void* handle, const char* name, F& out) {
  void* symbol = dlsym(handle, name);
  out = reinterpret_cast<F>(symbol);
  return symbol != nullptr;
}

Result<const CurlLibrary*> load() {
  static CurlLibrary library{};
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = dlerror();
    return fail(Errc::unsupported, std::string("cannot load ") + soname +
                                       " for HTTPS requests; install libcurl (Debian: libcurl4)" +
                                       (reason != nullptr ? std::string(" (") + reason + ")" : ""));
  }
  const bool bound =
      bind(handle, "curl_global_init", library.global_init) &&
      bind(handle, "curl_easy_init", library.easy_init) &&
      bind(handle, "curl_easy_setopt", library.easy_setopt) &&
      bind(handle, "curl_easy_perform", library.easy_perform) &&
      bind(handle, "curl_easy_getinfo", library.easy_getinfo) &&
      bind(handle, "curl_easy_cleanup", library.easy_cleanup) &&
      bind(handle, "curl_easy_strerror", library.easy_strerror) &&
      bind(handle, "curl_slist_append", library.slist_append) &&
      bind(handle, "curl_slist_free_all", library.slist_free_all) &&
      bind(handle, "curl_url", library.url) && bind(handle, "curl_url_set", library.url_set) &&
      bind(handle, "curl_url_get", library.url_get) &&
      bind(handle, "curl_url_cleanup", library.url_cleanup) &&
      bind(handle, "curl_free", library.free);
  if (!bound) {
    return fail(Errc::unsupported, std::string(soname) + " lacks a function patrol needs; install libcurl 7.85 or newer");
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

} // namespace patrol::oauth
