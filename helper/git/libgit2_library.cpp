#include "helper/git/libgit2_library.hpp"

#include <string>

#include "common/shared_library.hpp"

namespace patrol::helper {
namespace {

Result<const Libgit2*> load() {
  static Libgit2 git{};
  // The SONAME of the libgit2 the build found (it changes with every minor version).
  Result<SharedLibrary> handle =
      SharedLibrary::open(PATROL_LIBGIT2_SONAME, "libgit2", "reading git configuration");
  if (!handle) {
    return tl::unexpected(handle.error());
  }
  const SharedLibrary& lib = *handle;
  const bool bound =
      lib.bind("git_libgit2_init", git.init) && lib.bind("git_libgit2_shutdown", git.shutdown) &&
      lib.bind("git_libgit2_opts", git.opts) && lib.bind("git_error_last", git.error_last) &&
      lib.bind("git_error_clear", git.error_clear) && lib.bind("git_config_new", git.config_new) &&
      lib.bind("git_config_add_file_ondisk", git.config_add_file_ondisk) &&
      lib.bind("git_config_free", git.config_free) &&
      lib.bind("git_config_iterator_new", git.config_iterator_new) &&
      lib.bind("git_config_next", git.config_next) &&
      lib.bind("git_config_iterator_free", git.config_iterator_free) &&
      lib.bind("git_config_get_bool", git.config_get_bool) &&
      lib.bind("git_repository_open_ext", git.repository_open_ext) &&
      lib.bind("git_repository_free", git.repository_free) &&
      lib.bind("git_repository_commondir", git.repository_commondir) &&
      lib.bind("git_repository_path", git.repository_path);
  if (!bound) {
    return fail(Errc::unsupported,
                std::string(PATROL_LIBGIT2_SONAME) + " lacks a function patrol needs");
  }
  return &git;
}

} // namespace

Result<const Libgit2*> libgit2_library() {
  static const Result<const Libgit2*> loaded = load(); // once, thread-safe
  return loaded;
}

} // namespace patrol::helper
