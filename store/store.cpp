#include "store/store.hpp"

#include "store/match.hpp"

namespace patrol::store {

Result<std::optional<Record>> Store::find(const Query& query) {
  Result<std::vector<Record>> records = list(query);
  if (!records) {
    return tl::unexpected(records.error());
  }
  return pick(std::move(*records));
}

} // namespace patrol::store
