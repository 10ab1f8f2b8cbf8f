// Routes that open and close sessions. Each answers with the session's JSON (including
// the CSRF token the client must echo on later unsafe requests) and sets or clears the
// HttpOnly session cookie; the raw session token itself never appears in a body.

#include "encode.h"
#include "plaza/http/json.h"
#include "routes.h"

namespace plaza::api {
namespace {

using http::JsonReader;
using http::Request;
using http::Response;

// Passwords are bounded in bytes by the identity module's policy; this bound only
// keeps a huge string from reaching Argon2id.
constexpr http::StringLimits kPasswordLimits{.min_length = 1, .max_length = 1024};
constexpr http::StringLimits kCodeLimits{.min_length = 6, .max_length = 10};

Response SessionResponse(const ApiServices& services, SessionKind kind, const identity::NewSession& session,
                         int status) {
  Response response = Response::Json(EncodeSession(session.principal), status);
  response.SetCookie(SessionCookie(services, kind, session.token, session.principal.expires_at));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

Result<identity::LogIn> ReadLogIn(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"email", "password"}));
  identity::LogIn login;
  PLAZA_ASSIGN_OR_RETURN(login.email, reader.RequiredEmail("email"));
  PLAZA_ASSIGN_OR_RETURN(login.password, reader.RequiredString("password", kPasswordLimits));
  login.shop_id = ShopOf(request);
  login.ip = std::string(ClientIp(request));
  return login;
}

Result<std::string> ReadCode(const Request& request) {
  PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
  JsonReader reader(body);
  PLAZA_TRY(reader.AllowOnly({"code"}));
  return reader.RequiredString("code", kCodeLimits);
}

}  // namespace

void RegisterSessionRoutes(http::RouteGroup shop, http::RouteGroup v1, const ApiServices& services) {
  shop.Get("", Handle([&services](Request& request) -> Result<Response> {
             PLAZA_ASSIGN_OR_RETURN(identity::Shop found, services.identity.GetShop(ShopOf(request)));
             boost::json::object out = Encode(found);
             out.erase("settings");  // staff policy is no business of the public
             return Response::Json(out);
           }));

  http::RouteGroup public_forms = shop;
  public_forms.Use(RequireSameOrigin());

  public_forms.Post("/staff/session", Handle([&services](Request& request) -> Result<Response> {
                      PLAZA_ASSIGN_OR_RETURN(identity::LogIn login, ReadLogIn(request));
                      PLAZA_ASSIGN_OR_RETURN(identity::NewSession session, services.identity.LogInStaff(login));
                      return SessionResponse(services, SessionKind::kStaff, session, 201);
                    }));

  public_forms.Post(
      "/customers", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
        JsonReader reader(body);
        PLAZA_TRY(reader.AllowOnly({"email", "password", "name"}));
        identity::NewCustomer customer;
        PLAZA_ASSIGN_OR_RETURN(customer.email, reader.RequiredEmail("email"));
        PLAZA_ASSIGN_OR_RETURN(customer.password, reader.RequiredString("password", kPasswordLimits));
        PLAZA_ASSIGN_OR_RETURN(customer.name, reader.RequiredString("name", {.min_length = 1, .max_length = 200}));
        PLAZA_ASSIGN_OR_RETURN(identity::NewSession session,
                               services.identity.SignUpCustomer(ShopOf(request), customer, ClientIp(request)));
        return SessionResponse(services, SessionKind::kCustomer, session, 201);
      }));

  public_forms.Post("/customers/session", Handle([&services](Request& request) -> Result<Response> {
                      PLAZA_ASSIGN_OR_RETURN(identity::LogIn login, ReadLogIn(request));
                      PLAZA_ASSIGN_OR_RETURN(identity::NewSession session, services.identity.LogInCustomer(login));
                      return SessionResponse(services, SessionKind::kCustomer, session, 201);
                    }));

  public_forms.Post(
      "/password-resets", Handle([&services](Request& request) -> Result<Response> {
        PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
        JsonReader reader(body);
        PLAZA_TRY(reader.AllowOnly({"email", "account"}));
        PLAZA_ASSIGN_OR_RETURN(std::string email, reader.RequiredEmail("email"));
        PLAZA_ASSIGN_OR_RETURN(std::string account, reader.RequiredString("account", {.max_length = 20}));
        if (account != "staff" && account != "customer") {
          return Error::Invalid("validation/enum", "account must be \"staff\" or \"customer\"",
                                reader.PointerTo("account"));
        }
        const auto kind = account == "staff" ? identity::AccountKind::kStaff : identity::AccountKind::kCustomer;
        PLAZA_ASSIGN_OR_RETURN(auto ticket,
                               services.identity.RequestPasswordReset(kind, ShopOf(request), email, ClientIp(request)));
        if (ticket) {
          PLAZA_TRY(
              services.mailer.Send({ticket->email, "Reset your password",
                                    "Hello " + ticket->name +
                                        ",\n\nsomeone asked to reset the password of your account. If it was you, "
                                        "choose a new password here:\n\n" +
                                        services.public_base_url + "/account/reset?token=" + ticket->token +
                                        "\n\nThe link works once, until " + FormatRfc3339(ticket->expires_at) +
                                        ". If it was not you, ignore this message; your password stays as it is.\n"}));
        }
        // The same answer whether or not the account exists: nothing to enumerate.
        return Response::Json({{"status", "accepted"}}, 202);
      }));

  v1.Post("/password-resets/consume", Handle([&services](Request& request) -> Result<Response> {
            PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
            JsonReader reader(body);
            PLAZA_TRY(reader.AllowOnly({"token", "password"}));
            PLAZA_ASSIGN_OR_RETURN(std::string token,
                                   reader.RequiredString("token", {.min_length = 1, .max_length = 200}));
            PLAZA_ASSIGN_OR_RETURN(std::string password, reader.RequiredString("password", kPasswordLimits));
            PLAZA_TRY(services.identity.ConsumePasswordReset(token, password, ClientIp(request)));
            return Response::NoContent();
          }));

  // Routes for a session in any state (a pending second factor included).
  for (SessionKind kind : {SessionKind::kStaff, SessionKind::kCustomer}) {
    const std::string base = kind == SessionKind::kStaff ? "/staff/session" : "/customers/session";
    http::RouteGroup own = shop;
    own.Use(Authenticate(services, kind, /*allow_api_tokens=*/false));
    own.Get(base, Handle([](Request& request) -> Result<Response> {
              Response response = Response::Json(EncodeSession(Caller(request)));
              response.SetHeader("Cache-Control", "no-store");
              return response;
            }));
    own.Delete(base, Handle([&services, kind](Request& request) -> Result<Response> {
                 PLAZA_TRY(services.identity.LogOut(Caller(request)));
                 return Response::NoContent().SetCookie(ExpiredSessionCookie(services, kind));
               }));
    own.Post(base + "/revoke-all", Handle([&services, kind](Request& request) -> Result<Response> {
               PLAZA_TRY(services.identity.RevokeAllSessions(Caller(request)));
               return Response::NoContent().SetCookie(ExpiredSessionCookie(services, kind));
             }));
    const std::string password_path = kind == SessionKind::kStaff ? "/staff/password" : "/customers/password";
    own.Post(password_path, Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(boost::json::object body, http::ParseJsonObject(request));
               JsonReader reader(body);
               PLAZA_TRY(reader.AllowOnly({"current_password", "new_password"}));
               PLAZA_ASSIGN_OR_RETURN(std::string current, reader.RequiredString("current_password", kPasswordLimits));
               PLAZA_ASSIGN_OR_RETURN(std::string replacement, reader.RequiredString("new_password", kPasswordLimits));
               PLAZA_TRY(services.identity.ChangeOwnPassword(Caller(request), current, replacement));
               return Response::NoContent();
             }));
    if (kind == SessionKind::kCustomer) {
      own.Get("/customers/me", Handle([&services](Request& request) -> Result<Response> {
                const identity::Principal& caller = Caller(request);
                PLAZA_ASSIGN_OR_RETURN(identity::Customer customer,
                                       services.identity.GetCustomer(caller, caller.shop_id, caller.user_id));
                return Response::Json(Encode(customer));
              }));
      continue;
    }
    own.Post("/staff/session/second-factor", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(std::string code, ReadCode(request));
               PLAZA_ASSIGN_OR_RETURN(identity::NewSession session,
                                      services.identity.VerifySecondFactor(Caller(request), code));
               return SessionResponse(services, SessionKind::kStaff, session, 200);
             }));
    own.Post("/staff/totp", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(identity::TotpEnrolment enrolment,
                                      services.identity.BeginTotpEnrolment(Caller(request)));
               Response response =
                   Response::Json({{"secret", enrolment.secret_base32}, {"otpauth_uri", enrolment.otpauth_uri}}, 201);
               response.SetHeader("Cache-Control", "no-store");
               return response;
             }));
    own.Post("/staff/totp/confirm", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(std::string code, ReadCode(request));
               PLAZA_ASSIGN_OR_RETURN(auto session, services.identity.ConfirmTotpEnrolment(Caller(request), code));
               if (session) return SessionResponse(services, SessionKind::kStaff, *session, 200);
               return Response::Json({{"totp_enabled", true}});
             }));
    own.Post("/staff/totp/disable", Handle([&services](Request& request) -> Result<Response> {
               PLAZA_ASSIGN_OR_RETURN(std::string code, ReadCode(request));
               PLAZA_TRY(services.identity.DisableTotp(Caller(request), code));
               return Response::NoContent();
             }));
  }
}

}  // namespace plaza::api
