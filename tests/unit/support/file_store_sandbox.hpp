#pragma once
// An encrypted file store in a temporary directory, unlocked by a passphrase file, its key
// cached in an anonymous session keyring of this process's own, so no key reaches the
// user's keyrings.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "store/file.hpp"

namespace patrol::test {

struct FileStoreSandbox {
  std::filesystem::path root;
  store::FileStoreOptions options;

  explicit FileStoreSandbox(const std::string& passphrase = "correct horse") {
    // keyctl_join_session_keyring(NULL): a new anonymous session keyring.
    REQUIRE(syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, nullptr) >= 0);
    char pattern[] = "/tmp/patrol-file-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    root = pattern;
    write_passphrase(passphrase);
    options.path = (root / "data" / "patrol" / "credentials.enc").string();
    options.passphrase_file = (root / "pass").string();
    options.interactive = false;
    options.unlock_timeout = std::chrono::seconds(60);
  }
  ~FileStoreSandbox() { std::filesystem::remove_all(root); }
  FileStoreSandbox(const FileStoreSandbox&) = delete;
  FileStoreSandbox& operator=(const FileStoreSandbox&) = delete;

  void write_passphrase(const std::string& passphrase) const {
    std::ofstream(root / "pass") << passphrase << "\n";
    std::filesystem::permissions(root / "pass", std::filesystem::perms::owner_read |
                                                    std::filesystem::perms::owner_write);
  }

  [[nodiscard]] std::unique_ptr<store::Store> store() const {
    return std::move(*store::open_file_store(options));
  }
};

} // namespace patrol::test
