#include "store/memory.hpp"

#include <algorithm>
#include <vector>

#include "store/match.hpp"

namespace patrol::store {

namespace {

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
                                 [&](const Record& other) { return same_credential(other, kept); });
    if (existing != records_.end()) {
      *existing = std::move(kept);
    } else {
      records_.push_back(std::move(kept));
    }
    return {};
  }

  Result<bool> replace(const Record& expected, const Record& next) override {
    if (!same_credential(expected, next)) {
      return fail(Errc::invalid_input, "a replacement must be the same credential");
    }
    auto current = std::find_if(records_.begin(), records_.end(), [&](const Record& other) {
      return same_credential(other, expected);
    });
    if (current == records_.end() || !(current->secret == expected.secret)) {
      return false;
    }
    *current = next;
    current->store = std::string(name());
    return true;
  }

  Result<bool> erase_matching(const Query& query) override {
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
