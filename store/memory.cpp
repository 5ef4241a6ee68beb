#include "store/memory.hpp"

#include <algorithm>
#include <vector>

#include "store/match.hpp"

namespace patrol::store {

namespace {

bool same_key(const Record& a, const Record& b) {
  return a.protocol == b.protocol && a.host == b.host && a.path == b.path &&
         a.username == b.username && a.authtype == b.authtype;
}

class MemoryStore final : public Store {
public:
  [[nodiscard]] std::string_view name() const override { return "memory"; }

  Result<std::vector<Record>> list(const Query& query) override {
    std::vector<Record> found;
    for (const Record& record : records_) {
      if (matches(query, record)) {
        found.push_back(record);
      }
    }
    return found;
  }

  Result<void> save(const Record& record) override {
    if (record.protocol.empty() || record.host.empty()) {
      return fail(Errc::invalid_input, "a credential needs a protocol and a host to be stored");
    }
    Record kept = record;
    kept.store = std::string(name());
    auto existing = std::find_if(records_.begin(), records_.end(),
                                 [&](const Record& other) { return same_key(other, kept); });
    if (existing != records_.end()) {
      *existing = std::move(kept);
    } else {
      records_.push_back(std::move(kept));
    }
    return {};
  }

  Result<bool> erase(const Query& query) override {
    if (query.empty()) {
      return fail(Errc::invalid_input, "refusing to erase with an empty pattern");
    }
    const std::size_t before = records_.size();
    std::erase_if(records_, [&](const Record& record) { return matches(query, record); });
    return records_.size() != before;
  }

private:
  std::vector<Record> records_;
};

} // namespace

std::unique_ptr<Store> make_memory_store() { return std::make_unique<MemoryStore>(); }

} // namespace patrol::store
