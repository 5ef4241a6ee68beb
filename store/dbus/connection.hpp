#pragma once
// A connection to the session bus over its Unix socket, spoken by this client itself: SASL
// EXTERNAL, Hello, then method calls one at a time and the signals they lead to. Never
// prints; every failure is a Result with one line saying what happened and what to do.
#include <chrono>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/dbus/address.hpp"
#include "store/dbus/message.hpp"
#include "store/dbus/value.hpp"

namespace patrol::dbus {

struct Call {
  std::string destination, path, interface, member;
  std::vector<Value> args;
};

struct Reply {
  std::string error_name; // empty: a method return
  std::string
      error_message; // the error's first string argument, if any (data, never terminal text)
  std::vector<Value> body;
  std::string sender; // the unique name of the connection that answered
  bool ok() const { return error_name.empty(); }
};

class Connection {
public:
  // Connects to the session bus (address.hpp), authenticates with SASL EXTERNAL (uid), sends
  // BEGIN and Hello in the same write as the authentication, so the whole start is one round
  // trip. Errors: Errc::unsupported (no address of a kind spoken here),
  // Errc::store_unavailable (nothing listens, auth refused, bus silent past `timeout`).
  static Result<Connection> session(std::chrono::milliseconds timeout);
  // The same on the given address list (a DBUS_SESSION_BUS_ADDRESS value).
  static Result<Connection> open(std::string_view address_list, std::chrono::milliseconds timeout);

  // Sends one method call and waits for its reply (by reply_serial). Signals that arrive
  // meanwhile are queued for wait_signal (the first 64 not yet taken; more are dropped);
  // other messages are dropped. A D-Bus error reply is
  // a Reply with error_name set (not a Result error); a transport failure, a closed socket or
  // no answer within `timeout` is Errc::store_unavailable.
  Result<Reply> call(const Call& call, std::chrono::milliseconds timeout);
  // Adds the match rule with org.freedesktop.DBus.AddMatch (one call) — used before Prompt.
  // The bus refusing the rule is Errc::store_failed.
  Result<void> add_match(std::string_view rule, std::chrono::milliseconds timeout);
  // The first queued or arriving signal with this path, interface and member; waits without
  // limit when timeout is nullopt (a person typing a password into a prompt); a closed
  // connection is Errc::store_unavailable.
  Result<Message> wait_signal(std::string_view path, std::string_view interface,
                              std::string_view member,
                              std::optional<std::chrono::milliseconds> timeout);
  // The same for the first signal that is any of these: an answer, or the sign that it will
  // never come (its sender leaving the bus).
  // sender: the unique or well-known name that must have sent it (the bus sets a
  // message's sender, so no other peer can claim it); empty: anyone.
  struct SignalKind {
    std::string_view path, interface, member;
    std::string_view sender = {};
  };
  Result<Message> wait_signal(std::initializer_list<SignalKind> kinds,
                              std::optional<std::chrono::milliseconds> timeout);
  const std::string& unique_name() const { return unique_name_; }

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // Closes the socket; sends nothing.
  ~Connection();

private:
  using Deadline = std::optional<std::chrono::steady_clock::time_point>;

  explicit Connection(int fd) : fd_(fd) {}
  static Result<Connection> start(Result<std::vector<Address>> addresses,
                                  std::chrono::milliseconds timeout);
  Result<void> authenticate(Deadline deadline);
  Result<void> read_auth_reply(Deadline deadline);
  Result<Reply> call_bus(std::string member, std::vector<Value> args, Deadline deadline);
  Result<Reply> send_call(Message message, Deadline deadline);
  Result<Reply> await_reply(std::uint32_t serial, Deadline deadline);
  Result<void> send_bytes(std::string_view bytes, Deadline deadline);
  Result<Message> receive(Deadline deadline);
  void keep(Message signal); // queued for wait_signal, up to a bound
  Result<void> fill(std::size_t bytes, Deadline deadline);
  void close() noexcept;

  int fd_ = -1;
  std::uint32_t serial_ = 0;
  bool authenticated_ = false; // the bus's SASL answer has been read
  std::string unique_name_;
  std::string received_; // bytes read and not yet parsed; wiped as they are used
  std::deque<Message> signals_;
};

} // namespace patrol::dbus
