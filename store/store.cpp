#include "store/store.hpp"

#include <ctime>

#include "store/match.hpp"

namespace patrol::store {

Result<std::optional<Record>> Store::find(const Query& query) {
  Result<std::vector<Record>> records = list(query);
  if (!records) {
    return tl::unexpected(records.error());
  }
  return pick(std::move(*records), static_cast<std::int64_t>(std::time(nullptr)));
}

Result<bool> Store::erase(const Query& query) {
  if (Result<void> allowed = refuse_empty_erase(query); !allowed) {
    return tl::unexpected(allowed.error());
  }
  return erase_matching(query);
}

Result<void> refuse_empty_erase(const Query& query) {
  if (query.empty()) {
    return fail(Errc::invalid_input, "refusing to erase with an empty pattern; give at least "
                                     "a protocol and a host");
  }
  return {};
}

} // namespace patrol::store
