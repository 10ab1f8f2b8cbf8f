// Progressive enhancement for the storefront. Every page works without this file; it
// only saves clicks.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // A <select data-autosubmit> submits its form when changed (market switch, sorting).
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
});
