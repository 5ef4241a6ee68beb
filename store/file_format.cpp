#include "store/file_format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/hkdf.hpp"
#include "common/random.hpp"
#include "common/utf8.hpp"
#include "store/match.hpp"

namespace patrol::store::file_format {
namespace {

using json = nlohmann::json;

constexpr std::string_view format_name = "git-credential-patrol-file";
constexpr std::size_t key_id_bytes = 16;
constexpr std::size_t write_id_bytes = 16;
// The last version kept as a JSON envelope.
constexpr int last_json_version = 2;
// The JSON envelope's fields; any other field makes the file damaged, so nothing in the
// header escapes the payload's authentication.
constexpr std::array<std::string_view, 10> envelope_fields{
    "format", "version", "kdf", "n", "r", "p", "salt", "key_id", "wrapped_key", "payload"};
// Version 3's header line: its fields in their order, then the mac.
constexpr std::array<std::string_view, 11> header_line_fields{
    "version", "kdf", "n", "r", "p", "salt", "key_id", "wrapped_key", "write_id", "records", "mac"};
// A tag's text: base64 of an HMAC-SHA256.
constexpr std::size_t tag_chars = 4 * ((file_crypto::hmac_bytes + 2) / 3);

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

// Version 3 binds each record to the header (which holds the write id and the count), its
// line and its tag: moved to another line, tag, file or write, it does not open.
std::string record_aad(std::string_view header, std::size_t number, std::string_view tag) {
  std::string aad(format_name);
  aad += "/3/record/\n";
  aad += header;
  aad += "line=" + std::to_string(number) + "\ntag=";
  aad += tag;
  aad += "\n";
  return aad;
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

std::optional<std::uint64_t> number_text(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) {
    return std::nullopt;
  }
  return value;
}

// What every version refuses of the key derivation.
Result<void> check_kdf(const file_crypto::ScryptParams& kdf) {
  if (!file_crypto::acceptable(kdf)) {
    return corrupt("its scrypt parameters are out of range");
  }
  if (!file_crypto::strong_enough(kdf)) {
    // No build ever wrote weaker ones: someone lowered them to make guessing cheap.
    return corrupt("its scrypt parameters are weaker than n=32768, r=8, p=1");
  }
  return {};
}

// The header's fields but the mac, in order; version 3 adds the write id and the count.
std::vector<std::pair<std::string_view, std::string>> header_fields(const Envelope& envelope) {
  std::vector<std::pair<std::string_view, std::string>> fields{
      {"version", std::to_string(envelope.version)},
      {"kdf", "scrypt"},
      {"n", std::to_string(envelope.kdf.n)},
      {"r", std::to_string(envelope.kdf.r)},
      {"p", std::to_string(envelope.kdf.p)},
      {"salt", file_crypto::base64_encode(envelope.salt)},
      {"key_id", file_crypto::base64_encode(envelope.key_id)},
      {"wrapped_key", file_crypto::base64_encode(envelope.wrapped_key)},
  };
  if (envelope.version > last_json_version) {
    fields.emplace_back("write_id", file_crypto::base64_encode(envelope.write_id));
    fields.emplace_back("records", std::to_string(envelope.record_count));
  }
  return fields;
}

// Keys derived from the data key, one per use, so neither is ever the data key itself.
struct Keys {
  Secret index;  // the records' tags
  Secret header; // the header's mac
};

Keys derive_keys(const Secret& data_key) {
  return Keys{hmac_sha256(data_key.view(), std::string(format_name) + "/3/index-key"),
              hmac_sha256(data_key.view(), std::string(format_name) + "/3/header-key")};
}

// The tag of an origin in this write: the write id is of fixed length, so the two parts
// cannot be confused.
std::string tag_of(const Keys& keys, const Envelope& envelope, std::string_view origin) {
  return file_crypto::base64_encode(
      hmac_sha256(keys.index.view(), envelope.write_id + std::string(origin)).view());
}

// A version 3 envelope's keys and header text, once its mac is checked: every reader
// checks it before it uses a line, so a changed count or header is refused even when no
// line is opened.
struct Checked {
  Keys keys;
  std::string header;
};

Result<Checked> check_header(const Envelope& envelope, const Secret& data_key) {
  Keys keys = derive_keys(data_key);
  std::string header = header_text(envelope);
  if (!(hmac_sha256(keys.header.view(), header) == Secret(envelope.mac))) {
    return corrupt("its header does not match its key (changed, or records added or dropped)");
  }
  return Checked{std::move(keys), std::move(header)};
}

// The record on one line, opened with the data key.
Result<Record> open_line(const Secret& data_key, std::string_view header, const RecordLine& line) {
  const std::string where = "its line " + std::to_string(line.number + 2);
  std::optional<std::string> sealed = file_crypto::base64_decode(line.sealed);
  if (!sealed) {
    return corrupt(where + " is not valid base64");
  }
  Result<Secret> plain =
      file_crypto::open(data_key, *sealed, record_aad(header, line.number, line.tag));
  if (!plain) {
    if (!failed_to_open(plain.error())) {
      return tl::unexpected(plain.error());
    }
    return corrupt(where + " does not decrypt (changed, cut, or moved from another line or file)");
  }
  return parse_record(plain->view());
}

// Wraps the data key with the passphrase under a fresh salt.
Result<void> wrap(Envelope& envelope, const Secret& data_key, const Secret& passphrase) {
  Result<std::string> salt = random_bytes(file_crypto::salt_bytes);
  if (!salt) {
    return tl::unexpected(salt.error());
  }
  envelope.salt = std::move(*salt);
  Result<Secret> kek = file_crypto::derive_key(passphrase, envelope.salt, envelope.kdf);
  if (!kek) {
    return tl::unexpected(kek.error());
  }
  Result<std::string> wrapped = file_crypto::seal(*kek, data_key.view(), key_aad(envelope));
  if (!wrapped) {
    return tl::unexpected(wrapped.error());
  }
  envelope.wrapped_key = std::move(*wrapped);
  return {};
}

json record_json(const Record& record) {
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
  return item;
}

Result<Record> record_from_json(const json& item) {
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
  record.kind = kind_from_string(string_field(item, "kind").value_or("")).value_or(Kind::password);
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
  return record;
}

// Versions 1 and 2: the JSON envelope.
Result<Envelope> parse_json(std::string_view text) {
  json object = json::parse(text, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    return corrupt(text.empty() ? "it is empty" : "it is not a complete JSON envelope");
  }
  if (string_field(object, "format") != format_name) {
    return corrupt("it is not a git-credential-patrol credential file");
  }
  std::optional<std::uint64_t> version = number_field(object, "version");
  if (!version || *version < 1 || *version > std::uint64_t{last_json_version}) {
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
  if (Result<void> kdf = check_kdf(envelope.kdf); !kdf) {
    return tl::unexpected(kdf.error());
  }
  envelope.salt = std::move(*salt);
  envelope.key_id = std::move(*key_id);
  envelope.wrapped_key = std::move(*wrapped);
  envelope.payload = std::move(*payload);
  return envelope;
}

// Version 3: the header line, then the record lines kept as text for record_lines.
Result<Envelope> parse_lines(std::string_view text) {
  const std::size_t end = text.find('\n');
  if (end == std::string_view::npos) {
    return corrupt("its header line is cut short");
  }
  std::vector<std::string_view> values;
  std::string_view rest = text.substr(0, end);
  rest.remove_prefix(format_name.size());
  while (!rest.empty() && rest.front() == ' ') {
    rest.remove_prefix(1);
    const std::size_t space = std::min(rest.find(' '), rest.size());
    const std::string_view field = rest.substr(0, space);
    rest.remove_prefix(space);
    const std::size_t index = values.size();
    const std::size_t equals = field.find('=');
    if (index >= header_line_fields.size() || equals == std::string_view::npos ||
        field.substr(0, equals) != header_line_fields[index]) {
      return corrupt("its header line is not the one this version writes");
    }
    values.push_back(field.substr(equals + 1));
    // A future version may change every other field: say that, not "damaged".
    const std::optional<std::uint64_t> version = index == 0 ? number_text(values[0]) : std::nullopt;
    if (version && *version > std::uint64_t{format_version}) {
      return fail(Errc::unsupported,
                  "the credential file has a format version this build does not read");
    }
  }
  if (!rest.empty() || values.size() != header_line_fields.size()) {
    return corrupt("its header line is not the one this version writes");
  }
  const std::optional<std::uint64_t> version = number_text(values[0]);
  if (!version || *version <= std::uint64_t{last_json_version}) {
    return corrupt("its header line names a version that is never written in this form");
  }
  if (values[1] != "scrypt") {
    return corrupt("it names an unknown key derivation");
  }
  Envelope envelope;
  envelope.version = static_cast<int>(*version);
  std::optional<std::uint64_t> n = number_text(values[2]);
  std::optional<std::uint64_t> r = number_text(values[3]);
  std::optional<std::uint64_t> p = number_text(values[4]);
  std::optional<std::string> salt = file_crypto::base64_decode(values[5]);
  std::optional<std::string> key_id = file_crypto::base64_decode(values[6]);
  std::optional<std::string> wrapped = file_crypto::base64_decode(values[7]);
  std::optional<std::string> write_id = file_crypto::base64_decode(values[8]);
  std::optional<std::uint64_t> count = number_text(values[9]);
  std::optional<std::string> mac = file_crypto::base64_decode(values[10]);
  if (!n || !r || !p || !salt || !key_id || !wrapped || !write_id || !count || !mac ||
      write_id->size() != write_id_bytes || mac->size() != file_crypto::hmac_bytes ||
      *count > text.size()) {
    return corrupt("a field of its header line is missing or not valid");
  }
  envelope.kdf = {*n, *r, *p};
  if (Result<void> kdf = check_kdf(envelope.kdf); !kdf) {
    return tl::unexpected(kdf.error());
  }
  envelope.salt = std::move(*salt);
  envelope.key_id = std::move(*key_id);
  envelope.wrapped_key = std::move(*wrapped);
  envelope.write_id = std::move(*write_id);
  envelope.record_count = static_cast<std::size_t>(*count);
  envelope.mac = std::move(*mac);
  envelope.lines = std::string(text.substr(end + 1));
  return envelope;
}

} // namespace

std::string header_text(const Envelope& envelope) {
  std::string text(format_name);
  for (const auto& [name, value] : header_fields(envelope)) {
    text += "\n";
    text += name;
    text += "=" + value;
  }
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
  Result<void> wrapped = wrap(envelope, data_key, passphrase);
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
  // The records are bound to the header, wrapped key and salt included: seal them again.
  Result<std::vector<Record>> records = open_payload(envelope, data_key);
  if (!records) {
    return tl::unexpected(records.error());
  }
  Envelope changed = envelope;
  Result<void> wrapped = wrap(changed, data_key, passphrase);
  if (!wrapped) {
    return tl::unexpected(wrapped.error());
  }
  Result<void> sealed = seal_payload(changed, data_key, *records);
  if (!sealed) {
    return tl::unexpected(sealed.error());
  }
  envelope = std::move(changed);
  return {};
}

Result<std::vector<Record>> open_payload(const Envelope& envelope, const Secret& data_key) {
  if (envelope.version <= last_json_version) {
    Result<Secret> plain = file_crypto::open(data_key, envelope.payload, payload_aad(envelope));
    if (!plain) {
      if (!failed_to_open(plain.error())) {
        return tl::unexpected(plain.error());
      }
      return corrupt("its contents do not decrypt (changed or truncated)");
    }
    return parse_records(plain->view());
  }
  Result<Checked> checked = check_header(envelope, data_key);
  if (!checked) {
    return tl::unexpected(checked.error());
  }
  Result<std::vector<RecordLine>> lines = record_lines(envelope);
  if (!lines) {
    return tl::unexpected(lines.error());
  }
  std::vector<Record> records;
  records.reserve(lines->size());
  for (const RecordLine& line : *lines) {
    Result<Record> record = open_line(data_key, checked->header, line);
    if (!record) {
      return tl::unexpected(record.error());
    }
    records.push_back(std::move(*record));
  }
  return records;
}

Result<Filed> open_filed_under(const Envelope& envelope, const Secret& data_key,
                               std::string_view origin) {
  if (envelope.version <= last_json_version) {
    Result<std::vector<Record>> records = open_payload(envelope, data_key);
    if (!records) {
      return tl::unexpected(records.error());
    }
    return Filed{std::move(*records), {}};
  }
  Result<Checked> checked = check_header(envelope, data_key);
  if (!checked) {
    return tl::unexpected(checked.error());
  }
  const std::string tag = tag_of(checked->keys, envelope, origin);
  Result<std::vector<RecordLine>> lines = record_lines(envelope, tag);
  if (!lines) {
    return tl::unexpected(lines.error());
  }
  Filed filed;
  for (const RecordLine& line : *lines) {
    Result<Record> record = open_line(data_key, checked->header, line);
    if (!record) {
      return tl::unexpected(record.error());
    }
    filed.records.push_back(std::move(*record));
    filed.opened.push_back(line.number);
  }
  return filed;
}

Result<void> seal_payload(Envelope& envelope, const Secret& data_key,
                          const std::vector<Record>& records) {
  Envelope sealed; // a version 1 or 2 file is upgraded by its next write
  sealed.kdf = envelope.kdf;
  sealed.salt = envelope.salt;
  sealed.key_id = envelope.key_id;
  sealed.wrapped_key = envelope.wrapped_key;
  Result<std::string> write_id = random_bytes(write_id_bytes);
  if (!write_id) {
    return tl::unexpected(write_id.error());
  }
  const Keys keys = derive_keys(data_key);
  sealed.write_id = std::move(*write_id);
  sealed.record_count = records.size();
  const std::string header = header_text(sealed);
  for (std::size_t number = 0; number < records.size(); ++number) {
    const std::string tag = tag_of(keys, sealed, origin_key(records[number]));
    Secret plain = serialize_record(records[number]);
    Result<std::string> bytes =
        file_crypto::seal(data_key, plain.view(), record_aad(header, number, tag));
    if (!bytes) {
      return tl::unexpected(bytes.error());
    }
    sealed.lines += tag + " " + file_crypto::base64_encode(*bytes) + "\n";
  }
  sealed.mac = std::string(hmac_sha256(keys.header.view(), header).view());
  envelope = std::move(sealed);
  return {};
}

Result<std::vector<RecordLine>> record_lines(const Envelope& envelope, std::string_view tag) {
  std::vector<RecordLine> found;
  std::string_view rest = envelope.lines;
  std::size_t number = 0;
  for (; !rest.empty(); ++number) {
    const std::size_t end = rest.find('\n');
    if (end == std::string_view::npos) {
      return corrupt("its last line is cut short");
    }
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    if (line.size() <= tag_chars || line[tag_chars] != ' ') {
      return corrupt("its line " + std::to_string(number + 2) +
                     " is not a tag and a sealed credential");
    }
    if (tag.empty() || line.substr(0, tag_chars) == tag) {
      found.push_back({number, line.substr(0, tag_chars), line.substr(tag_chars + 1)});
    }
  }
  if (number != envelope.record_count) {
    return corrupt("it has " + std::to_string(number) + " credential lines where its header says " +
                   std::to_string(envelope.record_count));
  }
  return found;
}

std::string to_text(const Envelope& envelope) {
  if (envelope.version > last_json_version) {
    std::string text(format_name);
    for (const auto& [name, value] : header_fields(envelope)) {
      text += " ";
      text += name;
      text += "=" + value;
    }
    text += " mac=" + file_crypto::base64_encode(envelope.mac) + "\n";
    return text + envelope.lines;
  }
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
  if (text.size() > max_file_bytes) {
    return corrupt("it is larger than " + std::to_string(max_file_bytes >> 20) +
                   " MiB, which no credential file grows to");
  }
  if (text.substr(0, format_name.size() + 1) == std::string(format_name) + " ") {
    return parse_lines(text);
  }
  return parse_json(text);
}

Secret serialize_record(const Record& record) {
  json item = record_json(record);
  JsonWiper wiper(item);
  // Every string is UTF-8 by now (bytes_value); strict would throw, so say so plainly.
  return Secret(item.dump(-1, ' ', false, json::error_handler_t::ignore));
}

Result<Record> parse_record(std::string_view text) {
  json item = json::parse(text, nullptr, false);
  JsonWiper wiper(item);
  if (item.is_discarded()) {
    return corrupt("a credential in it is not an object");
  }
  return record_from_json(item);
}

Result<std::vector<Record>> parse_records(std::string_view text) {
  json array = json::parse(text, nullptr, false);
  JsonWiper wiper(array);
  if (array.is_discarded() || !array.is_array()) {
    return corrupt("its decrypted contents are not a list of credentials");
  }
  std::vector<Record> records;
  for (const json& item : array) {
    Result<Record> record = record_from_json(item);
    if (!record) {
      return tl::unexpected(record.error());
    }
    records.push_back(std::move(*record));
  }
  return records;
}

} // namespace patrol::store::file_format
