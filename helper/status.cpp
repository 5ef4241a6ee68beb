#include "helper/status.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "helper/config.hpp"
#include "helper/messages.hpp"
#include "helper/store_choice.hpp"

namespace patrol::helper {
namespace {

using Row = std::array<std::string, 3>;

std::string location(const store::Record& record) {
  std::string text = record.protocol + "://" + record.host;
  if (!record.path.empty()) {
    text += '/' + record.path;
  }
  return text;
}

void print_table(const std::vector<Row>& rows) {
  std::array<std::size_t, 3> width{};
  for (const Row& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line.append(width[i] - row[i].size() + 2, ' ');
      }
    }
    line += '\n';
    std::fputs(line.c_str(), stdout);
  }
}

} // namespace

int run_status(Args /*args*/) {
  Result<Config> config = Config::load();
  if (!config) {
    report(config.error());
    return exit_code(config.error());
  }
  Result<std::unique_ptr<store::Store>> store = open_store(*config, "");
  if (!store) {
    report(store.error());
    return exit_code(store.error());
  }
  Result<std::vector<store::Record>> records = (*store)->list(store::Query{});
  if (!records) {
    report(records.error());
    return exit_code(records.error());
  }
  if (records->empty()) {
    say("no credentials stored in " + std::string((*store)->name()));
    return 0;
  }
  std::sort(records->begin(), records->end(), [](const store::Record& a, const store::Record& b) {
    return std::tie(a.host, a.protocol, a.path, a.username) <
           std::tie(b.host, b.protocol, b.path, b.username);
  });
  std::vector<Row> rows{{"URL", "USER", "STORE"}};
  for (const store::Record& record : *records) {
    rows.push_back({location(record), record.username, record.store});
  }
  print_table(rows);
  return 0;
}

} // namespace patrol::helper
