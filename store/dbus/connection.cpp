#include "store/dbus/connection.hpp"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>

#include "common/secret.hpp"
#include "common/text.hpp"
#include "store/dbus/address.hpp"

namespace patrol::dbus {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view bus_fix = "start a D-Bus session (your desktop's, or "
                                     "dbus-run-session) or set patrol.store=file";
// The SASL exchange is a few short lines; a longer one is not a bus talking.
constexpr std::size_t max_auth_line = 1024;
constexpr std::size_t read_chunk = 4096;
// Signals kept for a later wait_signal. A get waits for one (a prompt's Completed) and the
// bus sends a few of its own; any peer can send signals to this connection, though, as many
// as it likes, and keeping them all would let it fill our memory.
constexpr std::size_t max_queued_signals = 64;

tl::unexpected<Error> unavailable(const std::string& what) {
  return fail(Errc::store_unavailable, what + "; " + std::string(bus_fix));
}

std::string describe(const Address& address) {
  return (address.kind == Address::Kind::path ? "unix:path=" : "unix:abstract=") + address.name;
}

// Milliseconds for poll(): -1 without a deadline, 0 once it has passed.
int poll_timeout(const std::optional<Clock::time_point>& deadline) {
  if (!deadline) {
    return -1;
  }
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

// Waits until fd is ready for `events`; false when the deadline passes first.
Result<bool> wait_ready(int fd, short events, const std::optional<Clock::time_point>& deadline) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = ::poll(&entry, 1, poll_timeout(deadline));
    if (ready > 0) {
      return true;
    }
    if (ready == 0) {
      return false;
    }
    if (errno != EINTR) {
      return unavailable("waiting for the D-Bus session bus failed (" +
                         std::string(std::strerror(errno)) + ")");
    }
  }
}

// Grows buffer's capacity to at least `capacity` without leaving its old bytes behind in
// freed memory.
void reserve_wiped(std::string& buffer, std::size_t capacity) {
  if (buffer.capacity() >= capacity) {
    return;
  }
  std::string bigger;
  bigger.reserve(std::max(capacity, 2 * buffer.capacity()));
  bigger.assign(buffer);
  wipe(buffer);
  buffer.swap(bigger);
}

Result<int> connect_to(const Address& address, Clock::time_point deadline) {
  sockaddr_un socket_address{};
  socket_address.sun_family = AF_UNIX;
  const bool abstract = address.kind == Address::Kind::abstract_name;
  // The abstract namespace starts with a NUL and has none at the end; a path ends in one.
  if (address.name.size() + 1 > sizeof(socket_address.sun_path) ||
      address.name.find('\0') != std::string::npos) {
    return unavailable("the D-Bus session bus address " + describe(address) +
                       " is longer than a Unix socket name can be");
  }
  std::memcpy(socket_address.sun_path + (abstract ? 1 : 0), address.name.data(),
              address.name.size());
  const auto length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.name.size() + 1);

  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    return unavailable("no socket for the D-Bus session bus (" + std::string(std::strerror(errno)) +
                       ")");
  }
  int error = 0;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&socket_address), length) != 0) {
    error = errno;
    if (error == EINPROGRESS || error == EINTR) {
      Result<bool> ready = wait_ready(fd, POLLOUT, deadline);
      socklen_t size = sizeof(error);
      if (!ready || !*ready) {
        error = ETIMEDOUT;
      } else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
        error = errno;
      }
    }
  }
  if (error != 0) {
    ::close(fd);
    return unavailable("the D-Bus session bus at " + describe(address) + " is not reachable (" +
                       std::string(std::strerror(error)) + ")");
  }
  return fd;
}

// The uid as SASL EXTERNAL wants it: its decimal digits, hex-encoded.
std::string external_identity() {
  static constexpr char hex[] = "0123456789abcdef";
  std::string identity;
  for (const char digit : std::to_string(::getuid())) {
    identity.push_back(hex[static_cast<unsigned char>(digit) >> 4]);
    identity.push_back(hex[static_cast<unsigned char>(digit) & 0xf]);
  }
  return identity;
}

Message bus_message(std::string member, std::vector<Value> args) {
  Message message;
  message.type = MessageType::method_call;
  message.destination = "org.freedesktop.DBus";
  message.path = "/org/freedesktop/DBus";
  message.interface = "org.freedesktop.DBus";
  message.member = std::move(member);
  message.body = std::move(args);
  return message;
}

bool is_signal(const Message& message, std::initializer_list<Connection::SignalKind> kinds) {
  return message.type == MessageType::signal &&
         std::any_of(kinds.begin(), kinds.end(), [&](const Connection::SignalKind& kind) {
           return message.path == kind.path && message.interface == kind.interface &&
                  message.member == kind.member &&
                  (kind.sender.empty() || message.sender == kind.sender);
         });
}

} // namespace

Result<Connection> Connection::session(std::chrono::milliseconds timeout) {
  return start(session_bus_address(), timeout);
}

Result<Connection> Connection::open(std::string_view address_list,
                                    std::chrono::milliseconds timeout) {
  return start(parse_address_list(address_list), timeout);
}

Result<Connection> Connection::start(Result<std::vector<Address>> addresses,
                                     std::chrono::milliseconds timeout) {
  if (!addresses) {
    return tl::unexpected(addresses.error());
  }
  const Clock::time_point deadline = Clock::now() + timeout;
  Result<int> fd = fail(Errc::store_unavailable, "");
  for (const Address& address : *addresses) {
    fd = connect_to(address, deadline);
    if (fd) {
      break;
    }
    // Else the next entry, as libdbus and GLib do.
  }
  if (!fd) {
    return tl::unexpected(fd.error());
  }
  Connection connection(*fd);
  Result<void> started = connection.authenticate(deadline);
  if (!started) {
    return tl::unexpected(started.error());
  }
  return connection;
}

Connection::Connection(Connection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), serial_(other.serial_),
      authenticated_(other.authenticated_), unique_name_(std::move(other.unique_name_)),
      received_(std::move(other.received_)), signals_(std::move(other.signals_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    serial_ = other.serial_;
    authenticated_ = other.authenticated_;
    unique_name_ = std::move(other.unique_name_);
    received_ = std::move(other.received_);
    signals_ = std::move(other.signals_);
  }
  return *this;
}

Connection::~Connection() { close(); }

void Connection::close() noexcept {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  wipe(received_);
  signals_.clear();
}

Result<void> Connection::authenticate(Deadline deadline) {
  // Everything up to Hello in one write: the bus answers OK, then Hello's reply, and the
  // start costs one round trip.
  Message hello = bus_message("Hello", {});
  hello.serial = serial_ = 1;
  std::string opening("\0AUTH EXTERNAL ", 15);
  opening += external_identity() + "\r\nBEGIN\r\n" + marshal(hello);
  Result<void> sent = send_bytes(opening, deadline);
  if (!sent) {
    return sent;
  }
  Result<Reply> reply = await_reply(hello.serial, deadline);
  if (!reply) {
    return tl::unexpected(reply.error());
  }
  if (!reply->ok() || reply->body.empty() || !reply->body.front().is("s")) {
    close();
    return unavailable("the D-Bus session bus refused this connection's Hello (" +
                       shown(reply->error_name) + ")");
  }
  unique_name_ = reply->body.front().text;
  return {};
}

Result<void> Connection::read_auth_reply(Deadline deadline) {
  std::size_t end = std::string::npos;
  while ((end = received_.find("\r\n")) == std::string::npos) {
    if (received_.size() > max_auth_line) {
      close();
      return unavailable("the D-Bus session bus answered authentication with something that is "
                         "not SASL");
    }
    Result<void> more = fill(received_.size() + 1, deadline);
    if (!more) {
      return more;
    }
  }
  const bool accepted = received_.compare(0, 3, "OK ") == 0;
  received_.erase(0, end + 2);
  if (!accepted) {
    close();
    return unavailable("the D-Bus session bus refused to authenticate this user (SASL EXTERNAL)");
  }
  authenticated_ = true;
  return {};
}

Result<void> Connection::send_bytes(std::string_view bytes, Deadline deadline) {
  if (fd_ < 0) {
    return unavailable("the connection to the D-Bus session bus is closed");
  }
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(sent));
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    const int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK) {
      Result<bool> ready = wait_ready(fd_, POLLOUT, deadline);
      if (ready && *ready) {
        continue;
      }
    }
    // Part of a message may be written: nothing more can be said on this connection.
    close();
    if (error == EAGAIN || error == EWOULDBLOCK) {
      return unavailable("the D-Bus session bus did not take a message in time");
    }
    return unavailable("writing to the D-Bus session bus failed (" +
                       std::string(std::strerror(error)) + ")");
  }
  return {};
}

Result<void> Connection::fill(std::size_t bytes, Deadline deadline) {
  while (received_.size() < bytes) {
    if (fd_ < 0) {
      return unavailable("the connection to the D-Bus session bus is closed");
    }
    const std::size_t had = received_.size();
    reserve_wiped(received_, std::max(bytes, had + read_chunk));
    received_.resize(received_.capacity());
    const ssize_t got = ::recv(fd_, received_.data() + had, received_.size() - had, 0);
    received_.resize(had + (got > 0 ? static_cast<std::size_t>(got) : 0));
    if (got > 0) {
      continue;
    }
    if (got == 0) {
      close();
      return unavailable("the D-Bus session bus closed the connection");
    }
    const int error = errno;
    if (error == EINTR) {
      continue;
    }
    if (error != EAGAIN && error != EWOULDBLOCK) {
      close();
      return unavailable("reading from the D-Bus session bus failed (" +
                         std::string(std::strerror(error)) + ")");
    }
    Result<bool> ready = wait_ready(fd_, POLLIN, deadline);
    if (!ready) {
      return tl::unexpected(ready.error());
    }
    if (!*ready) {
      return unavailable("the D-Bus session bus did not answer in time");
    }
  }
  return {};
}

Result<Message> Connection::receive(Deadline deadline) {
  if (!authenticated_) {
    Result<void> accepted = read_auth_reply(deadline);
    if (!accepted) {
      return tl::unexpected(accepted.error());
    }
  }
  Result<void> header = fill(16, deadline);
  if (!header) {
    return tl::unexpected(header.error());
  }
  Result<std::size_t> size = message_size(received_);
  if (!size) {
    close(); // the stream cannot be followed past a message that cannot be read
    return unavailable("the D-Bus session bus sent something unreadable (" + size.error().message +
                       ")");
  }
  Result<void> whole = fill(*size, deadline);
  if (!whole) {
    return tl::unexpected(whole.error());
  }
  Result<Message> message = parse(std::string_view(received_).substr(0, *size));
  if (!message) {
    close();
    return unavailable("the D-Bus session bus sent something unreadable (" +
                       message.error().message + ")");
  }
  // The message's bytes are gone from here; the moved-up rest is wiped with the buffer.
  wipe(received_.data(), *size);
  received_.erase(0, *size);
  return message;
}

Result<Reply> Connection::await_reply(std::uint32_t serial, Deadline deadline) {
  for (;;) {
    Result<Message> message = receive(deadline);
    if (!message) {
      return tl::unexpected(message.error());
    }
    if (message->type == MessageType::signal) {
      keep(std::move(*message));
      continue;
    }
    if (message->reply_serial != serial ||
        (message->type != MessageType::method_return && message->type != MessageType::error)) {
      continue; // a call to us, or a late reply to a call that timed out
    }
    Reply reply;
    reply.sender = message->sender;
    if (message->type == MessageType::error) {
      reply.error_name = message->error_name;
      if (!message->body.empty() && message->body.front().is("s")) {
        reply.error_message = message->body.front().text;
      }
    }
    reply.body = std::move(message->body);
    return reply;
  }
}

void Connection::keep(Message signal) {
  // The first ones are kept, not the latest: a flood that follows an awaited signal must not
  // push it out.
  if (signals_.size() < max_queued_signals) {
    signals_.push_back(std::move(signal));
  }
}

Result<Reply> Connection::send_call(Message message, Deadline deadline) {
  serial_ = serial_ == UINT32_MAX ? 1 : serial_ + 1;
  message.serial = serial_;
  std::string bytes = marshal(message);
  Result<void> sent = send_bytes(bytes, deadline);
  wipe(bytes);
  if (!sent) {
    return tl::unexpected(sent.error());
  }
  return await_reply(message.serial, deadline);
}

Result<Reply> Connection::call_bus(std::string member, std::vector<Value> args, Deadline deadline) {
  return send_call(bus_message(std::move(member), std::move(args)), deadline);
}

Result<Reply> Connection::call(const Call& call, std::chrono::milliseconds timeout) {
  Message message;
  message.type = MessageType::method_call;
  message.destination = call.destination;
  message.path = call.path;
  message.interface = call.interface;
  message.member = call.member;
  message.body = call.args;
  return send_call(std::move(message), Clock::now() + timeout);
}

Result<void> Connection::add_match(std::string_view rule, std::chrono::milliseconds timeout) {
  Result<Reply> reply = call_bus("AddMatch", {Value::string(rule)}, Clock::now() + timeout);
  if (!reply) {
    return tl::unexpected(reply.error());
  }
  if (!reply->ok()) {
    return fail(Errc::store_failed, "the D-Bus session bus refused to pass on the signals "
                                    "the Secret Service's prompt sends (" +
                                        shown(reply->error_name) + ")");
  }
  return {};
}

Result<Message> Connection::wait_signal(std::string_view path, std::string_view interface,
                                        std::string_view member,
                                        std::optional<std::chrono::milliseconds> timeout) {
  return wait_signal({SignalKind{path, interface, member}}, timeout);
}

Result<Message> Connection::wait_signal(std::initializer_list<SignalKind> kinds,
                                        std::optional<std::chrono::milliseconds> timeout) {
  for (auto queued = signals_.begin(); queued != signals_.end(); ++queued) {
    if (is_signal(*queued, kinds)) {
      Message found = std::move(*queued);
      signals_.erase(queued);
      return found;
    }
  }
  Deadline deadline;
  if (timeout) {
    deadline = Clock::now() + *timeout;
  }
  for (;;) {
    Result<Message> message = receive(deadline);
    if (!message) {
      return message;
    }
    if (is_signal(*message, kinds)) {
      return message;
    }
    if (message->type == MessageType::signal) {
      keep(std::move(*message));
    }
  }
}

} // namespace patrol::dbus
