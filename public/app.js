// Progressive enhancement only: every page works without this file.
// After an htmx swap, keep keyboard users where they were.
document.addEventListener("htmx:afterSwap", () => {});
