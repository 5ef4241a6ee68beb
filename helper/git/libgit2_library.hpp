#pragma once
// libgit2, loaded only when a configuration file may hold a setting patrol reads. Linking
// it would load it and its dependencies (mbedTLS, libssh2, Kerberos...) on every git
// call, and that start-up work is most of what a `get` costs.
#include <git2.h>

#include "common/result.hpp"

namespace patrol::helper {

struct Libgit2 {
  decltype(&::git_libgit2_init) init;
  decltype(&::git_libgit2_shutdown) shutdown;
  decltype(&::git_libgit2_opts) opts;
  decltype(&::git_error_last) error_last;
  decltype(&::git_error_clear) error_clear;
  decltype(&::git_config_new) config_new;
  decltype(&::git_config_add_file_ondisk) config_add_file_ondisk;
  decltype(&::git_config_free) config_free;
  decltype(&::git_config_iterator_new) config_iterator_new;
  decltype(&::git_config_next) config_next;
  decltype(&::git_config_iterator_free) config_iterator_free;
  decltype(&::git_config_get_bool) config_get_bool;
  decltype(&::git_repository_open_ext) repository_open_ext;
  decltype(&::git_repository_free) repository_free;
  decltype(&::git_repository_commondir) repository_commondir;
  decltype(&::git_repository_path) repository_path;
};

// The loaded library (once per process); Errc::unsupported when it cannot be loaded.
Result<const Libgit2*> libgit2_library();

} // namespace patrol::helper
