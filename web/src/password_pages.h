#pragma once
// The pages the e-mailed links open: a staff invitation (/admin/invitation) and a
// password reset (/account/reset for customers). Both spend a one-time token from
// the identity module to set a password; the token is the only credential, so a
// cross-site post is refused and nothing about the account is shown before it is spent.

#include "plaza/http/router.h"
#include "plaza/web/pages.h"

namespace plaza::web {

void RegisterPasswordPages(http::Router& router, const PageServices& services);

}  // namespace plaza::web
