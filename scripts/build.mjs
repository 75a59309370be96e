// `npm run build` (and `prestart` when a source changed): the server as plain JavaScript, run by
// node without tsx (docs/adr/0020). An ESM bundle of src/main.ts (and its chunks) in dist/server/app/ — three levels
// deep, as src/core/http/ is, so the paths the code finds beside itself (../../../public, the
// embedded worker) hold unchanged — the migrations compiled to dist/server/migrations/, and the
// browser islands (public/islands/) so a fresh clone serves every page, and the static assets
// fingerprinted and precompressed (brotli, gzip) into dist/static/ with their manifest (ADR 0028).
// Dependencies stay in node_modules (external); the heavy ones (exceljs, pdfkit) are imported on first use.
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const OUT = "dist/server/app/main.js";
const SOURCES = ["src", "migrations", "public/app.css", "public/app.js", "scripts/build.mjs", "scripts/build-islands.mjs", "package.json"];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const f of readdirSync(path)) max = Math.max(max, newest(join(path, f)));
  return max;
}

const MANIFEST = "dist/static/manifest.json";
if (process.argv.includes("--if-stale") && existsSync(OUT) && existsSync("public/islands") && existsSync(MANIFEST) && existsSync("dist/pglite/template.json")) {
  const built = statSync(OUT).mtimeMs;
  if (SOURCES.every((p) => !existsSync(p) || newest(p) <= built)) process.exit(0);
}

await import("./build-islands.mjs");
// Split at src/main.ts's dynamic import of server.ts, so main.js loads only what starts the embedded
// database and server.js (with hono, zod, pg…) loads while it opens (ADR 0040). The chunks stay beside
// main.js (same three levels); the previous build's ones are removed first.
const APP_DIR = "dist/server/app";
if (existsSync(APP_DIR)) for (const f of readdirSync(APP_DIR)) if (/^[a-z0-9-]+-[A-Z0-9]{8}\.js(\.map)?$/.test(f)) rmSync(join(APP_DIR, f));
await build({
  entryPoints: { main: "src/main.ts" },
  outdir: APP_DIR,
  splitting: true,
  entryNames: "[name]",
  chunkNames: "[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
});
copyFileSync("src/core/db/embedded-worker.mjs", "dist/server/app/embedded-worker.mjs");
mkdirSync("dist/server/migrations", { recursive: true });
await build({
  entryPoints: readdirSync("migrations").filter((f) => f.endsWith(".ts")).map((f) => `migrations/${f}`),
  outdir: "dist/server/migrations",
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
});
// The assets step runs the server's own code (src/core/http/assets.ts, bundled beside main.js so its
// relative paths hold): one list of assets and one naming rule for the build and the server.
const ASSETS = "dist/server/app/assets-build.mjs";
await build({ entryPoints: ["src/core/http/assets.ts"], outfile: ASSETS, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
const { writeAssets } = await import(pathToFileURL(resolve(ASSETS)).href);
writeAssets();
// The pre-initialised, migrated embedded cluster a first start restores instead of running initdb
// (src/core/db/template.ts, ADR 0040), into dist/pglite/: rebuilt only when the migrations or PGlite
// changed (a few seconds, once), so editing src/ does not pay it again.
const TEMPLATE = "dist/server/app/template-build.mjs";
await build({ entryPoints: ["src/core/db/template.ts"], outfile: TEMPLATE, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "warning" });
const { buildTemplate } = await import(pathToFileURL(resolve(TEMPLATE)).href);
await buildTemplate();
