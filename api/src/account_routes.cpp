// Staff, customers, API tokens, shop settings and the audit log, for staff sessions and
// API tokens. Each handler decodes, calls one IdentityService function (which checks
// the caller's permission) and encodes.

#include "encode.h"
#include "plaza/http/json.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

constexpr std::size_t kMaxRolesInRequest = 16;
constexpr std::size_t kMaxScopesInRequest = 64;

Result<std::vector<identity::Role>> ReadRoles(const JsonReader& reader) {
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> names, ReadStringArray(reader, "roles", kMaxRolesInRequest));
  std::vector<identity::Role> roles;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto role = identity::ParseRole(names[i]);
    if (!role) {
      return Error::Invalid("validation/role", "unknown role '" + names[i] + "'",
                            reader.PointerTo("roles") + "/" + std::to_string(i));
    }
    roles.push_back(*role);
  }
  return roles;
}

}  // namespace

Result<std::vector<std::string>> ReadStringArray(const JsonReader& reader, std::string_view key,
                                                 std::size_t max_items) {
  PLAZA_ASSIGN_OR_RETURN(const boost::json::array* array, reader.RequiredArray(key, max_items));
  std::vector<std::string> values;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto* text = (*array)[i].if_string();
    if (!text) {
      return Error::Invalid("validation/type", "expected a string", reader.PointerTo(key) + "/" + std::to_string(i));
    }
    values.emplace_back(*text);
  }
  return values;
}

void RegisterAccountRoutes(http::RouteGroup admin, const ApiServices& services) {
  admin.Patch("/settings", Handle([&services](Request& request) -> Result<Response> {
                PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
                JsonReader reader(body);
                PLAZA_TRY(reader.AllowOnly({"require_staff_2fa"}));
                PLAZA_ASSIGN_OR_RETURN(identity::Shop shop, services.identity.GetShop(ShopOf(request)));
                identity::ShopSettings settings = shop.settings;
                PLAZA_ASSIGN_OR_RETURN(auto require_2fa, reader.OptionalBool("require_staff_2fa"));
                if (require_2fa) settings.require_staff_2fa = *require_2fa;
                PLAZA_ASSIGN_OR_RETURN(identity::Shop updated, services.identity.UpdateShopSettings(
                                                                   Caller(request), ShopOf(request), settings));
                return Response::Json(Encode(updated));
              }));

  admin.Get("/staff-members", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(auto staff, services.identity.ListStaff(Caller(request), ShopOf(request)));
              return Response::Json({{"staff", EncodeAll(staff)}});
            }));
  admin.Post("/staff-members", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"email", "name", "roles", "password"}));
               identity::NewStaff staff;
               PLAZA_ASSIGN_OR_RETURN(staff.email, reader.RequiredEmail("email"));
               PLAZA_ASSIGN_OR_RETURN(staff.name, reader.RequiredString("name", {.min_length = 1, .max_length = 200}));
               PLAZA_ASSIGN_OR_RETURN(staff.roles, ReadRoles(reader));
               PLAZA_ASSIGN_OR_RETURN(staff.password, reader.OptionalString("password", {.max_length = 1024}));
               PLAZA_ASSIGN_OR_RETURN(identity::CreatedStaff created,
                                      services.identity.CreateStaff(Caller(request), ShopOf(request), staff));
               if (created.invitation_token) {
                 PLAZA_TRY(services.mailer.Send(
                     {created.staff.email, "You are invited to run a Plaza shop",
                      "Hello " + created.staff.name +
                          ",\n\nyou have been given a staff account. Choose your password here:\n\n" +
                          services.public_base_url + "/admin/invitation?token=" + *created.invitation_token +
                          "\n\nThe link works once, within three days.\n"}));
               }
               return Response::Json(Encode(created.staff), 201);
             }));
  admin.Get("/staff-members/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto staff, services.identity.GetStaff(Caller(request), ShopOf(request), id));
              return Response::Json(Encode(staff));
            }));
  admin.Patch("/staff-members/{id}", Handle([&services](Request& request) -> Result<Response> {
                PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
                JsonReader reader(body);
                PLAZA_TRY(reader.AllowOnly({"roles"}));
                PLAZA_ASSIGN_OR_RETURN(auto roles, ReadRoles(reader));
                PLAZA_ASSIGN_OR_RETURN(auto staff,
                                       services.identity.UpdateStaffRoles(Caller(request), ShopOf(request), id, roles));
                return Response::Json(Encode(staff));
              }));
  admin.Delete("/staff-members/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.identity.DisableStaff(Caller(request), ShopOf(request), id));
                 return Response::NoContent();
               }));
  admin.Post("/staff-members/{id}/totp-reset", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
               PLAZA_TRY(services.identity.ResetStaffTotp(Caller(request), ShopOf(request), id));
               return Response::NoContent();
             }));

  admin.Get("/customers/{id}", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto customer,
                                     services.identity.GetCustomer(Caller(request), ShopOf(request), id));
              return Response::Json(Encode(customer));
            }));
  admin.Get("/customers/{id}/tags", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(auto customer,
                                     services.identity.GetCustomer(Caller(request), ShopOf(request), id));
              return Response::Json({{"tags", boost::json::array(customer.tags.begin(), customer.tags.end())}});
            }));
  admin.Put("/customers/{id}/tags", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
              PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
              JsonReader reader(body);
              PLAZA_TRY(reader.AllowOnly({"tags"}));
              // Twice the service's bound, so an overlong list gets the service's own error.
              PLAZA_ASSIGN_OR_RETURN(auto tags, ReadStringArray(reader, "tags", 2 * identity::kMaxCustomerTags));
              PLAZA_ASSIGN_OR_RETURN(auto customer,
                                     services.identity.SetCustomerTags(Caller(request), ShopOf(request), id, tags));
              return Response::Json(Encode(customer));
            }));

  admin.Get("/api-tokens", Handle([&services](Request& request) -> Result<Response> {
              PLAZA_ASSIGN_OR_RETURN(auto tokens, services.identity.ListApiTokens(Caller(request), ShopOf(request)));
              return Response::Json({{"api_tokens", EncodeAll(tokens)}});
            }));
  admin.Post("/api-tokens", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"name", "scopes"}));
               identity::NewApiToken token;
               PLAZA_ASSIGN_OR_RETURN(token.name, reader.RequiredString("name", {.min_length = 1, .max_length = 200}));
               PLAZA_ASSIGN_OR_RETURN(token.scopes, ReadStringArray(reader, "scopes", kMaxScopesInRequest));
               PLAZA_ASSIGN_OR_RETURN(auto created,
                                      services.identity.CreateApiToken(Caller(request), ShopOf(request), token));
               boost::json::object out = Encode(created.info);
               out["token"] = created.token;  // shown once, never again
               Response response = Response::Json(out, 201);
               response.SetHeader("Cache-Control", "no-store");
               return response;
             }));
  admin.Delete("/api-tokens/{id}", Handle([&services](Request& request) -> Result<Response> {
                 PLAZA_ASSIGN_OR_RETURN(std::int64_t id, IdFromPath(request, "id"));
                 PLAZA_TRY(services.identity.RevokeApiToken(Caller(request), ShopOf(request), id));
                 return Response::NoContent();
               }));

  admin.Get("/audit", Handle([&services](Request& request) -> Result<Response> {
              // A page size an admin screen shows; the service clamps it too.
              constexpr int kDefaultPage = 50;
              int limit = kDefaultPage;
              if (auto text = request.Query("limit")) {
                limit = std::atoi(std::string(*text).c_str());
                if (limit < 1 || limit > 200) {
                  return Error::Invalid("validation/range", "limit must be between 1 and 200", "limit");
                }
              }
              std::optional<std::string> cursor;
              if (auto text = request.Query("cursor")) cursor = std::string(*text);
              PLAZA_ASSIGN_OR_RETURN(auto page,
                                     services.identity.ListAudit(Caller(request), ShopOf(request), cursor, limit));
              boost::json::object out{{"entries", EncodeAll(page.entries)}};
              out["next_cursor"] = page.next_cursor ? boost::json::value(*page.next_cursor) : nullptr;
              return Response::Json(out);
            }));
}

}  // namespace plaza::api
