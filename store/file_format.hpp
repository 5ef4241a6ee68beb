#pragma once
// What the encrypted credential file holds, as pure functions over text.
//
// The file is a small JSON envelope (never a secret in clear):
//   {"format": "git-credential-patrol-file", "version": 2,
//    "kdf": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": <base64>,
//    "key_id": <base64>, "wrapped_key": <base64>, "payload": <base64>}
// A random data key encrypts the payload (AES-256-GCM); the data key is itself sealed
// ("wrapped") with a key derived from the passphrase by scrypt, so changing the
// passphrase re-wraps 32 bytes and the unlocked data key can be cached for the session.
// key_id names the data key, so a cached key is known to belong to this file.
//
// Version 2 authenticates the whole header: the payload's additional data is header_text,
// every field but the payload itself, so a changed n, r, p, salt, key id or wrapped key
// makes the file damaged even for a process holding the cached data key; a field the
// format does not name is refused. scrypt parameters below n=2^15, r=8, p=1 are refused
// in every version. Version 1 (payload bound to the key id only) is still read, and its
// next write (seal_payload) makes it version 2 with the same data key and passphrase.
//
// The payload is the JSON array of every Record field (serialize_records). git's values
// are bytes: a field that is UTF-8 is a JSON string, any other is {"base64": <its bytes>},
// so every field comes back byte for byte.
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "store/file_crypto.hpp"
#include "store/record.hpp"

namespace patrol::store::file_format {

// The version this build writes; it reads every version from 1 to this one.
inline constexpr int format_version = 2;

struct Envelope {
  int version = format_version;
  file_crypto::ScryptParams kdf;
  std::string salt;        // raw bytes
  std::string key_id;      // raw bytes
  std::string wrapped_key; // sealed data key
  std::string payload;     // sealed records
};

// A new envelope with a fresh salt, key id and data key (returned in data_key), wrapped
// with the passphrase, holding no records.
Result<Envelope> create(const Secret& passphrase, Secret& data_key,
                        const file_crypto::ScryptParams& kdf = {});

// The data key; Errc::store_locked "wrong passphrase" when the passphrase does not open it.
Result<Secret> unwrap_key(const Envelope& envelope, const Secret& passphrase);
// Wraps the data key with a new passphrase (fresh salt), sealing the payload again since
// it is bound to the header.
Result<void> rewrap_key(Envelope& envelope, const Secret& data_key, const Secret& passphrase);

// The records; Errc::store_failed when the payload does not open with the data key.
Result<std::vector<Record>> open_payload(const Envelope& envelope, const Secret& data_key);
// Seals the records as format_version, upgrading a version 1 envelope.
Result<void> seal_payload(Envelope& envelope, const Secret& data_key,
                          const std::vector<Record>& records);

// The header's bytes that version 2 authenticates: one "name=value" line per field but
// the payload, binary fields in base64.
std::string header_text(const Envelope& envelope);

// The envelope as JSON, at envelope.version (format_version once seal_payload ran).
std::string to_text(const Envelope& envelope);
// Errc::store_failed naming what is wrong when the text is not a whole envelope.
Result<Envelope> parse(std::string_view text);

// Every field of every record as JSON; the plaintext is wiped by Secret.
Secret serialize_records(const std::vector<Record>& records);
Result<std::vector<Record>> parse_records(std::string_view json);

} // namespace patrol::store::file_format
