#include "store/private_dir.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

namespace patrol::store {
namespace {

std::string mode_text(mode_t mode) {
  char text[8] = {};
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

} // namespace

Result<void> ensure_private_directory(const std::string& path) {
  const std::filesystem::path directory(path);
  std::filesystem::path built;
  for (const std::filesystem::path& part : directory) {
    built /= part;
    if (::mkdir(built.c_str(), 0700) != 0 && errno != EEXIST) {
      return fail(Errc::io,
                  "cannot create the directory " + built.string() + ": " + std::strerror(errno));
    }
  }
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return fail(Errc::io, "cannot use the directory " + directory.string());
  }
  if (info.st_uid != ::getuid() || (info.st_mode & 022) != 0) {
    return fail(Errc::store_failed, "refusing the directory " + directory.string() +
                                        ": other users may write into it (mode " +
                                        mode_text(info.st_mode) + "); run `chmod 700 " +
                                        directory.string() + "`");
  }
  return {};
}

} // namespace patrol::store
