// Bundles the browser "islands" (src/islands/*.ts) into public/islands/ with esbuild.
import { build } from "esbuild";
import { existsSync, readdirSync } from "node:fs";

const dir = "src/islands";
const entries = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")) : [];
if (entries.length > 0) {
  await build({
    entryPoints: entries.map((f) => `${dir}/${f}`),
    outdir: "public/islands",
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2020",
    logLevel: "warning",
  });
}
