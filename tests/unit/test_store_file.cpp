#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <linux/keyctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "store/file.hpp"
#include "store/file_format.hpp"
#include "store/kernel_keyring.hpp"
#include "support/file_store_sandbox.hpp"
#include "support/store_builders.hpp"

using patrol::Errc;
using patrol::Secret;
using patrol::store::FileStoreOptions;
using patrol::store::lock_file_store;
using patrol::store::open_file_store;
using patrol::store::Query;
using patrol::store::Record;
using patrol::store::Store;
using patrol::store::unlock_file_store;
using patrol::test::query;
using patrol::test::record;
namespace fs = std::filesystem;
namespace kernel_keyring = patrol::store::kernel_keyring;

namespace {

using Sandbox = patrol::test::FileStoreSandbox;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_all(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// The text with the field of the header line set to value.
std::string with_field(std::string text, const std::string& field, const std::string& value) {
  const std::string key = " " + field + "=";
  const std::size_t start = text.find(key) + key.size();
  return text.replace(start, text.find_first_of(" \n", start) - start, value);
}

} // namespace

TEST_CASE("kernel keyring: write, read, remove in a private session keyring") {
  // A new anonymous session keyring for this process (keyctl_join_session_keyring(NULL)).
  REQUIRE(syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, nullptr) >= 0);
  const std::string description = kernel_keyring::description_for("/nowhere/test");
  CHECK_FALSE(kernel_keyring::read(description));
  CHECK(kernel_keyring::holder_here() == kernel_keyring::Holder::session);
  CHECK_FALSE(kernel_keyring::locate(description));
  REQUIRE(kernel_keyring::write(description, Secret("key-bytes"), std::chrono::seconds(30)));
  auto read = kernel_keyring::read(description);
  REQUIRE(read);
  CHECK(read->view() == "key-bytes");
  const auto kept = kernel_keyring::locate(description);
  REQUIRE(kept);
  CHECK(kept->holder == kernel_keyring::Holder::session);
  CHECK((kept->time_left == "30s" || kept->time_left == "29s"));
  CHECK(kernel_keyring::remove(description));
  CHECK_FALSE(kernel_keyring::read(description));
  CHECK_FALSE(kernel_keyring::remove(description));
}

TEST_CASE("file store: created on first save, 0600 in 0700, secrets not in clear") {
  Sandbox sandbox;
  auto store = sandbox.store();
  CHECK(store->name() == "file");
  auto empty = store->list(Query{});
  REQUIRE(empty);
  CHECK(empty->empty());
  CHECK_FALSE(fs::exists(sandbox.options.path));
  REQUIRE(store->save(record("a.example", "alice", "tok-alice")));
  REQUIRE(store->save(record("b.example", "bob", "tok-bob")));
  REQUIRE(store->save(record("a.example", "alice", "tok-alice-2")));
  struct stat info {};
  REQUIRE(::stat(sandbox.options.path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  REQUIRE(::stat(fs::path(sandbox.options.path).parent_path().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
  const std::string text = read_all(sandbox.options.path);
  CHECK(text.find("tok-alice") == std::string::npos);
  CHECK(text.find("alice") == std::string::npos);

  auto found = store->find(query("a.example"));
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->secret == Secret("tok-alice-2"));
  CHECK((*found)->store == "file");
  CHECK(store->list(Query{})->size() == 2);
  CHECK(*store->erase(query("b.example")));
  CHECK_FALSE(*store->erase(query("b.example")));
  CHECK(store->list(Query{})->size() == 1);
}

TEST_CASE("file store: unlocked once, then the passphrase file is not needed") {
  Sandbox sandbox;
  REQUIRE(unlock_file_store(sandbox.options)->created);
  FileStoreOptions no_passphrase = sandbox.options;
  no_passphrase.passphrase_file.clear();
  auto store = std::move(*open_file_store(no_passphrase));
  REQUIRE(store->save(record("a.example", "alice", "tok")));
  CHECK((*store->find(query("a.example")))->secret == Secret("tok"));

  CHECK(lock_file_store(sandbox.options));
  auto locked = store->find(query("a.example"));
  REQUIRE_FALSE(locked);
  CHECK(locked.error().code == Errc::store_locked);
  CHECK(locked.error().message.find("git credential-patrol unlock") != std::string::npos);
}

TEST_CASE("file store: a wrong passphrase is a clear error and changes nothing") {
  Sandbox sandbox;
  REQUIRE(sandbox.store()->save(record("a.example", "alice", "tok")));
  const std::string before = read_all(sandbox.options.path);
  lock_file_store(sandbox.options);
  sandbox.write_passphrase("wrong");
  auto store = sandbox.store();
  auto found = store->find(query("a.example"));
  REQUIRE_FALSE(found);
  CHECK(found.error().message.find("wrong passphrase") != std::string::npos);
  CHECK_FALSE(store->save(record("b.example", "bob", "tok")));
  CHECK_FALSE(store->erase(query("a.example")));
  CHECK(read_all(sandbox.options.path) == before);
}

TEST_CASE("file store: a file others may read is refused") {
  Sandbox sandbox;
  REQUIRE(sandbox.store()->save(record("a.example", "alice", "tok")));
  fs::permissions(sandbox.options.path, fs::perms::others_read, fs::perm_options::add);
  auto found = sandbox.store()->find(query("a.example"));
  REQUIRE_FALSE(found);
  CHECK(found.error().message.find("chmod 600") != std::string::npos);
}

TEST_CASE("file store: a damaged file is reported, then moved aside by the next save") {
  Sandbox sandbox;
  REQUIRE(sandbox.store()->save(record("a.example", "alice", "tok")));
  const std::string whole = read_all(sandbox.options.path);
  {
    std::ofstream out(sandbox.options.path, std::ios::binary | std::ios::trunc);
    out << whole.substr(0, whole.size() / 2);
  }
  auto store = sandbox.store();
  auto found = store->find(query("a.example"));
  REQUIRE_FALSE(found);
  CHECK(found.error().message.find("damaged") != std::string::npos);
  CHECK(read_all(sandbox.options.path).size() == whole.size() / 2);

  auto saved = store->save(record("b.example", "bob", "tok-b"));
  REQUIRE_FALSE(saved);
  CHECK(saved.error().message.find("moved to") != std::string::npos);
  int backups = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(sandbox.options.path).parent_path())) {
    if (entry.path().filename().string().starts_with("credentials.enc.corrupt-")) {
      ++backups;
      CHECK(read_all(entry.path()).size() == whole.size() / 2);
    }
  }
  CHECK(backups == 1);
  CHECK_FALSE(fs::exists(sandbox.options.path));
  REQUIRE(store->save(record("b.example", "bob", "tok-b")));
  CHECK((*store->find(query("b.example")))->secret == Secret("tok-b"));
}

TEST_CASE("file store: non-UTF-8 passwords and usernames come back byte for byte") {
  Sandbox sandbox;
  REQUIRE(sandbox.store()->save(record("a.example", "u\xfe", "p\xe9ss\xff")));
  REQUIRE(sandbox.store()->save(record("a.example", "u\xff", "other\xfe")));
  auto store = sandbox.store();
  REQUIRE(store->list(query("a.example"))->size() == 2); // two users, not one
  Query fe = query("a.example");
  fe.username = "u\xfe";
  auto found = store->find(fe);
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->username == "u\xfe");
  CHECK((*found)->secret.view() == "p\xe9ss\xff");
  Query ff = query("a.example");
  ff.username = "u\xff";
  CHECK((*store->find(ff))->secret.view() == "other\xfe");
  CHECK(*store->erase(fe));
  CHECK((*store->find(ff))->secret.view() == "other\xfe");
}

TEST_CASE("file store: a version 1 or 2 file is read, then rewritten as version 3 by a write") {
  const auto [version, name] = GENERATE(std::make_pair(1, "v1"), std::make_pair(2, "v2"));
  Sandbox sandbox("correct horse battery staple");
  fs::create_directories(fs::path(sandbox.options.path).parent_path());
  fs::permissions(fs::path(sandbox.options.path).parent_path(), fs::perms::owner_all);
  fs::copy_file(std::string(PATROL_TEST_FIXTURES) + "/file_store_" + name + ".enc",
                sandbox.options.path);
  fs::permissions(sandbox.options.path, fs::perms::owner_read | fs::perms::owner_write);
  auto store = sandbox.store();
  auto found = store->find(query("git.example.com"));
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->secret == Secret(std::string("tok-") + name));
  // get alone never writes.
  CHECK(read_all(sandbox.options.path).find("\"version\": " + std::to_string(version)) !=
        std::string::npos);

  SECTION("by a store") { REQUIRE(store->save(record("new.example", "bob", "tok-new"))); }
  SECTION("by unlock, with nothing else to write") {
    auto unlocked = unlock_file_store(sandbox.options);
    REQUIRE(unlocked);
    CHECK_FALSE(unlocked->created);
  }
  CHECK(read_all(sandbox.options.path).starts_with("git-credential-patrol-file version=3 "));
  // The key cached from the old file still opens the new one, and so does the passphrase.
  FileStoreOptions cached_only = sandbox.options;
  cached_only.passphrase_file.clear();
  CHECK((*(*open_file_store(cached_only))->find(query("git.example.com")))->secret ==
        Secret(std::string("tok-") + name));
  lock_file_store(sandbox.options);
  auto records = sandbox.store()->list(Query{});
  REQUIRE(records);
  CHECK(records->size() >= 2);
  CHECK((*sandbox.store()->find(query("git.example.com")))->secret ==
        Secret(std::string("tok-") + name));
}

TEST_CASE("file store: a get opens only its origin's lines, list and save open them all") {
  Sandbox sandbox;
  REQUIRE(sandbox.store()->save(record("a.example", "alice", "tok-a")));
  REQUIRE(sandbox.store()->save(record("b.example", "bob", "tok-b")));
  // b's line (the third) made undecodable, as someone who can write the file could.
  std::string text = read_all(sandbox.options.path);
  const std::size_t third = text.find('\n', text.find('\n') + 1) + 1;
  text.replace(third + 45, 4, "!!!!");
  write_all(sandbox.options.path, text);
  auto store = sandbox.store();
  auto found = store->find(query("a.example"));
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->secret == Secret("tok-a"));
  for (const Query& asked : {query("b.example"), Query{}}) {
    auto listed = store->list(asked);
    REQUIRE_FALSE(listed);
    CHECK(listed.error().message.find("damaged: its line 3 is not valid base64") !=
          std::string::npos);
  }
  // A write opens every record: the damage is found and never written over.
  auto saved = store->save(record("c.example", "carol", "tok-c"));
  REQUIRE_FALSE(saved);
  CHECK(saved.error().message.find("moved to") != std::string::npos);
  CHECK_FALSE(fs::exists(sandbox.options.path));
}

TEST_CASE("file store: a changed header with the key cached is damage, never written back") {
  Sandbox sandbox;
  REQUIRE(unlock_file_store(sandbox.options));
  REQUIRE(sandbox.store()->save(record("a.example", "alice", "tok")));
  const std::string good = read_all(sandbox.options.path);
  FileStoreOptions cached_only = sandbox.options;
  cached_only.passphrase_file.clear();
  for (const char* value : {"2", "65536"}) {
    const std::string changed = with_field(good, "n", value);
    write_all(sandbox.options.path, changed);
    auto store = std::move(*open_file_store(cached_only));
    auto found = store->find(query("a.example"));
    REQUIRE_FALSE(found);
    CHECK(found.error().message.find("damaged") != std::string::npos);
    CHECK(read_all(sandbox.options.path) == changed);
  }
  // Put back, the file opens with its passphrase as before.
  write_all(sandbox.options.path, good);
  lock_file_store(sandbox.options);
  CHECK((*sandbox.store()->find(query("a.example")))->secret == Secret("tok"));
}

TEST_CASE("file store: an unlock timeout of 0 keeps no key") {
  Sandbox sandbox;
  REQUIRE(unlock_file_store(sandbox.options)); // kept for 60 s, as before the setting
  const std::string description = kernel_keyring::description_for(sandbox.options.path);
  REQUIRE(kernel_keyring::read(description));
  sandbox.options.unlock_timeout = std::chrono::seconds(0);
  auto unlocked = unlock_file_store(sandbox.options);
  REQUIRE(unlocked);
  CHECK_FALSE(unlocked->cached);
  REQUIRE(sandbox.store()->save(record("a.example", "alice", "tok")));
  CHECK((*sandbox.store()->find(query("a.example")))->secret == Secret("tok"));
  CHECK_FALSE(kernel_keyring::read(description)); // the earlier key was dropped too
  FileStoreOptions no_passphrase = sandbox.options;
  no_passphrase.passphrase_file.clear();
  auto locked = std::move(*open_file_store(no_passphrase))->find(query("a.example"));
  REQUIRE_FALSE(locked);
  CHECK(locked.error().code == Errc::store_locked);
}

TEST_CASE("file store: a passphrase file others may read is refused, as ssh refuses a key") {
  Sandbox sandbox;
  fs::permissions(sandbox.root / "pass", fs::perms::group_read, fs::perm_options::add);
  auto saved = sandbox.store()->save(record("a.example", "alice", "tok"));
  REQUIRE_FALSE(saved);
  CHECK(saved.error().code == Errc::config);
  CHECK(saved.error().message.find("refusing the passphrase file") != std::string::npos);
  CHECK(saved.error().message.find("chmod 600") != std::string::npos);
  CHECK(saved.error().message.find("correct horse") == std::string::npos);
  CHECK_FALSE(fs::exists(sandbox.options.path));
  fs::permissions(sandbox.root / "pass", fs::perms::owner_read);
  CHECK(sandbox.store()->save(record("a.example", "alice", "tok")));
}

TEST_CASE("file store: replace writes only over the secret it expects, in one locked step") {
  Sandbox sandbox;
  auto store = sandbox.store();
  const Record old = record("cas.example", "alice", "old");
  REQUIRE(store->save(old));
  REQUIRE(store->save(record("other.example", "bob", "keep")));
  Record next = record("cas.example", "alice", "new");
  next.checked_at = 1760000000;

  auto swapped = store->replace(old, next);
  REQUIRE(swapped);
  CHECK(*swapped);
  auto found = store->find(query("cas.example"));
  REQUIRE(*found);
  CHECK((*found)->secret.view() == "new");
  CHECK((*found)->checked_at == 1760000000);
  CHECK((*store->find(query("other.example")))->secret.view() == "keep");

  // Another process's store came first: the stale writer changes nothing, not even the file.
  const std::string before = read_all(sandbox.options.path);
  auto stale = store->replace(old, record("cas.example", "alice", "stale"));
  REQUIRE(stale);
  CHECK_FALSE(*stale);
  CHECK(read_all(sandbox.options.path) == before);
  CHECK((*store->find(query("cas.example")))->secret.view() == "new");

  auto absent =
      store->replace(record("gone.example", "carol", "x"), record("gone.example", "carol", "y"));
  REQUIRE(absent);
  CHECK_FALSE(*absent);
  CHECK_FALSE(store->find(query("gone.example"))->has_value());
}

TEST_CASE("file store: replace with no file creates nothing") {
  Sandbox sandbox;
  auto store = sandbox.store();
  auto absent =
      store->replace(record("cas.example", "alice", "old"), record("cas.example", "alice", "new"));
  REQUIRE(absent);
  CHECK_FALSE(*absent);
  CHECK_FALSE(fs::exists(sandbox.options.path));
}

TEST_CASE("file store: a file grown far past any credential file is refused, not read") {
  Sandbox sandbox;
  REQUIRE(sandbox.store()->save(record("a.example", "alice", "tok")));
  // Made a terabyte long (sparse) by someone who can write it: a get must not try to hold
  // it in memory (the allocation alone ends the process).
  fs::resize_file(sandbox.options.path, std::uintmax_t{1} << 40);
  auto store = sandbox.store();
  auto found = store->find(query("a.example"));
  REQUIRE_FALSE(found);
  CHECK(found.error().code == Errc::store_failed);
  CHECK(found.error().message.find("damaged: it is larger than") != std::string::npos);
  CHECK(fs::file_size(sandbox.options.path) == std::uintmax_t{1} << 40);
  // Like any damage: kept, then moved aside by the next write, which stores nothing.
  auto saved = store->save(record("b.example", "bob", "tok-b"));
  REQUIRE_FALSE(saved);
  CHECK(saved.error().message.find("moved to") != std::string::npos);
  CHECK_FALSE(fs::exists(sandbox.options.path));

  // Nor is a file written that the next read would refuse.
  REQUIRE(store->save(record("a.example", "alice", "tok")));
  const std::string kept = read_all(sandbox.options.path);
  auto huge = store->save(record("h.example", "hugh", std::string(std::size_t{65} << 20, 'x')));
  REQUIRE_FALSE(huge);
  CHECK(huge.error().message.find("would grow past 64 MiB; nothing was stored") !=
        std::string::npos);
  CHECK(read_all(sandbox.options.path) == kept);
}

TEST_CASE("file store: a second damaged file moved aside keeps the first one's backup") {
  Sandbox sandbox;
  const fs::path directory = fs::path(sandbox.options.path).parent_path();
  const auto backups = [&] {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(directory)) {
      if (entry.path().filename().string().starts_with("credentials.enc.corrupt-")) {
        found.push_back(read_all(entry.path()));
      }
    }
    std::sort(found.begin(), found.end());
    return found;
  };
  REQUIRE(sandbox.store()->save(record("a.example", "alice", "tok")));
  // Damaged twice in a row (a sync tool putting its copy back): both are moved aside, the
  // second never renamed over the first within the same second.
  for (const std::string damage : {"first damage\n", "second damage\n"}) {
    write_all(sandbox.options.path, damage);
    fs::permissions(sandbox.options.path, fs::perms::owner_read | fs::perms::owner_write);
    auto saved = sandbox.store()->save(record("b.example", "bob", "tok-b"));
    REQUIRE_FALSE(saved);
    CHECK(saved.error().message.find("moved to") != std::string::npos);
  }
  CHECK(backups() == std::vector<std::string>{"first damage\n", "second damage\n"});
}

TEST_CASE("file store: a save replaces a credential kept under two spellings of its host") {
  Sandbox sandbox;
  // Written as a build before hosts were canonical could have: one credential twice.
  patrol::Secret key;
  auto envelope = patrol::store::file_format::create(Secret("correct horse"), key);
  REQUIRE(envelope);
  REQUIRE(patrol::store::file_format::seal_payload(*envelope, key,
                                                   {record("d.example:443", "alice", "older"),
                                                    record("d.example:0443", "alice", "old"),
                                                    record("d.example:0443", "bob", "bobs")}));
  const fs::path path = sandbox.options.path;
  fs::create_directories(path.parent_path());
  fs::permissions(path.parent_path(), fs::perms::owner_all);
  write_all(path, patrol::store::file_format::to_text(*envelope));
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  auto store = sandbox.store();
  REQUIRE(store->list(query("d.example"))->size() == 3);

  REQUIRE(store->save(record("d.example", "alice", "new")));
  auto listed = store->list(query("d.example"));
  REQUIRE(listed);
  CHECK(listed->size() == 2);
  CHECK((*store->find(query("d.example", "alice")))->secret.view() == "new");
  CHECK((*store->find(query("d.example", "bob")))->secret.view() == "bobs");
}

TEST_CASE("file store: a FIFO in the file's place is refused, not waited on for a writer") {
  Sandbox sandbox;
  REQUIRE(sandbox.store()->save(record("a.example", "alice", "tok")));
  fs::remove(sandbox.options.path);
  REQUIRE(::mkfifo(sandbox.options.path.c_str(), 0600) == 0);
  auto store = sandbox.store();
  auto found = store->find(query("a.example"));
  REQUIRE_FALSE(found);
  CHECK(found.error().message.find("is not a regular file") != std::string::npos);
  auto saved = store->save(record("b.example", "bob", "tok-b"));
  REQUIRE_FALSE(saved);
  CHECK(saved.error().message.find("is not a regular file") != std::string::npos);
  CHECK(fs::is_fifo(sandbox.options.path));
}
