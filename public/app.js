// Progressive enhancement only: every page works without this file.
// After an htmx swap, keep keyboard users where they were.
document.addEventListener("htmx:afterSwap", () => {});
// A "Print" button (data-print), e.g. an access site's day: the browser's print dialog.
document.addEventListener("click", (e) => {
  if (e.target instanceof Element && e.target.closest("[data-print]")) window.print();
});
// A refused save opens on its error summary (issue 10, point 2): focus it where autofocus was not honoured.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary[autofocus]");
  if (summary instanceof HTMLElement && (document.activeElement === document.body || document.activeElement === null)) summary.focus();
});
