#pragma once
// libcurl, loaded when the first request is made rather than when the program starts.
// Linking it pulls in some twenty libraries (TLS, LDAP, SSH, HTTP/2, IDN...) whose
// loading and relocation cost every `git credential fill` several milliseconds, although
// only the rare forge call needs them.
#include <curl/curl.h>

#include "common/result.hpp"

namespace patrol::forge {

struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_url) url;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_url_get) url_get;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_free) free;
};

// The loaded and initialised library; loads it on the first call (thread-safe).
// Errc::unsupported when libcurl 7.85 or newer cannot be loaded.
Result<const CurlLibrary*> curl_library();

} // namespace patrol::forge
