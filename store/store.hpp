#pragma once
// The Store interface: every call has three outcomes — a value, "not there", or an Error.
// Backends live one per file pair; their classes are hidden in the .cpp and created
// through the registry (store/registry.hpp).
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/record.hpp"

namespace patrol::store {

class Store {
public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  [[nodiscard]] virtual std::string_view name() const = 0;

  // The best record for the query (see pick() in store/match.hpp), or nullopt.
  virtual Result<std::optional<Record>> find(const Query& query);
  // Every record answering the query; an empty query lists everything.
  virtual Result<std::vector<Record>> list(const Query& query) = 0;
  // Adds the record or replaces the one with the same protocol, host, path and username.
  virtual Result<void> save(const Record& record) = 0;
  // Compare-and-swap: under the store's lock, re-reads the record with expected's
  // protocol, host, path and username and writes next in its place only when it still
  // holds expected's secret. false when it does not (another process changed or removed
  // it): nothing is written. next must have the same keys as expected.
  virtual Result<bool> replace(const Record& expected, const Record& next) = 0;
  // Removes what answers the query; false when nothing did. Refuses an empty query
  // (refuse_empty_erase) before the backend sees it.
  Result<bool> erase(const Query& query);

protected:
  // The backend's erase, for a query that names something.
  virtual Result<bool> erase_matching(const Query& query) = 0;
};

// An erase that names no protocol, host, path or username would remove every credential:
// the one guard, for every backend and for git's erase before a store is opened.
Result<void> refuse_empty_erase(const Query& query);

} // namespace patrol::store
