// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // Tell screen-reader users the results changed, and keep keyboard focus meaningful.
  const region = event.detail.target.closest("[aria-live]");
  if (region) region.setAttribute("aria-busy", "false");
});
document.addEventListener("htmx:beforeRequest", (event) => {
  const region = event.detail.target.closest && event.detail.target.closest("[aria-live]");
  if (region) region.setAttribute("aria-busy", "true");
});
