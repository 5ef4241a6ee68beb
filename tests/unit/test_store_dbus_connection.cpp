// Runs against a real dbus-daemon and gnome-keyring-daemon on a private session bus: these
// tests are hidden from a plain run and run as `tests/keyring/with-keyring
// patrol_unit_tests "[dbus]"`. The broken buses are small servers in the test itself.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <utility>

#include "store/dbus/connection.hpp"

using patrol::Errc;
using patrol::dbus::Call;
using patrol::dbus::Connection;
using patrol::dbus::Message;
using patrol::dbus::Value;

namespace {

using namespace std::chrono_literals;

constexpr auto timeout = 10s;
constexpr const char* bus_path = "/org/freedesktop/DBus";
constexpr const char* bus_interface = "org.freedesktop.DBus";

Call bus_call(std::string member, std::vector<Value> args = {}) {
  return {"org.freedesktop.DBus", bus_path, bus_interface, std::move(member), std::move(args)};
}

Connection connected() {
  auto connection = Connection::session(timeout);
  REQUIRE(connection);
  return std::move(*connection);
}

// A Unix socket that answers one client with `serve`, run on a thread of its own.
class FakeBus {
public:
  explicit FakeBus(std::function<void(int)> serve) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "patrol-fake-bus.XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    listening_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(listening_ >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string path = (dir_ / "bus").string();
    path.copy(address.sun_path, path.size());
    REQUIRE(bind(listening_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0);
    REQUIRE(listen(listening_, 1) == 0);
    address_ = "unix:path=" + path;
    if (serve) {
      server_ = std::thread([this, serve = std::move(serve)] {
        const int client = accept(listening_, nullptr, nullptr);
        if (client >= 0) {
          serve(client);
          close(client);
        }
      });
    }
  }
  ~FakeBus() {
    shutdown(listening_, SHUT_RDWR); // wakes an accept() still waiting
    if (server_.joinable()) {
      server_.join();
    }
    close(listening_);
    std::filesystem::remove_all(dir_);
  }
  FakeBus(const FakeBus&) = delete;
  FakeBus& operator=(const FakeBus&) = delete;
  const std::string& address() const { return address_; }

private:
  std::filesystem::path dir_;
  int listening_ = -1;
  std::string address_;
  std::thread server_;
};

// Reads from the client until `marker` has arrived or it hangs up ("never sent": until it
// hangs up).
void read_until(int client, std::string_view marker) {
  std::string seen;
  char buffer[512];
  while (seen.find(marker) == std::string::npos) {
    const ssize_t got = read(client, buffer, sizeof(buffer));
    if (got <= 0) {
      return;
    }
    seen.append(buffer, static_cast<std::size_t>(got));
  }
}

void say(int client, std::string_view text) {
  REQUIRE(write(client, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
}

} // namespace

TEST_CASE("dbus connection: Hello gives a unique name", "[.][dbus]") {
  Connection connection = connected();
  CHECK(connection.unique_name().rfind(":", 0) == 0);
  CHECK(connection.unique_name().size() > 1);
  // The bus announces the name to its new owner; that signal is kept for wait_signal.
  auto acquired = connection.wait_signal(bus_path, bus_interface, "NameAcquired", timeout);
  REQUIRE(acquired);
  REQUIRE(acquired->body.size() == 1);
  CHECK(acquired->body[0] == Value::string(connection.unique_name()));
}

TEST_CASE("dbus connection: the bus answers GetId and NameHasOwner", "[.][dbus]") {
  Connection connection = connected();
  auto id = connection.call(bus_call("GetId"), timeout);
  REQUIRE(id);
  REQUIRE(id->ok());
  REQUIRE(id->body.size() == 1);
  CHECK(id->body[0].is("s"));
  CHECK(id->body[0].text.size() == 32);

  auto owned = connection.call(bus_call("NameHasOwner", {Value::string("org.freedesktop.secrets")}),
                               timeout);
  REQUIRE(owned);
  REQUIRE(owned->ok());
  CHECK(owned->body == std::vector<Value>{Value::boolean(true)});
  auto nobody =
      connection.call(bus_call("NameHasOwner", {Value::string("org.example.Nobody")}), timeout);
  REQUIRE(nobody);
  CHECK(nobody->body == std::vector<Value>{Value::boolean(false)});
}

TEST_CASE("dbus connection: an error reply is a reply with the error's name and words",
          "[.][dbus]") {
  Connection connection = connected();
  auto unknown = connection.call(bus_call("NoSuchMethod"), timeout);
  REQUIRE(unknown);
  CHECK_FALSE(unknown->ok());
  CHECK(unknown->error_name == "org.freedesktop.DBus.Error.UnknownMethod");
  CHECK(unknown->error_message.find("NoSuchMethod") != std::string::npos);

  auto nobody = connection.call({"org.example.Nobody", "/", "org.example.I", "M", {}}, timeout);
  REQUIRE(nobody);
  CHECK(nobody->error_name == "org.freedesktop.DBus.Error.ServiceUnknown");

  // The connection goes on after an error.
  auto id = connection.call(bus_call("GetId"), timeout);
  REQUIRE(id);
  CHECK(id->ok());
}

TEST_CASE("dbus connection: the Secret Service's default alias is an object path", "[.][dbus]") {
  Connection connection = connected();
  auto alias = connection.call({"org.freedesktop.secrets",
                                "/org/freedesktop/secrets",
                                "org.freedesktop.Secret.Service",
                                "ReadAlias",
                                {Value::string("default")}},
                               timeout);
  REQUIRE(alias);
  REQUIRE(alias->ok());
  REQUIRE(alias->body.size() == 1);
  CHECK(alias->body[0] == Value::object_path("/org/freedesktop/secrets/collection/login"));
}

TEST_CASE("dbus connection: a matched signal from another connection reaches wait_signal",
          "[.][dbus]") {
  Connection watcher = connected();
  REQUIRE(watcher.add_match("type='signal',sender='org.freedesktop.DBus',interface='"
                            "org.freedesktop.DBus',member='NameOwnerChanged',arg0='"
                            "org.example.PatrolTest'",
                            timeout));
  Connection owner = connected();
  auto requested = owner.call(
      bus_call("RequestName", {Value::string("org.example.PatrolTest"), Value::uint32(0)}),
      timeout);
  REQUIRE(requested);
  REQUIRE(requested->ok());
  CHECK(requested->body == std::vector<Value>{Value::uint32(1)}); // primary owner

  SECTION("waited for") {
    auto changed = watcher.wait_signal(bus_path, bus_interface, "NameOwnerChanged", timeout);
    REQUIRE(changed);
    CHECK(changed->body == std::vector<Value>{Value::string("org.example.PatrolTest"),
                                              Value::string(""),
                                              Value::string(owner.unique_name())});
  }
  SECTION("arrived during a call, so kept for later") {
    // The bus sent the signal before `owner` had its reply, so it comes before the reply
    // to this call on the watcher's socket: the call reads it and keeps it.
    auto id = watcher.call(bus_call("GetId"), timeout);
    REQUIRE(id);
    REQUIRE(id->ok());
    auto changed = watcher.wait_signal(bus_path, bus_interface, "NameOwnerChanged", 0ms);
    REQUIRE(changed);
    CHECK(changed->body[2] == Value::string(owner.unique_name()));
    // Taken once: nothing more arrives.
    auto again = watcher.wait_signal(bus_path, bus_interface, "NameOwnerChanged", 0ms);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == Errc::store_unavailable);
  }
}

TEST_CASE("dbus connection: a wait for several kinds of signal ends at the first of any",
          "[.][dbus]") {
  Connection watcher = connected();
  REQUIRE(watcher.add_match("type='signal',sender='org.freedesktop.DBus',interface='"
                            "org.freedesktop.DBus',member='NameOwnerChanged',arg0='"
                            "org.example.PatrolAny'",
                            timeout));
  Connection owner = connected();
  REQUIRE(owner.call(
      bus_call("RequestName", {Value::string("org.example.PatrolAny"), Value::uint32(0)}),
      timeout));
  auto first = watcher.wait_signal({{"/org/example/Prompt", "org.example.Prompt", "Completed"},
                                    {bus_path, bus_interface, "NameOwnerChanged"}},
                                   timeout);
  REQUIRE(first);
  CHECK(first->member == "NameOwnerChanged");
  CHECK(first->body[0] == Value::string("org.example.PatrolAny"));
}

TEST_CASE("dbus connection: a rule the bus refuses is a store failure", "[.][dbus]") {
  Connection connection = connected();
  auto added = connection.add_match("type='nonsense", timeout);
  REQUIRE_FALSE(added);
  CHECK(added.error().code == Errc::store_failed);
}

TEST_CASE("dbus connection: a moved connection still talks", "[.][dbus]") {
  Connection first = connected();
  const std::string name = first.unique_name();
  Connection second = std::move(first);
  CHECK(second.unique_name() == name);
  auto id = second.call(bus_call("GetId"), timeout);
  REQUIRE(id);
  CHECK(id->ok());
}

TEST_CASE("dbus connection: an address of another transport is unsupported", "[.][dbus]") {
  auto connection = Connection::open("tcp:host=127.0.0.1,port=1", timeout);
  REQUIRE_FALSE(connection);
  CHECK(connection.error().code == Errc::unsupported);
}

TEST_CASE("dbus connection: a bus that is not there, closes or refuses is unavailable",
          "[.][dbus]") {
  SECTION("nothing at the path, then a live bus: the next entry is used") {
    const std::string live = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    auto connection = Connection::open("unix:path=/nonexistent/patrol-bus;" + live, timeout);
    REQUIRE(connection);
    CHECK(connection->unique_name().rfind(":", 0) == 0);
  }
  SECTION("nothing at the path") {
    auto connection = Connection::open("unix:path=/nonexistent/patrol-bus", timeout);
    REQUIRE_FALSE(connection);
    CHECK(connection.error().code == Errc::store_unavailable);
    CHECK(connection.error().message.find("/nonexistent/patrol-bus") != std::string::npos);
  }
  SECTION("closed before authentication") {
    FakeBus bus([](int client) {
      shutdown(client, SHUT_WR); // the client reads the end, and is not refused a write
      read_until(client, "never sent");
    });
    auto connection = Connection::open(bus.address(), timeout);
    REQUIRE_FALSE(connection);
    CHECK(connection.error().code == Errc::store_unavailable);
    CHECK(connection.error().message.find("closed") != std::string::npos);
  }
  SECTION("authentication refused") {
    FakeBus bus([](int client) {
      read_until(client, "\r\n");
      say(client, "REJECTED EXTERNAL\r\n");
      read_until(client, "never sent");
    });
    auto connection = Connection::open(bus.address(), timeout);
    REQUIRE_FALSE(connection);
    CHECK(connection.error().code == Errc::store_unavailable);
    CHECK(connection.error().message.find("authenticate") != std::string::npos);
  }
  SECTION("closed after authentication, before Hello's reply") {
    FakeBus bus([](int client) {
      read_until(client, "BEGIN\r\n");
      say(client, "OK 0123456789abcdef0123456789abcdef\r\n");
      shutdown(client, SHUT_WR);
      read_until(client, "never sent");
    });
    auto connection = Connection::open(bus.address(), timeout);
    REQUIRE_FALSE(connection);
    CHECK(connection.error().code == Errc::store_unavailable);
  }
  SECTION("not a D-Bus message after authentication") {
    FakeBus bus([](int client) {
      read_until(client, "BEGIN\r\n");
      say(client, "OK 0123456789abcdef0123456789abcdef\r\nHTTP/1.1 400 Bad Request\r\n\r\n");
      read_until(client, "never sent");
    });
    auto connection = Connection::open(bus.address(), timeout);
    REQUIRE_FALSE(connection);
    CHECK(connection.error().code == Errc::store_unavailable);
    CHECK(connection.error().message.find("unreadable") != std::string::npos);
  }
  SECTION("silent") {
    FakeBus bus(nullptr); // listens, never accepts, never answers
    auto connection = Connection::open(bus.address(), 50ms);
    REQUIRE_FALSE(connection);
    CHECK(connection.error().code == Errc::store_unavailable);
    CHECK(connection.error().message.find("in time") != std::string::npos);
  }
}
