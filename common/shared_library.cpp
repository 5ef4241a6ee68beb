#include "common/shared_library.hpp"

namespace patrol {

Result<SharedLibrary> SharedLibrary::open(const char* soname, std::string_view package,
                                          std::string_view purpose) {
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* reason = dlerror();
    return fail(Errc::unsupported,
                std::string("cannot load ") + soname + " for " + std::string(purpose) +
                    "; install it (Debian: " + std::string(package) + ")" +
                    (reason != nullptr ? std::string(" (") + reason + ")" : std::string()));
  }
  return SharedLibrary(handle);
}

} // namespace patrol
