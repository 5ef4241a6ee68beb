#include "store/file_format.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/random.hpp"

namespace patrol::store::file_format {
namespace {

using json = nlohmann::json;

constexpr std::string_view format_name = "git-credential-patrol-file";
constexpr std::size_t key_id_bytes = 16;
// The envelope's fields; any other field makes the file damaged, so nothing in the header
// escapes the payload's authentication.
constexpr std::array<std::string_view, 10> envelope_fields{
    "format", "version", "kdf", "n", "r", "p", "salt", "key_id", "wrapped_key", "payload"};

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF — exactly what
// nlohmann's dump accepts.
bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      low = lead == 0xE0 ? 0xA0 : 0x80;
      high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      low = lead == 0xF0 ? 0x90 : 0x80;
      high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      return false;
    }
    if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) {
      return false;
    }
    for (std::size_t k = 2; k < length; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

// Bind the wrapped key to this data key and salt. Unchanged since version 1: the key that
// seals it is derived from n, r and p, so a changed parameter already fails to open it.
std::string key_aad(const Envelope& envelope) {
  return std::string(format_name) + "/1/key/" + envelope.key_id + envelope.salt;
}

// Version 2 binds the payload to every byte of the header (header_text); version 1 bound
// it to the key id alone, which let a changed n, r or p pass with a cached key.
std::string payload_aad(const Envelope& envelope) {
  if (envelope.version == 1) {
    return std::string(format_name) + "/1/payload/" + envelope.key_id;
  }
  return std::string(format_name) + "/2/payload/\n" + header_text(envelope);
}

// A field's bytes as JSON: a string when they are UTF-8, else {"base64": ...}, because
// JSON strings hold only Unicode text and git's values are bytes.
json bytes_value(std::string_view bytes) {
  if (valid_utf8(bytes)) {
    return std::string(bytes);
  }
  return json{{"base64", file_crypto::base64_encode(bytes)}};
}

// A field written by bytes_value; nullopt when it is neither form.
std::optional<std::string> bytes_of(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_object() && value.size() == 1 && value.contains("base64") &&
      value["base64"].is_string()) {
    return file_crypto::base64_decode(value["base64"].get_ref<const std::string&>());
  }
  return std::nullopt;
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

// Whether file_crypto::open failed on the data itself (a wrong key or changed bytes), not
// because libgcrypt could not be loaded: only the first says anything about the file, and
// a file called damaged is moved aside by the next store.
bool failed_to_open(const Error& error) { return error.code == Errc::store_failed; }

std::optional<std::string> string_field(const json& object, const char* name) {
  auto found = object.find(name);
  if (found == object.end() || !found->is_string()) {
    return std::nullopt;
  }
  return found->get<std::string>();
}

// A record's field, in either form bytes_value writes.
std::optional<std::string> value_field(const json& object, const char* name) {
  auto found = object.find(name);
  if (found == object.end()) {
    return std::nullopt;
  }
  return bytes_of(*found);
}

std::optional<std::uint64_t> number_field(const json& object, const char* name) {
  auto found = object.find(name);
  if (found == object.end() || !found->is_number_unsigned()) {
    return std::nullopt;
  }
  return found->get<std::uint64_t>();
}

std::optional<std::string> base64_field(const json& object, const char* name) {
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

std::string header_text(const Envelope& envelope) {
  std::string text(format_name);
  text += "\nversion=" + std::to_string(envelope.version);
  text += "\nkdf=scrypt";
  text += "\nn=" + std::to_string(envelope.kdf.n);
  text += "\nr=" + std::to_string(envelope.kdf.r);
  text += "\np=" + std::to_string(envelope.kdf.p);
  text += "\nsalt=" + file_crypto::base64_encode(envelope.salt);
  text += "\nkey_id=" + file_crypto::base64_encode(envelope.key_id);
  text += "\nwrapped_key=" + file_crypto::base64_encode(envelope.wrapped_key);
  text += "\n";
  return text;
}

Result<Envelope> create(const Secret& passphrase, Secret& data_key,
                        const file_crypto::ScryptParams& kdf) {
  if (!file_crypto::acceptable(kdf) || !file_crypto::strong_enough(kdf)) {
    return fail(Errc::store_failed, "refusing scrypt parameters weaker than n=32768, r=8, p=1");
  }
  Envelope envelope;
  envelope.kdf = kdf;
  Result<std::string> key_id = random_bytes(key_id_bytes);
  Result<std::string> key = random_bytes(file_crypto::key_bytes);
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
  if (!key && !failed_to_open(key.error())) {
    return tl::unexpected(key.error());
  }
  if (!key || key->view().size() != file_crypto::key_bytes) {
    return fail(Errc::store_locked, "wrong passphrase for the credential file");
  }
  return key;
}

Result<void> rewrap_key(Envelope& envelope, const Secret& data_key, const Secret& passphrase) {
  Result<std::string> salt = random_bytes(file_crypto::salt_bytes);
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
  // The payload is bound to the header, wrapped key and salt included: seal it again.
  if (!envelope.payload.empty()) {
    Result<Secret> plain = file_crypto::open(data_key, envelope.payload, payload_aad(envelope));
    if (!plain) {
      if (!failed_to_open(plain.error())) {
        return tl::unexpected(plain.error());
      }
      return corrupt("its contents do not decrypt (changed or truncated)");
    }
    changed.version = format_version;
    Result<std::string> sealed = file_crypto::seal(data_key, plain->view(), payload_aad(changed));
    if (!sealed) {
      return tl::unexpected(sealed.error());
    }
    changed.payload = std::move(*sealed);
  }
  envelope = std::move(changed);
  return {};
}

Result<std::vector<Record>> open_payload(const Envelope& envelope, const Secret& data_key) {
  Result<Secret> plain = file_crypto::open(data_key, envelope.payload, payload_aad(envelope));
  if (!plain) {
    if (!failed_to_open(plain.error())) {
      return tl::unexpected(plain.error());
    }
    return corrupt("its contents do not decrypt (changed or truncated)");
  }
  return parse_records(plain->view());
}

Result<void> seal_payload(Envelope& envelope, const Secret& data_key,
                          const std::vector<Record>& records) {
  Secret plain = serialize_records(records);
  Envelope sealed_as = envelope;
  sealed_as.version = format_version; // a version 1 file is upgraded by its next write
  Result<std::string> sealed = file_crypto::seal(data_key, plain.view(), payload_aad(sealed_as));
  if (!sealed) {
    return tl::unexpected(sealed.error());
  }
  envelope.version = format_version;
  envelope.payload = std::move(*sealed);
  return {};
}

std::string to_text(const Envelope& envelope) {
  json object = {
      {"format", format_name},
      {"version", envelope.version},
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
  if (!version || *version < 1 || *version > std::uint64_t{format_version}) {
    return fail(Errc::unsupported,
                "the credential file has a format version this build does not read");
  }
  for (const auto& [name, value] : object.items()) {
    if (std::find(envelope_fields.begin(), envelope_fields.end(), name) == envelope_fields.end()) {
      return corrupt("it has a field '" + name + "' this version does not know");
    }
  }
  if (string_field(object, "kdf") != "scrypt") {
    return corrupt("it names an unknown key derivation");
  }
  Envelope envelope;
  envelope.version = static_cast<int>(*version);
  std::optional<std::uint64_t> n = number_field(object, "n");
  std::optional<std::uint64_t> r = number_field(object, "r");
  std::optional<std::uint64_t> p = number_field(object, "p");
  std::optional<std::string> salt = base64_field(object, "salt");
  std::optional<std::string> key_id = base64_field(object, "key_id");
  std::optional<std::string> wrapped = base64_field(object, "wrapped_key");
  std::optional<std::string> payload = base64_field(object, "payload");
  if (!n || !r || !p || !salt || !key_id || !wrapped || !payload) {
    return corrupt("a field is missing or not valid base64");
  }
  envelope.kdf = {*n, *r, *p};
  if (!file_crypto::acceptable(envelope.kdf)) {
    return corrupt("its scrypt parameters are out of range");
  }
  if (!file_crypto::strong_enough(envelope.kdf)) {
    // No build ever wrote weaker ones: someone lowered them to make guessing cheap.
    return corrupt("its scrypt parameters are weaker than n=32768, r=8, p=1");
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
    json scopes = json::array();
    for (const std::string& scope : record.scopes) {
      scopes.push_back(bytes_value(scope));
    }
    json item = {
        {"protocol", bytes_value(record.protocol)},
        {"host", bytes_value(record.host)},
        {"path", bytes_value(record.path)},
        {"username", bytes_value(record.username)},
        {"secret", bytes_value(record.secret.view())},
        {"kind", std::string(to_string(record.kind))},
        {"scopes", std::move(scopes)},
        {"token_id", bytes_value(record.token_id)},
        {"token_name", bytes_value(record.token_name)},
    };
    if (!record.authtype.empty()) {
      item["authtype"] = bytes_value(record.authtype);
    }
    if (!record.refresh_token.empty()) {
      item["refresh_token"] = bytes_value(record.refresh_token.view());
    }
    if (record.expires_at) {
      item["expires_at"] = *record.expires_at;
    }
    if (record.checked_at) {
      item["checked_at"] = *record.checked_at;
    }
    if (record.warned_at) {
      item["warned_at"] = *record.warned_at;
    }
    if (record.state != State::active) { // absent means active, as in files written before
      item["state"] = std::string(to_string(record.state));
    }
    array.push_back(std::move(item));
    wipe_json(item); // a moved-from json is null, but be sure nothing is left behind
  }
  // Every string is UTF-8 by now (bytes_value); strict would throw, so say so plainly.
  std::string text = array.dump(-1, ' ', false, json::error_handler_t::ignore);
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
    std::optional<std::string> protocol = value_field(item, "protocol");
    std::optional<std::string> host = value_field(item, "host");
    std::optional<std::string> secret = value_field(item, "secret");
    if (!protocol || !host || !secret) {
      return corrupt("a credential in it lacks a protocol, host or secret");
    }
    record.protocol = std::move(*protocol);
    record.host = std::move(*host);
    record.secret = Secret(std::move(*secret));
    record.path = value_field(item, "path").value_or("");
    record.username = value_field(item, "username").value_or("");
    record.authtype = value_field(item, "authtype").value_or("");
    record.kind =
        kind_from_string(string_field(item, "kind").value_or("")).value_or(Kind::password);
    if (std::optional<std::string> refresh = value_field(item, "refresh_token")) {
      record.refresh_token = Secret(std::move(*refresh));
    }
    record.expires_at = time_field(item, "expires_at");
    record.checked_at = time_field(item, "checked_at");
    record.warned_at = time_field(item, "warned_at");
    record.state =
        state_from_string(string_field(item, "state").value_or("")).value_or(State::active);
    auto scopes = item.find("scopes");
    if (scopes != item.end() && scopes->is_array()) {
      for (const json& scope : *scopes) {
        if (std::optional<std::string> bytes = bytes_of(scope)) {
          record.scopes.push_back(std::move(*bytes));
        }
      }
    }
    record.token_id = value_field(item, "token_id").value_or("");
    record.token_name = value_field(item, "token_name").value_or("");
    records.push_back(std::move(record));
  }
  return records;
}

} // namespace patrol::store::file_format
