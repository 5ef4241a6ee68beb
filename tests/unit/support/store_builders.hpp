#pragma once
// Records and queries as the store tests write them: https unless said otherwise.
#include <string>

#include "common/secret.hpp"
#include "store/record.hpp"

namespace patrol::test {

inline store::Record record(std::string host, std::string username, std::string secret,
                            std::string path = "") {
  store::Record made;
  made.protocol = "https";
  made.host = std::move(host);
  made.path = std::move(path);
  made.username = std::move(username);
  made.secret = Secret(std::move(secret));
  return made;
}

inline store::Query query(std::string host, std::string username = "", std::string path = "") {
  store::Query made;
  made.protocol = "https";
  made.host = std::move(host);
  made.path = std::move(path);
  made.username = std::move(username);
  return made;
}

} // namespace patrol::test
