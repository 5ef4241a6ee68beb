#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

#include "store/dbus/address.hpp"
#include "support/scoped_env.hpp"

using patrol::Errc;
using patrol::dbus::Address;
using patrol::dbus::parse_address_list;
using patrol::dbus::session_bus_address;
using patrol::test::ScopedEnv;

namespace {

Address path(std::string name) { return {Address::Kind::path, std::move(name)}; }
Address abstract(std::string name) { return {Address::Kind::abstract_name, std::move(name)}; }

// A directory of its own, removed with everything in it.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "patrol-dbus.XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// A listening Unix socket at `at`, as a session bus leaves in $XDG_RUNTIME_DIR.
int bind_socket(const std::filesystem::path& at) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  REQUIRE(at.string().size() < sizeof(address.sun_path));
  at.string().copy(address.sun_path, at.string().size());
  REQUIRE(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0);
  return fd;
}

} // namespace

TEST_CASE("dbus address: the Unix sockets of a list, in order", "[dbus_address]") {
  struct Case {
    const char* list;
    std::vector<Address> usable;
  };
  const std::vector<Case> cases = {
      {"unix:path=/run/user/1000/bus", {path("/run/user/1000/bus")}},
      {"unix:abstract=/tmp/dbus-Xy1,guid=0123abcd", {abstract("/tmp/dbus-Xy1")}},
      {"unix:guid=0123abcd,path=/tmp/b", {path("/tmp/b")}},
      {"unix:path=/a;unix:abstract=b", {path("/a"), abstract("b")}},
      {"tcp:host=localhost,port=4000;unix:path=/a%20b", {path("/a b")}},
      {"unix:path=/a%2cb%3Bc%3d%25", {path("/a,b;c=%")}},
      {"unix:path=/A%2Fb", {path("/A/b")}},
      {"unix:path=/x;", {path("/x")}},
      {";;unix:path=/x", {path("/x")}},
      // Entries this client cannot use are skipped, the rest kept.
      {"unix:path=/bad%2;unix:path=/good", {path("/good")}},
      {"unix:path=/a,abstract=b;unix:path=/c", {path("/c")}},
      {"unix:dir=/tmp;unix:path=/c", {path("/c")}},
      {"autolaunch:;unix:abstract=z", {abstract("z")}},
  };
  for (const Case& each : cases) {
    INFO(each.list);
    auto found = parse_address_list(each.list);
    REQUIRE(found);
    CHECK(*found == each.usable);
  }
}

TEST_CASE("dbus address: a list with no Unix socket this client speaks to is unsupported",
          "[dbus_address]") {
  for (const char* list : {"",
                           ";",
                           "tcp:host=localhost,port=4000",
                           "nonce-tcp:host=h,port=1,noncefile=/n",
                           "unixexec:path=/bin/dbus-bridge",
                           "autolaunch:",
                           "launchd:env=DBUS_LAUNCHD",
                           "systemd:",
                           "unix:dir=/tmp",
                           "unix:tmpdir=/tmp",
                           "unix:runtime=yes",
                           "unix:",
                           "unix:path",
                           "unix:path=",
                           "unix:=x",
                           "unix:path=/a%",
                           "unix:path=/a%zz",
                           "unix:path=/a,abstract=b",
                           "unixpath=/a",
                           "path=/a"}) {
    INFO(list);
    auto found = parse_address_list(list);
    REQUIRE_FALSE(found);
    CHECK(found.error().code == Errc::unsupported);
    CHECK(found.error().message.find('\n') == std::string::npos);
  }
}

TEST_CASE("dbus address: the session bus is the variable's when it is set", "[dbus_address]") {
  TempDir runtime;
  const int listening = bind_socket(runtime.path / "bus");
  ScopedEnv env{{"DBUS_SESSION_BUS_ADDRESS", "unix:abstract=elsewhere"},
                {"XDG_RUNTIME_DIR", runtime.path.c_str()}};
  auto found = session_bus_address();
  REQUIRE(found);
  CHECK(*found == std::vector<Address>{abstract("elsewhere")});
  close(listening);
}

TEST_CASE("dbus address: unset or empty, the session bus is $XDG_RUNTIME_DIR/bus",
          "[dbus_address]") {
  TempDir runtime;
  const int listening = bind_socket(runtime.path / "bus");
  for (const char* variable : {static_cast<const char*>(nullptr), ""}) {
    ScopedEnv env{{"DBUS_SESSION_BUS_ADDRESS", variable},
                  {"XDG_RUNTIME_DIR", runtime.path.c_str()}};
    auto found = session_bus_address();
    REQUIRE(found);
    CHECK(*found == std::vector<Address>{path((runtime.path / "bus").string())});
  }
  close(listening);
}

TEST_CASE("dbus address: no variable and no socket in $XDG_RUNTIME_DIR is no session bus",
          "[dbus_address]") {
  TempDir runtime;
  SECTION("no $XDG_RUNTIME_DIR") {
    ScopedEnv env{{"DBUS_SESSION_BUS_ADDRESS", nullptr}, {"XDG_RUNTIME_DIR", nullptr}};
    auto found = session_bus_address();
    REQUIRE_FALSE(found);
    CHECK(found.error().code == Errc::store_unavailable);
    CHECK(found.error().message.find("no D-Bus session bus") != std::string::npos);
  }
  SECTION("nothing named bus there") {
    ScopedEnv env{{"DBUS_SESSION_BUS_ADDRESS", nullptr}, {"XDG_RUNTIME_DIR", runtime.path.c_str()}};
    auto found = session_bus_address();
    REQUIRE_FALSE(found);
    CHECK(found.error().code == Errc::store_unavailable);
  }
  SECTION("a file named bus that is not a socket") {
    std::ofstream(runtime.path / "bus") << "not a socket";
    ScopedEnv env{{"DBUS_SESSION_BUS_ADDRESS", ""}, {"XDG_RUNTIME_DIR", runtime.path.c_str()}};
    auto found = session_bus_address();
    REQUIRE_FALSE(found);
    CHECK(found.error().code == Errc::store_unavailable);
  }
}
