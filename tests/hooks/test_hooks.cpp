// The test build's hooks (see common/test_hooks.hpp): linked only into
// git-credential-patrol-test-hooks, never into the installed binary.
#include "common/test_hooks.hpp"

#include <array>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace patrol {
namespace {

struct HookRow {
  Hook hook;
  const char* variable; // names the file the hook creates and waits on
};

constexpr std::array hook_table{
    HookRow{Hook::pause_before_rename, "PATROL_TEST_PAUSE_BEFORE_RENAME"},
    HookRow{Hook::pause_before_refresh_save, "PATROL_TEST_PAUSE_REFRESH_SAVE"},
    HookRow{Hook::pause_on_held_lock, "PATROL_TEST_PAUSE_ON_HELD_LOCK"},
};

// Creates `path`, then blocks until it is deleted: the test sees the file appear, does
// what it wants while this process stands still, and deletes the file to let it go on
// (or kills it). inotify, not polling: the process wakes when the file goes, not later.
void pause_at(const char* path) {
  const int watcher = inotify_init1(IN_CLOEXEC);
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  }
  if (watcher < 0) {
    std::abort(); // a hook that cannot hold would let the test race: fail loudly
  }
  // Fails with ENOENT when the test already deleted the file: then there is no wait.
  if (inotify_add_watch(watcher, path, IN_DELETE_SELF) >= 0) {
    alignas(inotify_event) char events[4096];
    bool deleted = false;
    while (!deleted) {
      const ssize_t got = ::read(watcher, events, sizeof events);
      if (got <= 0) {
        break;
      }
      for (ssize_t at = 0; at < got;) {
        const auto* event = reinterpret_cast<const inotify_event*>(events + at);
        deleted = deleted || (event->mask & (IN_DELETE_SELF | IN_IGNORED)) != 0;
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      }
    }
  }
  ::close(watcher);
}

} // namespace

void test_hook(Hook hook) {
  for (const HookRow& row : hook_table) {
    const char* path = row.hook == hook ? std::getenv(row.variable) : nullptr;
    if (path != nullptr && *path != '\0') {
      pause_at(path);
    }
  }
}

std::chrono::milliseconds test_lock_patience(std::chrono::milliseconds patience) {
  const char* text = std::getenv("PATROL_TEST_LOCK_PATIENCE_MS");
  if (text == nullptr || *text == '\0') {
    return patience;
  }
  long long value = 0;
  const char* end = text + std::strlen(text);
  const auto [next, error] = std::from_chars(text, end, value);
  if (error != std::errc() || next != end || value < 0) {
    std::abort(); // a test that meant to shorten the wait must not silently wait 20 s
  }
  return std::chrono::milliseconds(value);
}

} // namespace patrol
