#pragma once
// What the encrypted credential file holds, as pure functions over text.
//
// The file is a small JSON envelope (never a secret in clear):
//   {"format": "git-credential-patrol-file", "version": 1,
//    "kdf": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": <base64>,
//    "key_id": <base64>, "wrapped_key": <base64>, "payload": <base64>}
// A random data key encrypts the payload (AES-256-GCM); the data key is itself sealed
// ("wrapped") with a key derived from the passphrase by scrypt, so changing the
// passphrase re-wraps 32 bytes and the unlocked data key can be cached for the session.
// key_id names the data key, so a cached key is known to belong to this file. The
// payload is the JSON array of every Record field (serialize_records).
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "store/file_crypto.hpp"
#include "store/record.hpp"

namespace patrol::store::file_format {

struct Envelope {
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
// Wraps the data key with a new passphrase (fresh salt).
Result<void> rewrap_key(Envelope& envelope, const Secret& data_key, const Secret& passphrase);

// The records; Errc::store_failed when the payload does not open with the data key.
Result<std::vector<Record>> open_payload(const Envelope& envelope, const Secret& data_key);
Result<void> seal_payload(Envelope& envelope, const Secret& data_key,
                          const std::vector<Record>& records);

std::string to_text(const Envelope& envelope);
// Errc::store_failed naming what is wrong when the text is not a whole envelope.
Result<Envelope> parse(std::string_view text);

// Every field of every record as JSON; the plaintext is wiped by Secret.
Secret serialize_records(const std::vector<Record>& records);
Result<std::vector<Record>> parse_records(std::string_view json);

} // namespace patrol::store::file_format
