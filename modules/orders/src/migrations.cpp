#include "plaza/orders/migrations.h"

namespace plaza::orders {

// Notes on the schema:
// - Every table is a tenant table; every unique constraint and index starts with shop_id.
// - A cart is one row plus its lines; checkout details (contact, address, chosen rate)
//   live on the cart row, so the cart can be re-priced at any time from what it holds.
// - An order copies everything it was sold with (titles, prices, discounts, taxes, the
//   address and the delivery promise): later catalog or price changes never rewrite it.
// - Order lines are written by one multi-row INSERT, so placing an order runs a fixed
//   number of statements whatever the cart holds (docs/orders.md).
// - `version` on carts is bumped by every change; place-order checks it so a cart edited
//   after the payment was authorised is never ordered at the old total.
store::MigrationSet OrdersMigrations() {
  return {"orders",
          {{1, "carts, orders, returns, addresses and settings",
            R"sql(CREATE TABLE order_carts (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  token TEXT NOT NULL,
  customer_id BIGINT,
  market_id BIGINT NOT NULL,
  currency TEXT NOT NULL,
  country TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'checkout', 'ordered')),
  email TEXT NOT NULL DEFAULT '',
  shipping_address TEXT NOT NULL DEFAULT '',
  shipping_rate_id BIGINT,
  codes TEXT NOT NULL DEFAULT '',
  reservation_key TEXT NOT NULL DEFAULT '',
  reservation_expires_at BIGINT,
  order_id BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (shop_id, token)
);
CREATE INDEX order_carts_customer ON order_carts (shop_id, customer_id, state);
CREATE TABLE order_cart_lines (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  cart_id BIGINT NOT NULL REFERENCES order_carts (id) ON DELETE CASCADE,
  variant_id BIGINT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  position BIGINT NOT NULL,
  UNIQUE (shop_id, cart_id, variant_id)
);
CREATE TABLE order_orders (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  cart_token TEXT NOT NULL,
  customer_id BIGINT,
  email TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('placed', 'paid', 'partially_fulfilled', 'fulfilled', 'delivered', 'cancelled')),
  market_id BIGINT NOT NULL,
  currency TEXT NOT NULL,
  prices_include_tax INTEGER NOT NULL CHECK (prices_include_tax IN (0, 1)),
  subtotal BIGINT NOT NULL,
  discount_total BIGINT NOT NULL,
  shipping_total BIGINT NOT NULL,
  tax_total BIGINT NOT NULL,
  total BIGINT NOT NULL,
  refunded_total BIGINT NOT NULL DEFAULT 0,
  shipping_address TEXT NOT NULL,
  shipping_method TEXT NOT NULL,
  payment_id BIGINT,
  reservation_key TEXT NOT NULL,
  codes TEXT NOT NULL DEFAULT '',
  attribution TEXT NOT NULL DEFAULT '',
  placed_at BIGINT NOT NULL,
  paid_at BIGINT,
  fulfilled_at BIGINT,
  delivered_at BIGINT,
  cancelled_at BIGINT,
  updated_at BIGINT NOT NULL,
  UNIQUE (shop_id, cart_token)
);
CREATE INDEX order_orders_customer ON order_orders (shop_id, customer_id, placed_at);
CREATE INDEX order_orders_status ON order_orders (shop_id, status, placed_at);
CREATE TABLE order_lines (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL REFERENCES order_orders (id),
  position BIGINT NOT NULL,
  variant_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  title TEXT NOT NULL,
  sku TEXT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  unit_price BIGINT NOT NULL,
  discount BIGINT NOT NULL,
  tax BIGINT NOT NULL,
  total BIGINT NOT NULL,
  fulfilled_quantity BIGINT NOT NULL DEFAULT 0,
  returned_quantity BIGINT NOT NULL DEFAULT 0,
  UNIQUE (shop_id, order_id, position)
);
CREATE TABLE order_returns (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  order_id BIGINT NOT NULL REFERENCES order_orders (id),
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'received', 'refunded')),
  reason TEXT NOT NULL,
  refund_amount BIGINT NOT NULL DEFAULT 0,
  requested_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX order_returns_order ON order_returns (shop_id, order_id);
CREATE TABLE order_return_lines (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  return_id BIGINT NOT NULL REFERENCES order_returns (id),
  order_line_id BIGINT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  disposition TEXT NOT NULL DEFAULT '' CHECK (disposition IN ('', 'restock', 'write_off'))
);
CREATE TABLE order_customer_addresses (
  id {{pk}},
  shop_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  address TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX order_customer_addresses_customer ON order_customer_addresses (shop_id, customer_id);
CREATE TABLE order_settings (
  shop_id BIGINT PRIMARY KEY,
  return_window_days BIGINT NOT NULL
);)sql"}}};
}

}  // namespace plaza::orders
