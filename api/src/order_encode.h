#pragma once
// JSON shapes of carts, orders, returns and saved addresses, shared by the storefront,
// customer and staff routes.

#include <boost/json/object.hpp>

#include "plaza/http/request.h"
#include "plaza/orders/model.h"

namespace plaza::api {

boost::json::object EncodeAddress(const orders::Address& address);
boost::json::object EncodeCart(const orders::Cart& cart);
boost::json::object EncodeOrder(const orders::Order& order);
boost::json::object EncodeReturn(const orders::Return& return_request);
boost::json::object EncodeSavedAddress(const orders::SavedAddress& saved);

// The body of a request that is one address (fields as EncodeAddress writes them).
Result<orders::Address> ReadAddressBody(const http::Request& request);

}  // namespace plaza::api
