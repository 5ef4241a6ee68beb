#pragma once
// What the encrypted credential file holds, as pure functions over text.
//
// A random data key encrypts the records (AES-256-GCM); the data key is itself sealed
// ("wrapped") with a key derived from the passphrase by scrypt, so changing the
// passphrase re-wraps 32 bytes and the unlocked data key can be cached for the session.
// key_id names the data key, so a cached key is known to belong to this file. scrypt
// parameters below n=2^15, r=8, p=1 are refused in every version. Never a secret in clear.
//
// Version 3 (written since) seals each record on its own, so a get decrypts only the
// records that can answer it. One header line, then one line per record:
//   git-credential-patrol-file version=3 kdf=scrypt n=32768 r=8 p=1 salt=<base64>
//     key_id=<base64> wrapped_key=<base64> write_id=<base64> records=<count> mac=<base64>
//   <tag> <sealed record, base64>
// (the header is one line). A record's tag is HMAC-SHA256, under a key derived from the
// data key, of the write id and the record's origin (protocol and canonical host,
// origin_key in store/match.hpp): a get computes the tag of its query and decrypts only
// the lines that carry it, and without the key the tags say nothing of the hosts, nor,
// since the write id is drawn afresh by every write, which lines two versions share.
// mac is an HMAC-SHA256 of header_text under another derived key, checked on every read,
// also by a reader holding the cached data key: without the data key, nobody can change
// the header, the record count included, and have it read. Each record is the JSON of its fields,
// sealed with a fresh nonce and bound (additional data) to header_text, its line number and its
// tag, so a sealed record moved to another line or tag, or into another file or another write of
// this one, does not open. What a get therefore refuses: a changed header, a line added, dropped or
// cut short, and any change to the records it opens. A change confined to lines under other tags
// (one line's bytes replaced by garbage) is found by whatever opens every record: list, status and
// every write, which never writes over a damaged file.
//
// Versions 1 and 2 are a JSON envelope holding every record sealed as one payload:
//   {"format": "git-credential-patrol-file", "version": 2, "kdf": "scrypt", "n": 32768,
//    "r": 8, "p": 1, "salt": <base64>, "key_id": <base64>, "wrapped_key": <base64>,
//    "payload": <base64 of the sealed JSON array of records>}
// Version 2 bound the payload to header_text, version 1 to the key id alone. Both are
// still read (a field the format does not name is refused), and their next write
// (seal_payload) makes them version 3 with the same data key and passphrase.
//
// git's values are bytes: a field that is UTF-8 is a JSON string, any other is
// {"base64": <its bytes>}, so every field comes back byte for byte.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "store/file_crypto.hpp"
#include "store/record.hpp"

namespace patrol::store::file_format {

// The version this build writes; it reads every version from 1 to this one.
inline constexpr int format_version = 3;

// The largest file read or written: 1,000 credentials take 300 kB, so only damage (or
// someone making a get hold gigabytes) grows a file past this; it is refused as damaged.
inline constexpr std::size_t max_file_bytes = std::size_t{64} << 20;

struct Envelope {
  int version = format_version;
  file_crypto::ScryptParams kdf;
  std::string salt;        // raw bytes
  std::string key_id;      // raw bytes
  std::string wrapped_key; // sealed data key
  std::string payload;     // versions 1 and 2: every record, sealed as one
  // Version 3:
  std::string write_id;         // raw bytes, drawn afresh by every write
  std::size_t record_count = 0; // the number of record lines
  std::string mac;              // raw bytes: HMAC-SHA256 of header_text
  std::string lines;            // the record lines as text, "<tag> <sealed>\n" each
};

// A new envelope with a fresh salt, key id and data key (returned in data_key), wrapped
// with the passphrase, holding no records.
Result<Envelope> create(const Secret& passphrase, Secret& data_key,
                        const file_crypto::ScryptParams& kdf = {});

// The data key; Errc::store_locked "wrong passphrase" when the passphrase does not open it.
Result<Secret> unwrap_key(const Envelope& envelope, const Secret& passphrase);
// Wraps the data key with a new passphrase (fresh salt), sealing the records again since
// they are bound to the header.
Result<void> rewrap_key(Envelope& envelope, const Secret& data_key, const Secret& passphrase);

// Every record; Errc::store_failed when one does not open with the data key.
Result<std::vector<Record>> open_payload(const Envelope& envelope, const Secret& data_key);

// The records filed under an origin (origin_key in store/match.hpp) and the numbers of the
// record lines opened for them: in version 3 only the lines with that origin's tag, so a
// record of another origin costs a comparison of its tag. Versions 1 and 2 cannot be
// opened in parts and give every record (line numbers empty). A caller still picks the
// records that answer its query: a tag is shared by every record of one origin.
struct Filed {
  std::vector<Record> records;
  std::vector<std::size_t> opened;
};
Result<Filed> open_filed_under(const Envelope& envelope, const Secret& data_key,
                               std::string_view origin);

// Seals the records as format_version, upgrading a version 1 or 2 envelope.
Result<void> seal_payload(Envelope& envelope, const Secret& data_key,
                          const std::vector<Record>& records);

// The header's bytes that versions 2 and 3 authenticate: one "name=value" line per field
// but the records and the mac, binary fields in base64.
std::string header_text(const Envelope& envelope);

// A version 3 record line: its number (from 0), its tag and its sealed record, as text.
struct RecordLine {
  std::size_t number = 0;
  std::string_view tag;
  std::string_view sealed;
};
// The record lines of a version 3 envelope, or only those carrying tag when it is not
// empty; Errc::store_failed when a line is not "<tag> <sealed>", the last one is cut
// short or their number is not the header's. Checks only the shape: a line's sealed text
// is decoded by whoever opens it.
Result<std::vector<RecordLine>> record_lines(const Envelope& envelope, std::string_view tag = {});

// The file's text at envelope.version (format_version once seal_payload ran).
std::string to_text(const Envelope& envelope);
// Errc::store_failed naming what is wrong when the text is not a whole file (or is
// longer than max_file_bytes).
Result<Envelope> parse(std::string_view text);

// One record's fields as a JSON object; the plaintext is wiped by Secret.
Secret serialize_record(const Record& record);
Result<Record> parse_record(std::string_view json);
// A JSON array of records, as versions 1 and 2 sealed them.
Result<std::vector<Record>> parse_records(std::string_view json);

} // namespace patrol::store::file_format
