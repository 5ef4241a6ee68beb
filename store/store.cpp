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

} // namespace patrol::store
