#pragma once
// Storing a notification, shared by NotificationService::Notify and the module's own
// services (ProfileService notifies follows), so those need no NotificationService.

#include <cstdint>

#include "plaza/core/clock.h"
#include "plaza/core/result.h"
#include "plaza/social/notifications.h"
#include "plaza/store/database.h"

namespace plaza::social {

// See NotificationService::Notify; `now` is the notification's time.
Status StoreNotification(store::Transaction& tx, std::int64_t shop_id, const NewNotification& notification,
                         TimePoint now);

}  // namespace plaza::social
