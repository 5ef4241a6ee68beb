#include "store/layered.hpp"

namespace patrol::store {
namespace {

class LayeredStore final : public Store {
public:
  LayeredStore(std::unique_ptr<Store> read_only, Result<std::unique_ptr<Store>> persistent)
      : read_only_(std::move(read_only)), persistent_(std::move(persistent)) {}

  [[nodiscard]] std::string_view name() const override {
    return persistent_ ? (*persistent_)->name() : read_only_->name();
  }

  Result<std::optional<Record>> find(const Query& query) override {
    Result<std::optional<Record>> first = read_only_->find(query);
    if (first && *first) {
      return first;
    }
    if (!persistent_) {
      return tl::unexpected(persistent_.error());
    }
    return (*persistent_)->find(query);
  }

  Result<std::vector<Record>> list(const Query& query) override {
    Result<std::vector<Record>> records = read_only_->list(query);
    if (!records) {
      return records;
    }
    if (!persistent_) {
      return tl::unexpected(persistent_.error());
    }
    Result<std::vector<Record>> more = (*persistent_)->list(query);
    if (!more) {
      return more;
    }
    for (Record& record : *more) {
      records->push_back(std::move(record));
    }
    return records;
  }

  Result<void> save(const Record& record) override {
    Query same{record.protocol, record.host, record.path, record.username, record.secret};
    Result<std::vector<Record>> provided = read_only_->list(same);
    if (provided && !provided->empty()) {
      return {};
    }
    if (!persistent_) {
      return tl::unexpected(persistent_.error());
    }
    return (*persistent_)->save(record);
  }

  // The read-only store holds nothing that could be replaced: only the persistent one.
  Result<bool> replace(const Record& expected, const Record& next) override {
    if (!persistent_) {
      return tl::unexpected(persistent_.error());
    }
    return (*persistent_)->replace(expected, next);
  }

  Result<bool> erase_matching(const Query& query) override {
    if (!persistent_) {
      return tl::unexpected(persistent_.error());
    }
    return (*persistent_)->erase(query);
  }

private:
  std::unique_ptr<Store> read_only_;
  Result<std::unique_ptr<Store>> persistent_;
};

} // namespace

std::unique_ptr<Store> make_layered_store(std::unique_ptr<Store> read_only,
                                          Result<std::unique_ptr<Store>> persistent) {
  return std::make_unique<LayeredStore>(std::move(read_only), std::move(persistent));
}

} // namespace patrol::store
