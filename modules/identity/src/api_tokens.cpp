// API tokens: long-lived bearer credentials for integrations, limited by scopes.

#include <algorithm>

#include "plaza/identity/identity_service.h"
#include "plaza/identity/passwords.h"
#include "records.h"

namespace plaza::identity {
namespace {

// How often last_used_at is written: a token may serve many requests a second, and
// "used within the last minute" is all an admin needs to see.
constexpr std::chrono::milliseconds kLastUsedInterval = std::chrono::minutes(1);
// Characters of the random part kept as the display prefix: enough to tell a shop's
// tokens apart, far too few to help guess one.
constexpr std::size_t kDisplayPrefixRandomChars = 6;
// An integration needs a handful of scopes; the bound only stops absurd input.
constexpr std::size_t kMaxScopesPerToken = 32;

constexpr std::string_view kTokenColumns =
    "id, shop_id, name, prefix, scopes, created_by, created_at, last_used_at, revoked_at";

ApiTokenInfo TokenFromRow(const store::Row& row) {
  ApiTokenInfo info;
  info.id = row.Int(0);
  info.shop_id = row.Int(1);
  info.name = row.Text(2);
  info.prefix = row.Text(3);
  info.scopes = internal::SplitScopes(row.Text(4));
  info.created_by = row.Int(5);
  info.created_at = FromUnixMillis(row.Int(6));
  if (auto last_used = row.OptionalInt(7)) info.last_used_at = FromUnixMillis(*last_used);
  info.revoked = !row.IsNull(8);
  return info;
}

Error TokenInvalid() {
  return Error::Unauthenticated("auth/token-invalid", "the API token is unknown or revoked");
}

// Known, without duplicates, sorted; every permission they grant held by `actor`.
Result<std::vector<std::string>> CheckScopes(const Principal& actor, const std::vector<std::string>& requested) {
  if (requested.empty()) return Error::Invalid("validation/scope", "give the token at least one scope", "/scopes");
  if (requested.size() > kMaxScopesPerToken) return Error::Invalid("validation/scope", "too many scopes", "/scopes");
  std::vector<std::string> scopes = requested;
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  for (const std::string& scope : scopes) {
    const auto granted = ScopePermissions(scope);
    if (!granted) return Error::Invalid("validation/scope", "unknown scope \"" + scope + "\"", "/scopes");
    for (Permission permission : *granted) {
      if (!Holds(actor, permission)) {
        return Error::Forbidden("you cannot grant the scope " + scope + " without holding " +
                                std::string(PermissionName(permission)));
      }
    }
  }
  return scopes;
}

}  // namespace

Result<CreatedApiToken> IdentityService::CreateApiToken(const Principal& actor, std::int64_t shop_id,
                                                        const NewApiToken& request) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kTokensManage));
  PLAZA_ASSIGN_OR_RETURN(const std::string name, NormalizeName(request.name));
  PLAZA_ASSIGN_OR_RETURN(const std::vector<std::string> scopes, CheckScopes(actor, request.scopes));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<CreatedApiToken> {
    CreatedApiToken created;
    created.token = internal::NewApiTokenValue(shop_id);
    const std::size_t random_start = created.token.find('_', internal::kApiTokenPrefix.size()) + 1;
    const std::string prefix = created.token.substr(0, random_start + kDisplayPrefixRandomChars);
    PLAZA_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("INSERT INTO api_tokens (shop_id, token_hash, prefix, name, scopes, created_by, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " +
                        std::string(kTokenColumns),
                    {shop_id, internal::TokenHash(created.token), prefix, name, internal::JoinScopes(scopes),
                     actor.user_id, ToUnixMillis(now)}));
    if (!row) return Error::Internal("the API token was not inserted");
    created.info = TokenFromRow(*row);
    boost::json::object details;
    details["name"] = name;
    details["prefix"] = prefix;
    boost::json::array scope_list;
    for (const std::string& scope : scopes) scope_list.emplace_back(scope);
    details["scopes"] = std::move(scope_list);
    PLAZA_TRY(AppendAudit(tx, AuditBy(actor, "token.created", "api_token:" + std::to_string(created.info.id),
                                      internal::Serialize(details), now)));
    return created;
  });
}

Result<std::vector<ApiTokenInfo>> IdentityService::ListApiTokens(const Principal& actor, std::int64_t shop_id) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kTokensManage));
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<ApiTokenInfo>> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(kTokenColumns) +
                                                       " FROM api_tokens WHERE shop_id = ? ORDER BY id",
                                                   {shop_id}));
    std::vector<ApiTokenInfo> tokens;
    for (const store::Row& row : result.rows) tokens.push_back(TokenFromRow(row));
    return tokens;
  });
}

Status IdentityService::RevokeApiToken(const Principal& actor, std::int64_t shop_id, std::int64_t token_id) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kTokensManage));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT revoked_at FROM api_tokens WHERE shop_id = ? AND id = ?", {shop_id, token_id}));
    if (!row) return Error::NotFound("no such API token");
    if (!row->IsNull(0)) return Ok();
    PLAZA_TRY(tx.Execute("UPDATE api_tokens SET revoked_at = ? WHERE shop_id = ? AND id = ?",
                         {ToUnixMillis(now), shop_id, token_id}));
    PLAZA_TRY(AppendAudit(tx, AuditBy(actor, "token.revoked", "api_token:" + std::to_string(token_id), "{}", now)));
    return Ok();
  });
}

Result<Principal> IdentityService::ResolveApiToken(std::string_view token, std::string_view ip) {
  const std::optional<std::int64_t> shop_id = internal::ShopOfApiToken(token);
  if (!shop_id) return TokenInvalid();
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Transaction& tx) {
    return tx.QueryOne("SELECT " + std::string(kTokenColumns) + " FROM api_tokens WHERE shop_id = ? AND token_hash = ?",
                       {*shop_id, internal::TokenHash(token)});
  }));
  if (!row) return TokenInvalid();
  const ApiTokenInfo info = TokenFromRow(*row);
  if (info.revoked) return TokenInvalid();
  if (!info.last_used_at || now - *info.last_used_at >= kLastUsedInterval) {
    // Only bookkeeping: a failed write must not fail a request the token is valid for.
    (void)db_.Write([&](store::Transaction& tx) -> Status {
      PLAZA_TRY(tx.Execute("UPDATE api_tokens SET last_used_at = ? WHERE shop_id = ? AND id = ?",
                           {ToUnixMillis(now), *shop_id, info.id}));
      return Ok();
    });
  }
  Principal principal;
  principal.kind = PrincipalKind::kApiToken;
  principal.shop_id = *shop_id;
  principal.user_id = info.created_by;
  principal.scopes = info.scopes;
  principal.api_token_id = info.id;
  principal.state = AuthState::kActive;
  principal.expires_at = TimePoint::max();
  principal.ip = std::string(ip);
  return principal;
}

}  // namespace plaza::identity
