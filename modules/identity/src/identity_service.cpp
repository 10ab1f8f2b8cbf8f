// Shops, staff, customers and the audit log. Sessions and log-in live in sessions.cpp,
// second factors in second_factor.cpp, API tokens in api_tokens.cpp.

#include "plaza/identity/identity_service.h"

#include <algorithm>
#include <charconv>

#include "plaza/core/crypto.h"
#include "plaza/core/text.h"
#include "plaza/identity/passwords.h"
#include "plaza/store/outbox.h"
#include "records.h"

namespace plaza::identity {

using internal::Account;

namespace {

// Handles appear in storefront URLs and social bios: short, lower-case, URL-safe.
constexpr std::size_t kMinHandleBytes = 3;
constexpr std::size_t kMaxHandleBytes = 40;
// A page of the audit log: enough for one admin screen, small enough that one request
// cannot pull the whole log.
constexpr int kMaxAuditPage = 200;

Result<std::string> NormalizeHandle(std::string_view handle) {
  std::string normalized = text::ToLowerAscii(text::TrimAscii(handle));
  const bool well_formed = normalized.size() >= kMinHandleBytes && normalized.size() <= kMaxHandleBytes &&
                           normalized.front() != '-' && normalized.back() != '-' &&
                           std::all_of(normalized.begin(), normalized.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                           });
  if (!well_formed) {
    return Error::Invalid("validation/handle",
                          "use 3 to 40 lower-case letters, digits and dashes, not starting or ending with a dash",
                          "/handle");
  }
  return normalized;
}

bool IsSelf(const Principal& actor, PrincipalKind kind, std::int64_t shop_id, std::int64_t user_id) {
  return actor.kind == kind && actor.shop_id == shop_id && actor.user_id == user_id &&
         actor.state == AuthState::kActive;
}

bool ActorIsOwner(const Principal& actor) {
  return actor.kind == PrincipalKind::kStaff && internal::HasRole(actor.roles, Role::kOwner);
}

// Active owners of the shop other than `except_staff_id`.
Result<int> OtherActiveOwners(store::Transaction& tx, std::int64_t shop_id, std::int64_t except_staff_id) {
  PLAZA_ASSIGN_OR_RETURN(const std::vector<Account> staff, internal::LoadShopStaff(tx, shop_id));
  int owners = 0;
  for (const Account& member : staff) {
    if (member.id != except_staff_id && !member.disabled && internal::HasRole(member.roles, Role::kOwner)) ++owners;
  }
  return owners;
}

Result<Account> LoadStaffOrNotFound(store::Transaction& tx, std::int64_t shop_id, std::int64_t staff_id) {
  PLAZA_ASSIGN_OR_RETURN(auto account, internal::LoadAccountById(tx, AccountKind::kStaff, shop_id, staff_id));
  if (!account) return Error::NotFound("no such staff member");
  return std::move(*account);
}

std::string StaffTarget(std::int64_t staff_id) {
  return "staff:" + std::to_string(staff_id);
}

AuditEntry SystemAudit(std::int64_t shop_id, std::string action, std::string target, std::string details,
                       TimePoint at) {
  AuditEntry entry;
  entry.shop_id = shop_id;
  entry.actor = "system";
  entry.action = std::move(action);
  entry.target = std::move(target);
  entry.details_json = std::move(details);
  entry.at = at;
  return entry;
}

// Inserts a staff member with its "staff.created" outbox event. `password_hash` is
// absent for an invitation.
Result<Account> InsertStaff(store::Transaction& tx, TimePoint now, std::int64_t shop_id, const std::string& email,
                            const std::string& name, const std::vector<Role>& roles,
                            const std::optional<std::string>& password_hash) {
  auto inserted = tx.QueryOne(
      "INSERT INTO staff_users (shop_id, email, name, password_hash, roles, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {shop_id, email, name, password_hash, internal::JoinRoles(roles), ToUnixMillis(now)});
  if (!inserted.ok()) {
    if (internal::IsUniqueViolation(inserted.error())) {
      return Error::Conflict("identity/email-taken", "a staff member with this email already exists");
    }
    return std::move(inserted).error();
  }
  if (!*inserted) return Error::Internal("the staff member was not inserted");
  Account account;
  account.kind = AccountKind::kStaff;
  account.id = (*inserted)->Int(0);
  account.shop_id = shop_id;
  account.email = email;
  account.name = name;
  account.password_hash = password_hash;
  account.roles = roles;
  account.created_at = now;

  boost::json::object payload;
  payload["staff_id"] = account.id;
  payload["email"] = email;
  payload["name"] = name;
  payload["roles"] = internal::RolesJson(roles);
  store::OutboxEvent event;
  event.shop_id = shop_id;
  event.aggregate_type = "staff";
  event.aggregate_id = std::to_string(account.id);
  event.event_type = "staff.created";
  event.payload_json = internal::Serialize(payload);
  PLAZA_TRY(store::AppendEvent(tx, event, now));
  return account;
}

std::string StaffCreatedDetails(const Account& staff, bool invited) {
  boost::json::object details;
  details["email"] = staff.email;
  details["roles"] = internal::RolesJson(staff.roles);
  details["invited"] = invited;
  return internal::Serialize(details);
}

Result<std::string> NewInvitationToken(store::Transaction& tx, TimePoint now, const Account& staff) {
  std::string token = internal::NewShopToken(staff.shop_id);
  PLAZA_TRY(tx.Execute(
      "INSERT INTO password_reset_tokens (shop_id, token_hash, account_kind, user_id, purpose, created_at, expires_at)"
      " VALUES (?, ?, 'staff', ?, 'invitation', ?, ?)",
      {staff.shop_id, internal::TokenHash(token), staff.id, ToUnixMillis(now),
       ToUnixMillis(now + kInvitationLifetime)}));
  return token;
}

}  // namespace

IdentityService::IdentityService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

const std::string& IdentityService::DummyHash() {
  std::call_once(dummy_hash_once_, [this] {
    // Hashing a random string gives a hash that no password matches, with the same
    // parameters (and so the same verification cost) as real ones.
    auto hash = crypto::HashPassword(crypto::RandomToken(16));
    if (hash.ok()) dummy_hash_ = std::move(hash).value();
  });
  return dummy_hash_;
}

// ---- Shops ----

Result<CreatedShop> IdentityService::CreateShop(const NewShop& request) {
  PLAZA_ASSIGN_OR_RETURN(const std::string handle, NormalizeHandle(request.handle));
  PLAZA_ASSIGN_OR_RETURN(const std::string shop_name, NormalizeName(request.name));
  PLAZA_ASSIGN_OR_RETURN(const std::string owner_email, NormalizeEmail(request.owner_email));
  PLAZA_ASSIGN_OR_RETURN(std::string owner_name, NormalizeName(request.owner_name));
  PLAZA_TRY(CheckPasswordPolicy(request.owner_password, owner_email));
  // Hashing happens before the transaction so no lock is held during Argon2id.
  PLAZA_ASSIGN_OR_RETURN(std::string password_hash, crypto::HashPassword(request.owner_password));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<CreatedShop> {
    auto inserted = tx.QueryOne(
        "INSERT INTO shops (handle, name, require_staff_2fa, created_at) VALUES (?, ?, 0, ?)"
        " RETURNING " +
            std::string(internal::kShopColumns),
        {handle, shop_name, ToUnixMillis(now)});
    if (!inserted.ok()) {
      if (internal::IsUniqueViolation(inserted.error())) {
        return Error::Conflict("identity/handle-taken", "another shop already uses this handle");
      }
      return std::move(inserted).error();
    }
    if (!*inserted) return Error::Internal("the shop was not inserted");
    CreatedShop created;
    created.shop = internal::ShopFromRow(**inserted);
    PLAZA_ASSIGN_OR_RETURN(
        Account owner, InsertStaff(tx, now, created.shop.id, owner_email, owner_name, {Role::kOwner}, password_hash));
    boost::json::object details;
    details["handle"] = handle;
    details["name"] = shop_name;
    PLAZA_TRY(AppendAudit(tx, SystemAudit(created.shop.id, "shop.created", "shop:" + std::to_string(created.shop.id),
                                          internal::Serialize(details), now)));
    PLAZA_TRY(AppendAudit(tx, SystemAudit(created.shop.id, "staff.created", StaffTarget(owner.id),
                                          StaffCreatedDetails(owner, false), now)));
    created.owner = internal::StaffFromAccount(owner);
    return created;
  });
}

Result<Shop> IdentityService::GetShop(std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto shop, db_.Read([&](store::Transaction& tx) { return internal::LoadShop(tx, shop_id); }));
  if (!shop) return Error::NotFound("no such shop");
  return std::move(*shop);
}

Result<Shop> IdentityService::GetShopByHandle(std::string_view handle) {
  const std::string normalized = text::ToLowerAscii(text::TrimAscii(handle));
  PLAZA_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Transaction& tx) {
    return tx.QueryOne("SELECT " + std::string(internal::kShopColumns) + " FROM shops WHERE handle = ?", {normalized});
  }));
  if (!row) return Error::NotFound("no such shop");
  return internal::ShopFromRow(*row);
}

Result<Shop> IdentityService::FirstShop() {
  PLAZA_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Transaction& tx) {
    return tx.QueryOne("SELECT " + std::string(internal::kShopColumns) + " FROM shops ORDER BY id LIMIT 1");
  }));
  if (!row) return Error::NotFound("no shop yet");
  return internal::ShopFromRow(*row);
}

Result<Shop> IdentityService::UpdateShopSettings(const Principal& actor, std::int64_t shop_id,
                                                 const ShopSettings& settings) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kShopManage));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Shop> {
    PLAZA_ASSIGN_OR_RETURN(auto before, internal::LoadShop(tx, shop_id));
    if (!before) return Error::NotFound("no such shop");
    PLAZA_TRY(tx.Execute("UPDATE shops SET require_staff_2fa = ? WHERE id = ?", {settings.require_staff_2fa, shop_id}));
    boost::json::object details;
    details["require_staff_2fa"] =
        boost::json::object{{"from", before->settings.require_staff_2fa}, {"to", settings.require_staff_2fa}};
    PLAZA_TRY(AppendAudit(tx, AuditBy(actor, "shop.settings_updated", "shop:" + std::to_string(shop_id),
                                      internal::Serialize(details), now)));
    Shop after = std::move(*before);
    after.settings = settings;
    return after;
  });
}

// ---- Staff ----

Result<CreatedStaff> IdentityService::CreateStaff(const Principal& actor, std::int64_t shop_id,
                                                  const NewStaff& request) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kStaffManage));
  PLAZA_ASSIGN_OR_RETURN(const std::vector<Role> roles, internal::CanonicalRoles(request.roles));
  if (internal::HasRole(roles, Role::kOwner) && !ActorIsOwner(actor)) {
    return Error::Forbidden("only an owner can make someone an owner");
  }
  PLAZA_ASSIGN_OR_RETURN(const std::string email, NormalizeEmail(request.email));
  PLAZA_ASSIGN_OR_RETURN(const std::string name, NormalizeName(request.name));
  std::optional<std::string> password_hash;
  if (request.password) {
    PLAZA_TRY(CheckPasswordPolicy(*request.password, email));
    PLAZA_ASSIGN_OR_RETURN(password_hash, crypto::HashPassword(*request.password));
  }
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<CreatedStaff> {
    PLAZA_ASSIGN_OR_RETURN(Account staff, InsertStaff(tx, now, shop_id, email, name, roles, password_hash));
    CreatedStaff created;
    if (!password_hash) {
      PLAZA_ASSIGN_OR_RETURN(created.invitation_token, NewInvitationToken(tx, now, staff));
    }
    PLAZA_TRY(AppendAudit(
        tx, AuditBy(actor, "staff.created", StaffTarget(staff.id), StaffCreatedDetails(staff, !password_hash), now)));
    created.staff = internal::StaffFromAccount(staff);
    return created;
  });
}

Result<StaffMember> IdentityService::GetStaff(const Principal& actor, std::int64_t shop_id, std::int64_t staff_id) {
  if (!IsSelf(actor, PrincipalKind::kStaff, shop_id, staff_id)) {
    PLAZA_TRY(Authorize(actor, shop_id, Permission::kStaffManage));
  }
  PLAZA_ASSIGN_OR_RETURN(Account staff,
                         db_.Read([&](store::Transaction& tx) { return LoadStaffOrNotFound(tx, shop_id, staff_id); }));
  return internal::StaffFromAccount(staff);
}

Result<std::vector<StaffMember>> IdentityService::ListStaff(const Principal& actor, std::int64_t shop_id) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kStaffManage));
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<StaffMember>> {
    PLAZA_ASSIGN_OR_RETURN(const std::vector<Account> accounts, internal::LoadShopStaff(tx, shop_id));
    std::vector<StaffMember> staff;
    staff.reserve(accounts.size());
    for (const Account& account : accounts) staff.push_back(internal::StaffFromAccount(account));
    return staff;
  });
}

Result<StaffMember> IdentityService::UpdateStaffRoles(const Principal& actor, std::int64_t shop_id,
                                                      std::int64_t staff_id, const std::vector<Role>& roles) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kStaffManage));
  PLAZA_ASSIGN_OR_RETURN(const std::vector<Role> new_roles, internal::CanonicalRoles(roles));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<StaffMember> {
    PLAZA_ASSIGN_OR_RETURN(Account staff, LoadStaffOrNotFound(tx, shop_id, staff_id));
    const bool was_owner = internal::HasRole(staff.roles, Role::kOwner);
    const bool will_be_owner = internal::HasRole(new_roles, Role::kOwner);
    if ((was_owner || will_be_owner) && !ActorIsOwner(actor)) {
      return Error::Forbidden("only an owner can grant, remove or change the owner role");
    }
    if (was_owner && !will_be_owner && !staff.disabled) {
      PLAZA_ASSIGN_OR_RETURN(const int others, OtherActiveOwners(tx, shop_id, staff_id));
      if (others == 0) return Error::Conflict("identity/last-owner", "the shop needs at least one active owner");
    }
    PLAZA_TRY(tx.Execute("UPDATE staff_users SET roles = ? WHERE shop_id = ? AND id = ?",
                         {internal::JoinRoles(new_roles), shop_id, staff_id}));
    boost::json::object details;
    details["from"] = internal::RolesJson(staff.roles);
    details["to"] = internal::RolesJson(new_roles);
    PLAZA_TRY(AppendAudit(
        tx, AuditBy(actor, "staff.roles_updated", StaffTarget(staff_id), internal::Serialize(details), now)));
    staff.roles = new_roles;
    return internal::StaffFromAccount(staff);
  });
}

Status IdentityService::DisableStaff(const Principal& actor, std::int64_t shop_id, std::int64_t staff_id) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kStaffManage));
  if (actor.kind == PrincipalKind::kStaff && actor.user_id == staff_id) {
    return Error::Conflict("identity/cannot-disable-self", "ask another staff manager to disable your account");
  }
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Account staff, LoadStaffOrNotFound(tx, shop_id, staff_id));
    if (internal::HasRole(staff.roles, Role::kOwner)) {
      if (!ActorIsOwner(actor)) return Error::Forbidden("only an owner can disable an owner");
      PLAZA_ASSIGN_OR_RETURN(const int others, OtherActiveOwners(tx, shop_id, staff_id));
      if (others == 0) return Error::Conflict("identity/last-owner", "the shop needs at least one active owner");
    }
    PLAZA_TRY(tx.Execute("UPDATE staff_users SET disabled = 1 WHERE shop_id = ? AND id = ?", {shop_id, staff_id}));
    PLAZA_TRY(internal::DeleteSessionsOf(tx, AccountKind::kStaff, shop_id, staff_id));
    PLAZA_TRY(internal::SpendResetTokensOf(tx, AccountKind::kStaff, shop_id, staff_id, now));
    PLAZA_TRY(AppendAudit(tx, AuditBy(actor, "staff.disabled", StaffTarget(staff_id), "{}", now)));
    return Ok();
  });
}

Status IdentityService::ResetStaffTotp(const Principal& actor, std::int64_t shop_id, std::int64_t staff_id) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kStaffManage));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(Account staff, LoadStaffOrNotFound(tx, shop_id, staff_id));
    if (internal::HasRole(staff.roles, Role::kOwner) && !ActorIsOwner(actor)) {
      return Error::Forbidden("only an owner can reset an owner's second factor");
    }
    PLAZA_TRY(tx.Execute(
        "UPDATE staff_users SET totp_enabled = 0, totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = 0"
        " WHERE shop_id = ? AND id = ?",
        {shop_id, staff_id}));
    // Whoever holds the lost phone and a session keeps nothing.
    PLAZA_TRY(internal::DeleteSessionsOf(tx, AccountKind::kStaff, shop_id, staff_id));
    PLAZA_TRY(AppendAudit(tx, AuditBy(actor, "staff.totp_reset", StaffTarget(staff_id), "{}", now)));
    return Ok();
  });
}

// ---- Customers ----

Result<NewSession> IdentityService::SignUpCustomer(std::int64_t shop_id, const NewCustomer& request,
                                                   std::string_view ip) {
  PLAZA_ASSIGN_OR_RETURN(const std::string email, NormalizeEmail(request.email));
  PLAZA_ASSIGN_OR_RETURN(const std::string name, NormalizeName(request.name));
  PLAZA_TRY(CheckPasswordPolicy(request.password, email));
  PLAZA_ASSIGN_OR_RETURN(std::string password_hash, crypto::HashPassword(request.password));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<NewSession> {
    PLAZA_ASSIGN_OR_RETURN(auto shop, internal::LoadShop(tx, shop_id));
    if (!shop) return Error::NotFound("no such shop");
    auto inserted = tx.QueryOne(
        "INSERT INTO customers (shop_id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        {shop_id, email, name, password_hash, ToUnixMillis(now)});
    if (!inserted.ok()) {
      if (internal::IsUniqueViolation(inserted.error())) {
        return Error::Conflict("identity/email-taken", "an account with this email already exists; sign in instead");
      }
      return std::move(inserted).error();
    }
    if (!*inserted) return Error::Internal("the customer was not inserted");
    Account customer;
    customer.kind = AccountKind::kCustomer;
    customer.id = (*inserted)->Int(0);
    customer.shop_id = shop_id;
    customer.email = email;
    customer.name = name;
    customer.created_at = now;

    boost::json::object payload;
    payload["customer_id"] = customer.id;
    payload["email"] = email;
    payload["name"] = name;
    store::OutboxEvent event;
    event.shop_id = shop_id;
    event.aggregate_type = "customer";
    event.aggregate_id = std::to_string(customer.id);
    event.event_type = "customer.created";
    event.payload_json = internal::Serialize(payload);
    PLAZA_TRY(store::AppendEvent(tx, event, now));
    return internal::InsertSession(tx, now, customer, AuthState::kActive, ip);
  });
}

Result<Customer> IdentityService::GetCustomer(const Principal& actor, std::int64_t shop_id, std::int64_t customer_id) {
  if (!IsSelf(actor, PrincipalKind::kCustomer, shop_id, customer_id)) {
    PLAZA_TRY(Authorize(actor, shop_id, Permission::kCustomersRead));
  }
  return db_.Read([&](store::Transaction& tx) -> Result<Customer> {
    PLAZA_ASSIGN_OR_RETURN(auto account, internal::LoadAccountById(tx, AccountKind::kCustomer, shop_id, customer_id));
    if (!account) return Error::NotFound("no such customer");
    Customer customer = internal::CustomerFromAccount(*account);
    PLAZA_ASSIGN_OR_RETURN(customer.tags, CustomerTags(tx, shop_id, customer_id));
    return customer;
  });
}

// ---- Audit log ----

Result<AuditPage> IdentityService::ListAudit(const Principal& actor, std::int64_t shop_id,
                                             std::optional<std::string> cursor, int limit) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kAuditRead));
  std::optional<std::int64_t> before_id;
  if (cursor) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), value);
    if (error != std::errc() || end != cursor->data() + cursor->size() || value <= 0) {
      return Error::Invalid("validation/cursor", "the cursor is not one this API returned", "/cursor");
    }
    before_id = value;
  }
  const int page_size = std::clamp(limit, 1, kMaxAuditPage);
  return db_.Read([&](store::Transaction& tx) -> Result<AuditPage> {
    // One row more than the page tells whether another page follows.
    const std::string sql =
        "SELECT id, shop_id, actor, action, target, details, ip, at FROM audit_log WHERE shop_id = ?" +
        std::string(before_id ? " AND id < ?" : "") + " ORDER BY id DESC LIMIT " + std::to_string(page_size + 1);
    std::vector<store::Param> params = {shop_id};
    if (before_id) params.emplace_back(*before_id);
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute(sql, params));
    AuditPage page;
    for (const store::Row& row : result.rows) {
      if (page.entries.size() == static_cast<std::size_t>(page_size)) {
        page.next_cursor = std::to_string(page.entries.back().id);
        break;
      }
      AuditEntry entry;
      entry.id = row.Int(0);
      entry.shop_id = row.Int(1);
      entry.actor = row.Text(2);
      entry.action = row.Text(3);
      entry.target = row.Text(4);
      entry.details_json = row.Text(5);
      entry.ip = row.Text(6);
      entry.at = FromUnixMillis(row.Int(7));
      page.entries.push_back(std::move(entry));
    }
    return page;
  });
}

}  // namespace plaza::identity
