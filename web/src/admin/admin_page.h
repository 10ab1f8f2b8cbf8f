#pragma once
// The frame of every admin page: who the staff member is, the navigation, and the
// checks every admin route shares (an active staff session, the permission the page
// needs, and the CSRF token on every form post).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "../form.h"
#include "../html.h"
#include "plaza/http/request.h"
#include "plaza/http/response.h"
#include "plaza/http/router.h"
#include "plaza/identity/permissions.h"
#include "plaza/web/pages.h"

namespace plaza::web::admin {

inline constexpr std::string_view kStaffCookie = "plaza_staff";

// The staff principal of the request's cookie, or nullopt (expired, absent, revoked).
std::optional<identity::Principal> StaffSession(const PageServices& services, const http::Request& request);

using FormFields = std::map<std::string, std::string, std::less<>>;

// What an admin handler receives once the frame's checks passed.
struct AdminRequest {
  const http::Request& http;
  const identity::Principal& staff;
  identity::Shop shop;
  FormFields form;  // the decoded form of a POST; empty for GET

  // A form field, or "" when absent.
  std::string Field(std::string_view name) const;
};

using AdminHandler = std::function<http::Response(AdminRequest&)>;

// Wraps an admin handler. Without an active staff session it redirects to the log-in
// (or to the second-factor step still owed); without `permission` (when one is named)
// it answers a 403 page; a POST must be a form whose csrf_token matches the session,
// else a 403 page and nothing changes.
http::Handler AdminRoute(const PageServices& services, std::optional<identity::Permission> permission,
                         AdminHandler handler);

// Where a staff session goes next: the second factor, the enrolment, or the dashboard.
std::string NextStep(const identity::Principal& principal);

// A whole admin page: navigation (only the sections the staff member may open), the
// log-out button, then `content` under an <h1> of `title`.
http::Response AdminPage(const AdminRequest& request, std::string_view title, const Trusted& content, int status = 200);

// The message a redirect after a form asks for with "?notice=<code>" (saved, created,
// deleted, refunded, cancelled, fulfilled, imported, revoked; add codes to the table in
// admin_page.cpp), as a status region; nothing for an unknown code.
Trusted NoticeFrom(const http::Request& request);

}  // namespace plaza::web::admin
