// Static assets (issue 10, point 11; docs/adr/0028): each file is served under a fingerprinted name
// (/static/app.3f2a9c1b.css, cached a year, immutable) and under its plain name (a short cache), in
// brotli, gzip or identity by the request's Accept-Encoding. `npm run build` precompresses them into
// dist/static/ with a manifest (writeAssets); without it (tests, tsx) the hashes are computed at
// first use and the compressed bodies made in memory on first request. A manifest entry whose source
// changed since the build is ignored, so a stale build never serves stale bytes.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
// Three levels under the root, from src/core/http/ as from dist/server/app/ (scripts/build.mjs).
const publicDir = fileURLToPath(new URL("../../../public/", import.meta.url));
export const BUILT_DIR = fileURLToPath(new URL("../../../dist/static/", import.meta.url));

const TYPES: Record<string, string> = { css: "text/css; charset=utf-8", js: "text/javascript; charset=utf-8", svg: "image/svg+xml" };
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** Plain (non-fingerprinted) names and unknown fingerprints: still served, briefly cached. */
export const SHORT = "public, max-age=300";

/** Every served asset: its public name → its source file. */
function sources(): Record<string, string> {
  const out: Record<string, string> = {
    "app.css": `${publicDir}app.css`,
    "app.js": `${publicDir}app.js`,
    // The tab's icon: without it every browser asks /favicon.ico and logs a 404 in its console.
    "favicon.svg": `${publicDir}favicon.svg`,
    "htmx.min.js": require.resolve("htmx.org/dist/htmx.min.js"),
  };
  const islands = `${publicDir}islands/`;
  if (existsSync(islands)) for (const f of readdirSync(islands).filter((f) => /^[a-z0-9-]+\.js$/.test(f))) out[`islands/${f}`] = islands + f;
  return out;
}

/** app.css + 3f2a9c1b → app.3f2a9c1b.css (the hash goes before the last extension). */
const fingerprinted = (name: string, hash: string) => name.replace(/(\.[a-z0-9]+)$/, `.${hash}$1`);
/** The plain name behind a fingerprinted one, or undefined. */
const plainOf = (name: string) => /^(.*)\.([0-9a-f]{8})(\.[a-z0-9]+)$/.exec(name);

type Encoding = "br" | "gzip";
interface Asset {
  name: string;
  file: string;
  type: string;
  bytes: Buffer;
  /** First 8 hex digits of the SHA-256 of the bytes: the fingerprint and the ETag. */
  hash: string;
  /** Precompressed bodies (from the build, or made on first request); null when not smaller. */
  encoded: Partial<Record<Encoding, Buffer | null>>;
}

interface Manifest {
  [name: string]: { file: string; hash: string; br?: string; gzip?: string };
}

const compress: Record<Encoding, (b: Buffer) => Buffer> = {
  br: (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }),
  gzip: (b) => gzipSync(b, { level: 9 }),
};

/** The assets, read (and checked against the build's manifest in `builtDir`) once. */
export function assetStore(builtDir = BUILT_DIR) {
  let assets: Map<string, Asset> | undefined;
  const load = () => {
    if (assets) return assets;
    const manifestFile = join(builtDir, "manifest.json");
    const manifest: Manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, "utf8")) : {};
    assets = new Map();
    for (const [name, file] of Object.entries(sources())) {
      const bytes = readFileSync(file);
      const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 8);
      const encoded: Asset["encoded"] = {};
      const built = manifest[name];
      if (built?.hash === hash) {
        // Built from these very bytes: use the precompressed files (null: not worth it).
        for (const enc of ["br", "gzip"] as const) encoded[enc] = built[enc] ? readFileSync(join(builtDir, built[enc])) : null;
      }
      assets.set(name, { name, file, type: TYPES[name.split(".").pop()!] ?? "application/octet-stream", bytes, hash, encoded });
    }
    return assets;
  };
  const bodyOf = (asset: Asset, enc: Encoding) => {
    if (asset.encoded[enc] === undefined) {
      const packed = compress[enc](asset.bytes);
      asset.encoded[enc] = packed.length < asset.bytes.length ? packed : null;
    }
    return asset.encoded[enc];
  };

  return {
    /** The URL to put in pages: fingerprinted when the asset exists. */
    url(name: string): string {
      const asset = load().get(name);
      return `/static/${asset ? fingerprinted(name, asset.hash) : name}`;
    },
    /** The answer for /static/<name> (name may hold "islands/"), or undefined for an unknown file. */
    serve(name: string, headers: { acceptEncoding?: string; ifNoneMatch?: string }): Response | undefined {
      const all = load();
      let asset = all.get(name);
      let cache = SHORT;
      if (!asset) {
        const m = plainOf(name);
        asset = m ? all.get(m[1] + m[3]) : undefined;
        if (!asset) return undefined;
        // The current fingerprint is cached for good; an old one (a page from before a deploy) gets today's bytes, briefly.
        if (m![2] === asset.hash) cache = IMMUTABLE;
      }
      const enc = chooseEncoding(headers.acceptEncoding ?? "", (e) => bodyOf(asset, e) !== null);
      const body = enc ? bodyOf(asset, enc)! : asset.bytes;
      const etag = `"${asset.hash}${enc ? `-${enc}` : ""}"`;
      const out = new Headers({ "content-type": asset.type, "cache-control": cache, vary: "Accept-Encoding", etag });
      if (enc) out.set("content-encoding", enc);
      if (headers.ifNoneMatch?.split(",").some((t) => t.trim().replace(/^W\//, "") === etag)) return new Response(null, { status: 304, headers: out });
      out.set("content-length", String(body.length));
      return new Response(new Uint8Array(body), { status: 200, headers: out });
    },
  };
}

/** br, else gzip, else identity, as the client accepts (q=0 refuses; `*` accepts any). */
export function chooseEncoding(acceptEncoding: string, available: (e: Encoding) => boolean): Encoding | undefined {
  const q = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [token, ...params] = part.trim().split(";");
    if (!token) continue;
    const qv = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    q.set(token.trim(), qv === undefined ? 1 : Number(qv));
  }
  const accepts = (e: Encoding) => (q.get(e) ?? q.get("*") ?? 0) > 0;
  return (["br", "gzip"] as const).find((e) => accepts(e) && available(e));
}

/**
 * The build step (scripts/build.mjs): writes each asset's fingerprinted file and its .br and .gz
 * (maximum compression; skipped when not smaller) into `dir`, with manifest.json naming them.
 */
export function writeAssets(dir = BUILT_DIR): Manifest {
  mkdirSync(join(dir, "islands"), { recursive: true });
  const manifest: Manifest = {};
  for (const [name, file] of Object.entries(sources())) {
    const bytes = readFileSync(file);
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 8);
    const out = fingerprinted(name, hash);
    writeFileSync(join(dir, out), bytes);
    const entry: Manifest[string] = { file: out, hash };
    for (const [enc, ext] of [["br", "br"], ["gzip", "gz"]] as const) {
      const packed = compress[enc](bytes);
      if (packed.length >= bytes.length) continue;
      writeFileSync(join(dir, `${out}.${ext}`), packed);
      entry[enc] = `${out}.${ext}`;
    }
    manifest[name] = entry;
  }
  writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The process's assets (the layout's URLs and the /static routes). */
export const assets = assetStore();
