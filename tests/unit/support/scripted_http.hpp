#pragma once
// An HttpClient for unit tests: answers from a script, keeps every request it was sent.
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "common/result.hpp"
#include "common/secret.hpp"
#include "forge/http.hpp"

namespace patrol::test {

inline forge::HttpResponse answer(long status, std::string body,
                                  std::vector<std::pair<std::string, std::string>> headers = {}) {
  forge::HttpResponse response;
  response.status = status;
  response.body = Secret(std::move(body));
  response.headers = std::move(headers);
  return response;
}

// Each request gets the script's next answer, and a request past its end fails the test;
// or one canned answer for every request.
class ScriptedHttp : public forge::HttpClient {
public:
  explicit ScriptedHttp(std::deque<Result<forge::HttpResponse>> script)
      : script_(std::move(script)) {}
  explicit ScriptedHttp(forge::HttpResponse always)
      : script_{std::move(always)}, repeat_last_(true) {}

  Result<forge::HttpResponse> send(const forge::HttpRequest& request) override {
    sent.push_back(request);
    REQUIRE_FALSE(script_.empty());
    if (repeat_last_ && script_.size() == 1) {
      return script_.front();
    }
    Result<forge::HttpResponse> next = std::move(script_.front());
    script_.pop_front();
    return next;
  }

  std::vector<forge::HttpRequest> sent;

private:
  std::deque<Result<forge::HttpResponse>> script_;
  bool repeat_last_ = false;
};

} // namespace patrol::test
