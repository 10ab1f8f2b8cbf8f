// Progressive enhancement for the storefront. Every page works without this file; it
// only saves clicks.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // A <select data-autosubmit> submits its form when changed (market switch, sorting).
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
});

// Product page: the chosen variant's price and availability replace the shown ones.
document.addEventListener("change", (event) => {
  const radio = event.target;
  if (!(radio instanceof HTMLInputElement) || radio.name !== "variant_id" || !radio.form?.matches("form.buy")) return;
  const details = radio.closest(".details");
  const set = (selector, text) => {
    const element = details?.querySelector(selector);
    if (element && text !== undefined) element.textContent = text;
  };
  set("span[data-price]", radio.dataset.price);
  set("s[data-compare-at]", radio.dataset.compareAt);
  set("p[data-availability]", radio.dataset.availability);
});
