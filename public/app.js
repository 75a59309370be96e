// Progressive enhancement only: every page works without this file.
// After an htmx swap, keep keyboard users where they were.
document.addEventListener("htmx:afterSwap", () => {});
// A refused save opens on its error summary (issue 10, point 2): focus it where autofocus was not honoured.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary[autofocus]");
  if (summary instanceof HTMLElement && (document.activeElement === document.body || document.activeElement === null)) summary.focus();
});
