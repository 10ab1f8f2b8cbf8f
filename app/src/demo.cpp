#include "plaza/app/demo.h"

#include "plaza/identity/permissions.h"

namespace plaza::app {

DemoCredentials DemoLogin() {
  return {"aurelle", "owner@aurelle.example", "aurelle-demo-owner"};
}

Result<bool> SeedDemo(store::Database& db, identity::IdentityService& identity, bool if_empty) {
  if (if_empty) {
    PLAZA_ASSIGN_OR_RETURN(auto any,
                           db.Read([](store::Transaction& tx) { return tx.QueryOne("SELECT id FROM shops LIMIT 1"); }));
    if (any) return false;
  }
  const DemoCredentials login = DemoLogin();
  PLAZA_ASSIGN_OR_RETURN(identity::CreatedShop created, identity.CreateShop({.handle = login.shop_handle,
                                                                             .name = "Aurelle Skincare",
                                                                             .owner_email = login.staff_email,
                                                                             .owner_name = "Maëlle Laurent",
                                                                             .owner_password = login.staff_password}));
  // The owner acts for the seed, so the extra staff appear in the audit log as hers.
  identity::Principal owner;
  owner.kind = identity::PrincipalKind::kStaff;
  owner.shop_id = created.shop.id;
  owner.user_id = created.owner.id;
  owner.roles = {identity::Role::kOwner};
  owner.ip = "127.0.0.1";
  struct DemoStaff {
    const char* email;
    const char* name;
    identity::Role role;
  };
  const DemoStaff team[] = {
      {"care@aurelle.example", "Jonas Weber", identity::Role::kSupportAgent},
      {"growth@aurelle.example", "Priya Shah", identity::Role::kMarketer},
      {"community@aurelle.example", "Tomás Ruiz", identity::Role::kModerator},
  };
  for (const DemoStaff& member : team) {
    PLAZA_TRY(identity.CreateStaff(owner, created.shop.id,
                                   {.email = member.email,
                                    .name = member.name,
                                    .roles = {member.role},
                                    .password = "aurelle-demo-" + std::string(identity::RoleName(member.role))}));
  }
  return true;
}

}  // namespace plaza::app
