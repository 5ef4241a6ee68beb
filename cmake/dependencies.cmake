# Every dependency is a Debian bookworm package; scripts/install-deps names them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
# libgit2 is loaded at run time by its SONAME, libgit2.so.MAJOR.MINOR (and Debian names its
# package libgit2-MAJOR.MINOR).
string(REGEX MATCH "^[0-9]+\\.[0-9]+" patrol_libgit2_abi "${LIBGIT2_VERSION}")
pkg_check_modules(LIBSECRET REQUIRED IMPORTED_TARGET libsecret-1)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
# libgcrypt: the file store's cryptography (headers only: store/crypto_library.cpp loads it).
pkg_check_modules(LIBGCRYPT REQUIRED libgcrypt>=1.9)
find_package(CURL REQUIRED)
find_package(nlohmann_json 3.2 REQUIRED)
find_package(tl-expected REQUIRED)
if(PATROL_TESTS)
  find_package(Catch2 2 REQUIRED)
endif()
