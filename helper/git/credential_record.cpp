#include "helper/git/credential_record.hpp"

namespace patrol::helper {

store::Record record_of(const Credential& credential) {
  store::Record record;
  record.protocol = credential.protocol;
  record.host = credential.host;
  record.path = credential.path;
  record.username = credential.username;
  record.secret = credential.password;
  record.expires_at = credential.password_expiry_utc;
  record.refresh_token = credential.oauth_refresh_token;
  return record;
}

Credential credential_of(const store::Record& record) {
  Credential credential;
  credential.protocol = record.protocol;
  credential.host = record.host;
  credential.path = record.path;
  credential.username = record.username;
  return credential;
}

store::Query query_of(const Credential& credential) {
  store::Query query;
  query.protocol = credential.protocol;
  query.host = credential.host;
  query.path = credential.path;
  query.username = credential.username;
  query.username_given = credential.username_given;
  return query;
}

} // namespace patrol::helper
