#pragma once
// A library loaded on first use (dlopen) instead of at start-up. git runs the helper on
// every HTTPS operation; libraries only some commands need (libcurl, libgit2) are loaded
// by those commands alone.
#include <string>
#include <string_view>

#include <dlfcn.h>

#include "common/result.hpp"

namespace patrol {

class SharedLibrary {
public:
  // Errc::unsupported naming the library, the Debian package that provides it and what
  // it is needed for, when it cannot be loaded. The handle is never closed: what it
  // returns lives as long as the process.
  static Result<SharedLibrary> open(const char* soname, std::string_view package,
                                    std::string_view purpose);

  // Points `out` at the named function; false when the library lacks it.
  template <class F> bool bind(const char* name, F& out) const {
    void* symbol = dlsym(handle_, name);
    out = reinterpret_cast<F>(symbol);
    return symbol != nullptr;
  }

private:
  explicit SharedLibrary(void* handle) : handle_(handle) {}
  void* handle_;
};

} // namespace patrol
