#include "store/file_format.hpp"

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

namespace patrol::store::file_format {
namespace {

using json = nlohmann::json;

constexpr std::string_view format_name = "git-credential-patrol-file";
constexpr int format_version = 1;
constexpr std::size_t key_id_bytes = 16;

// Bind each sealed part to this format and this data key: a wrapped key or payload moved
// from another file or version does not open.
std::string key_aad(const Envelope& envelope) {
  return std::string(format_name) + "/1/key/" + envelope.key_id + envelope.salt;
}
std::string payload_aad(const Envelope& envelope) {
  return std::string(format_name) + "/1/payload/" + envelope.key_id;
}

// nlohmann keeps its own copies of strings: wipe every one before the value goes away.
void wipe_json(json& value) {
  if (value.is_string()) {
    wipe(value.get_ref<std::string&>());
  } else if (value.is_structured()) {
    for (json& child : value) {
      wipe_json(child);
    }
  }
}

class JsonWiper {
public:
  explicit JsonWiper(json& value) : value_(value) {}
  ~JsonWiper() { wipe_json(value_); }
  JsonWiper(const JsonWiper&) = delete;
  JsonWiper& operator=(const JsonWiper&) = delete;

private:
  json& value_;
};

tl::unexpected<Error> corrupt(std::string_view what) {
  return fail(Errc::store_failed, "the credential file is damaged: " + std::string(what));
}

std::optional<std::string> string_field(const json& object, const char* name) {
  auto found = object.find(name);
  if (found == object.end() || !found->is_string()) {
    return std::nullopt;
  }
  return found->get<std::string>();
}

std::optional<std::uint64_t> number_field(const json& object, const char* name) {
  auto found = object.find(name);
  if (found == object.end() || !found->is_number_unsigned()) {
    return std::nullopt;
  }
  return found->get<std::uint64_t>();
}

std::optional<std::string> bytes_field(const json& object, const char* name) {
  std::optional<std::string> text = string_field(object, name);
  return text ? file_crypto::base64_decode(*text) : std::nullopt;
}

std::optional<std::int64_t> time_field(const json& object, const char* name) {
  auto found = object.find(name);
  if (found == object.end() || !found->is_number_integer()) {
    return std::nullopt;
  }
  return found->get<std::int64_t>();
}

} // namespace

Result<Envelope> create(const Secret& passphrase, Secret& data_key,
                        const file_crypto::ScryptParams& kdf) {
  Envelope envelope;
  envelope.kdf = kdf;
  Result<std::string> key_id = file_crypto::random_bytes(key_id_bytes);
  Result<std::string> key = file_crypto::random_bytes(file_crypto::key_bytes);
  if (!key_id || !key) {
    return tl::unexpected(!key_id ? key_id.error() : key.error());
  }
  envelope.key_id = std::move(*key_id);
  data_key = Secret(std::move(*key));
  Result<void> wrapped = rewrap_key(envelope, data_key, passphrase);
  if (!wrapped) {
    return tl::unexpected(wrapped.error());
  }
  Result<void> sealed = seal_payload(envelope, data_key, {});
  if (!sealed) {
    return tl::unexpected(sealed.error());
  }
  return envelope;
}

Result<Secret> unwrap_key(const Envelope& envelope, const Secret& passphrase) {
  Result<Secret> kek = file_crypto::derive_key(passphrase, envelope.salt, envelope.kdf);
  if (!kek) {
    return tl::unexpected(kek.error());
  }
  Result<Secret> key = file_crypto::open(*kek, envelope.wrapped_key, key_aad(envelope));
  if (!key || key->view().size() != file_crypto::key_bytes) {
    return fail(Errc::store_locked, "wrong passphrase for the credential file");
  }
  return key;
}

Result<void> rewrap_key(Envelope& envelope, const Secret& data_key, const Secret& passphrase) {
  Result<std::string> salt = file_crypto::random_bytes(file_crypto::salt_bytes);
  if (!salt) {
    return tl::unexpected(salt.error());
  }
  Envelope changed = envelope;
  changed.salt = std::move(*salt);
  Result<Secret> kek = file_crypto::derive_key(passphrase, changed.salt, changed.kdf);
  if (!kek) {
    return tl::unexpected(kek.error());
  }
  Result<std::string> wrapped = file_crypto::seal(*kek, data_key.view(), key_aad(changed));
  if (!wrapped) {
    return tl::unexpected(wrapped.error());
  }
  changed.wrapped_key = std::move(*wrapped);
  envelope = std::move(changed);
  return {};
}

Result<std::vector<Record>> open_payload(const Envelope& envelope, const Secret& data_key) {
  Result<Secret> plain = file_crypto::open(data_key, envelope.payload, payload_aad(envelope));
  if (!plain) {
    return corrupt("its contents do not decrypt (changed or truncated)");
  }
  return parse_records(plain->view());
}

Result<void> seal_payload(Envelope& envelope, const Secret& data_key,
                          const std::vector<Record>& records) {
  Secret plain = serialize_records(records);
  Result<std::string> sealed = file_crypto::seal(data_key, plain.view(), payload_aad(envelope));
  if (!sealed) {
    return tl::unexpected(sealed.error());
  }
  envelope.payload = std::move(*sealed);
  return {};
}

std::string to_text(const Envelope& envelope) {
  json object = {
      {"format", format_name},
      {"version", format_version},
      {"kdf", "scrypt"},
      {"n", envelope.kdf.n},
      {"r", envelope.kdf.r},
      {"p", envelope.kdf.p},
      {"salt", file_crypto::base64_encode(envelope.salt)},
      {"key_id", file_crypto::base64_encode(envelope.key_id)},
      {"wrapped_key", file_crypto::base64_encode(envelope.wrapped_key)},
      {"payload", file_crypto::base64_encode(envelope.payload)},
  };
  return object.dump(1) + "\n";
}

Result<Envelope> parse(std::string_view text) {
  json object = json::parse(text, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    return corrupt(text.empty() ? "it is empty" : "it is not a complete JSON envelope");
  }
  if (string_field(object, "format") != format_name) {
    return corrupt("it is not a git-credential-patrol credential file");
  }
  std::optional<std::uint64_t> version = number_field(object, "version");
  if (version != std::uint64_t{format_version}) {
    return fail(Errc::unsupported,
                "the credential file has a format version this build does not read");
  }
  if (string_field(object, "kdf") != "scrypt") {
    return corrupt("it names an unknown key derivation");
  }
  Envelope envelope;
  std::optional<std::uint64_t> n = number_field(object, "n");
  std::optional<std::uint64_t> r = number_field(object, "r");
  std::optional<std::uint64_t> p = number_field(object, "p");
  std::optional<std::string> salt = bytes_field(object, "salt");
  std::optional<std::string> key_id = bytes_field(object, "key_id");
  std::optional<std::string> wrapped = bytes_field(object, "wrapped_key");
  std::optional<std::string> payload = bytes_field(object, "payload");
  if (!n || !r || !p || !salt || !key_id || !wrapped || !payload) {
    return corrupt("a field is missing or not valid base64");
  }
  envelope.kdf = {*n, *r, *p};
  if (!file_crypto::acceptable(envelope.kdf)) {
    return corrupt("its scrypt parameters are out of range");
  }
  envelope.salt = std::move(*salt);
  envelope.key_id = std::move(*key_id);
  envelope.wrapped_key = std::move(*wrapped);
  envelope.payload = std::move(*payload);
  return envelope;
}

Secret serialize_records(const std::vector<Record>& records) {
  json array = json::array();
  JsonWiper wiper(array);
  for (const Record& record : records) {
    json item = {
        {"protocol", record.protocol},
        {"host", record.host},
        {"path", record.path},
        {"username", record.username},
        {"secret", std::string(record.secret.view())},
        {"kind", std::string(to_string(record.kind))},
        {"scopes", record.scopes},
        {"token_id", record.token_id},
        {"token_name", record.token_name},
    };
    if (!record.refresh_token.empty()) {
      item["refresh_token"] = std::string(record.refresh_token.view());
    }
    if (record.expires_at) {
      item["expires_at"] = *record.expires_at;
    }
    if (record.checked_at) {
      item["checked_at"] = *record.checked_at;
    }
    array.push_back(std::move(item));
    wipe_json(item); // a moved-from json is null, but be sure nothing is left behind
  }
  // Invalid UTF-8 in a field (git passes bytes through) is escaped, not refused.
  std::string text = array.dump(-1, ' ', false, json::error_handler_t::replace);
  return Secret(std::move(text));
}

Result<std::vector<Record>> parse_records(std::string_view text) {
  json array = json::parse(text, nullptr, false);
  JsonWiper wiper(array);
  if (array.is_discarded() || !array.is_array()) {
    return corrupt("its decrypted contents are not a list of credentials");
  }
  std::vector<Record> records;
  for (const json& item : array) {
    if (!item.is_object()) {
      return corrupt("a credential in it is not an object");
    }
    Record record;
    std::optional<std::string> protocol = string_field(item, "protocol");
    std::optional<std::string> host = string_field(item, "host");
    std::optional<std::string> secret = string_field(item, "secret");
    if (!protocol || !host || !secret) {
      return corrupt("a credential in it lacks a protocol, host or secret");
    }
    record.protocol = std::move(*protocol);
    record.host = std::move(*host);
    record.secret = Secret(std::move(*secret));
    record.path = string_field(item, "path").value_or("");
    record.username = string_field(item, "username").value_or("");
    record.kind = kind_from_string(string_field(item, "kind").value_or("")).value_or(Kind::password);
    if (std::optional<std::string> refresh = string_field(item, "refresh_token")) {
      record.refresh_token = Secret(std::move(*refresh));
    }
    record.expires_at = time_field(item, "expires_at");
    record.checked_at = time_field(item, "checked_at");
    auto scopes = item.find("scopes");
    if (scopes != item.end() && scopes->is_array()) {
      for (const json& scope : *scopes) {
        if (scope.is_string()) {
          record.scopes.push_back(scope.get<std::string>());
        }
      }
    }
    record.token_id = string_field(item, "token_id").value_or("");
    record.token_name = string_field(item, "token_name").value_or("");
    records.push_back(std::move(record));
  }
  return records;
}

} // namespace patrol::store::file_format
