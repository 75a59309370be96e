// Static assets (issue 10, point 11; ADR 0028): fingerprinted URLs cached for good, brotli / gzip /
// identity by Accept-Encoding, bytes that decompress to the source, plain names still served.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync } from "node:zlib";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { assetStore, chooseEncoding, IMMUTABLE, SHORT, writeAssets } from "./assets.ts";

const CSS = readFileSync(new URL("../../../public/app.css", import.meta.url));

describe("static assets: fingerprinted, immutable, compressed by Accept-Encoding (issue 10, point 11)", () => {
  let t: TestContext;
  let cssUrl: string;
  before(async () => {
    t = await createTestContext();
    const page = await (await t.app.request("/connexion")).text();
    cssUrl = /href="(\/static\/app\.[0-9a-f]{8}\.css)"/.exec(page)?.[1] ?? "";
  });
  after(() => t?.close());
  const get = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

  test("the layout links the fingerprinted stylesheet and scripts", async () => {
    const page = await (await get("/connexion")).text();
    assert.match(cssUrl, /^\/static\/app\.[0-9a-f]{8}\.css$/);
    assert.match(page, /src="\/static\/htmx\.min\.[0-9a-f]{8}\.js"/);
    assert.match(page, /src="\/static\/app\.[0-9a-f]{8}\.js"/);
  });

  test("a fingerprinted URL is immutable for a year, in brotli when accepted, and decompresses to the source", async () => {
    const res = await get(cssUrl, { "accept-encoding": "gzip, deflate, br" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), IMMUTABLE);
    assert.equal(res.headers.get("content-encoding"), "br");
    assert.equal(res.headers.get("vary"), "Accept-Encoding");
    assert.match(res.headers.get("content-type") ?? "", /^text\/css/);
    const body = await bytes(res);
    assert.ok(body.length < CSS.length / 2, "brotli makes the stylesheet much smaller");
    assert.deepEqual(brotliDecompressSync(body), CSS);
  });

  test("gzip when brotli is not accepted (or refused with q=0), identity when nothing is", async () => {
    for (const accept of ["gzip", "br;q=0, gzip;q=0.8"]) {
      const res = await get(cssUrl, { "accept-encoding": accept });
      assert.equal(res.headers.get("content-encoding"), "gzip", accept);
      assert.deepEqual(gunzipSync(await bytes(res)), CSS);
    }
    for (const accept of [undefined, "identity", "br;q=0, gzip;q=0"]) {
      const res = await get(cssUrl, accept ? { "accept-encoding": accept } : {});
      assert.equal(res.headers.get("content-encoding"), null, String(accept));
      assert.equal(res.headers.get("vary"), "Accept-Encoding");
      assert.deepEqual(await bytes(res), CSS);
    }
  });

  test("the plain name still works with a short cache; an old fingerprint gets today's bytes, briefly; unknown is 404", async () => {
    const plain = await get("/static/app.css", { "accept-encoding": "br" });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get("cache-control"), SHORT);
    assert.deepEqual(brotliDecompressSync(await bytes(plain)), CSS);
    const old = await get("/static/app.00000000.css");
    assert.equal(old.status, 200);
    assert.equal(old.headers.get("cache-control"), SHORT);
    assert.deepEqual(await bytes(old), CSS);
    assert.equal((await get("/static/nope.css")).status, 404);
    assert.equal((await get("/static/islands/nope.0000aaaa.js")).status, 404);
  });

  test("the ETag names the encoding; If-None-Match answers 304 without a body", async () => {
    const first = await get(cssUrl, { "accept-encoding": "br" });
    const etag = first.headers.get("etag") ?? "";
    assert.match(etag, /^"[0-9a-f]{8}-br"$/);
    const again = await get(cssUrl, { "accept-encoding": "br", "if-none-match": etag });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    assert.equal((await get(cssUrl, { "accept-encoding": "gzip", "if-none-match": etag })).status, 200, "another encoding is another representation");
  });

  test("Accept-Encoding: br first, then gzip, honouring q=0 and *", () => {
    const all = () => true;
    assert.equal(chooseEncoding("gzip, br", all), "br");
    assert.equal(chooseEncoding("*", all), "br");
    assert.equal(chooseEncoding("*;q=0, gzip", all), "gzip");
    assert.equal(chooseEncoding("BR;q=0.5", all), "br");
    assert.equal(chooseEncoding("deflate", all), undefined);
    assert.equal(chooseEncoding("br, gzip", (e) => e === "gzip"), "gzip", "an encoding not worth it is skipped");
  });
});

describe("static assets: the build's precompressed files and manifest (issue 10, point 11)", () => {
  const dir = mkdtempSync(join(tmpdir(), "cp-assets-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("writeAssets writes each fingerprinted file with its .br and .gz; the server answers with those very bytes", async () => {
    const manifest = writeAssets(dir);
    const css = manifest["app.css"]!;
    assert.match(css.file, /^app\.[0-9a-f]{8}\.css$/);
    assert.deepEqual(readFileSync(join(dir, css.file)), CSS);
    const br = readFileSync(join(dir, css.br!));
    assert.deepEqual(brotliDecompressSync(br), CSS);
    assert.deepEqual(gunzipSync(readFileSync(join(dir, css.gzip!))), CSS);
    assert.ok(manifest["htmx.min.js"]?.br, "htmx is precompressed too");
    // A build file told apart from a fresh compression (lower quality: other bytes, same content).
    const marked = brotliCompressSync(CSS, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } });
    assert.notDeepEqual(marked, br);
    writeFileSync(join(dir, css.br!), marked);
    const store = assetStore(dir);
    assert.equal(store.url("app.css"), `/static/${css.file}`);
    const res = store.serve(css.file, { acceptEncoding: "br" })!;
    assert.equal(res.headers.get("cache-control"), IMMUTABLE);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), marked, "the build's .br file is served as is");
  });

  test("a manifest entry built from other bytes is ignored: the current source is served, compressed in memory", async () => {
    writeFileSync(join(dir, "app.css.stale.br"), Buffer.from("not brotli"));
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    manifest["app.css"] = { file: "app.0badbeef.css", hash: "0badbeef", br: "app.css.stale.br" };
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
    const store = assetStore(dir);
    assert.notEqual(store.url("app.css"), "/static/app.0badbeef.css");
    const res = store.serve(store.url("app.css").slice("/static/".length), { acceptEncoding: "br" })!;
    assert.deepEqual(brotliDecompressSync(Buffer.from(await res.arrayBuffer())), CSS);
  });
});
