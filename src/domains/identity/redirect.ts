// Where to go after login (`suite=`): only a path of this site. Browsers read `/\host`, `/\thost`
// (tabs and line breaks are dropped) and `//host` as another host, and a proxy or a second decoding
// may turn `/%09/host` into one, so anything but a plain same-origin path falls back to the home page.
const BASE = "http://interne.invalid";

/** Off-site or ambiguous: not a single leading slash, or a backslash / control character anywhere. */
const unsafe = (s: string) => !s.startsWith("/") || s.startsWith("//") || [...s].some((ch) => ch === "\\" || ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);

/** The value and what it becomes decoded once or twice more (each must be safe). */
function readings(s: string): string[] {
  const out = [s];
  for (let i = 0; i < 2; i++) {
    try {
      const d = decodeURIComponent(out[out.length - 1]);
      if (d === out[out.length - 1]) break;
      out.push(d);
    } catch {
      return [...out, "\u0000"]; // malformed escapes: not one of our links
    }
  }
  return out;
}

export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2000) return "/";
  if (readings(next).some(unsafe)) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
