// libFuzzer target for store/file_format: a damaged credential file (the JSON envelope of
// versions 1 and 2, or version 3's header line and record lines) or a damaged record must
// give an error or a value, never a crash or an exception; and whatever parses comes back
// byte for byte after writing it again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "store/file_format.hpp"

namespace format = patrol::store::file_format;
using patrol::store::Record;

namespace {

bool same(const Record& a, const Record& b) {
  return a.protocol == b.protocol && a.host == b.host && a.path == b.path &&
         a.username == b.username && a.secret == b.secret && a.kind == b.kind &&
         a.refresh_token == b.refresh_token && a.scopes == b.scopes && a.token_id == b.token_id &&
         a.token_name == b.token_name && a.expires_at == b.expires_at &&
         a.checked_at == b.checked_at;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (patrol::Result<format::Envelope> envelope = format::parse(input)) {
    patrol::Result<format::Envelope> again = format::parse(format::to_text(*envelope));
    if (!again || format::header_text(*again) != format::header_text(*envelope) ||
        again->payload != envelope->payload || again->mac != envelope->mac ||
        again->lines != envelope->lines) {
      std::abort();
    }
    // Version 3's record lines: every line or those of one tag, never past the text.
    if (envelope->version == format::format_version) {
      patrol::Result<std::vector<format::RecordLine>> all = format::record_lines(*envelope);
      if (all) {
        if (all->size() != envelope->record_count) {
          std::abort();
        }
        for (const format::RecordLine& line : *all) {
          patrol::Result<std::vector<format::RecordLine>> tagged =
              format::record_lines(*envelope, line.tag);
          if (!tagged || tagged->empty() || tagged->front().tag != line.tag) {
            std::abort();
          }
        }
      }
    }
  }
  if (patrol::Result<std::vector<Record>> records = format::parse_records(input)) {
    for (const Record& record : *records) {
      patrol::Result<Record> again = format::parse_record(format::serialize_record(record).view());
      if (!again || !same(record, *again)) {
        std::abort(); // a field lost or changed a byte on the way through
      }
    }
  }
  if (patrol::Result<Record> record = format::parse_record(input)) {
    patrol::Result<Record> again = format::parse_record(format::serialize_record(*record).view());
    if (!again || !same(*record, *again)) {
      std::abort();
    }
  }
  return 0;
}
