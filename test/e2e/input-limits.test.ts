// Limits on what comes in (security issue, point 2): every text a write operation accepts has a
// maximum length, read from the OpenAPI document so a new field or route is covered the day it exists.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../support/app.ts";
import { createOrderFixture } from "../support/fixtures.ts";
import { DEFAULT_BODY_MAX } from "../../src/core/http/body.ts";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  maxLength?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
};
type Doc = {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; parameters?: { name: string; in: string; schema?: JsonSchema }[] }>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** Strings whose length the format itself bounds. */
const BOUNDED_FORMATS = new Set(["uuid", "date", "time"]);
/** An anchored pattern without an unbounded repetition ('^\\d{14}$') bounds the length too. */
const boundedPattern = (p: string | undefined): boolean => !!p?.startsWith("^") && !!p?.endsWith("$") && !/[*+]|\{\d+,\}/.test((p ?? "").replace(/\\./g, ""));

function unboundedStrings(schema: JsonSchema | undefined, doc: Doc, where: string, seen = new Set<string>()): string[] {
  if (!schema) return [];
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return [];
    const name = schema.$ref.split("/").pop() ?? "";
    return unboundedStrings(doc.components?.schemas?.[name], doc, where, new Set([...seen, schema.$ref]));
  }
  const out: string[] = [];
  for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) out.push(...unboundedStrings(s, doc, where, seen));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes("string") && schema.maxLength === undefined && !schema.enum && schema.const === undefined && !BOUNDED_FORMATS.has(schema.format ?? "") && !boundedPattern(schema.pattern)) out.push(where);
  for (const [k, p] of Object.entries(schema.properties ?? {})) out.push(...unboundedStrings(p, doc, `${where}.${k}`, seen));
  if (schema.items) out.push(...unboundedStrings(schema.items, doc, `${where}[]`, seen));
  if (typeof schema.additionalProperties === "object") out.push(...unboundedStrings(schema.additionalProperties, doc, `${where}.*`, seen));
  return out;
}

describe("limits on what comes in: every text has a maximum length", () => {
  let t: TestContext;
  let doc: Doc;
  let admin: string;
  let lineId: string;
  let siteId: string;
  before(async () => {
    t = await createTestContext();
    doc = (await t.api("GET", "/api/openapi.json")).body;
    const fx = await createOrderFixture(t.db);
    admin = await t.login(fx.adminEmail);
    lineId = fx.orderLineId;
    siteId = fx.siteId;
  });
  const post = (path: string, body: string | ReadableStream, token?: string, contentType = "application/json") =>
    t.app.request(path, { method: "POST", headers: { "content-type": contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body, ...(typeof body === "string" ? {} : { duplex: "half" }) } as RequestInit);
  /** A JSON object padded with spaces to exactly `size` bytes. */
  const jsonOfSize = (obj: unknown, size: number) => {
    const s = JSON.stringify(obj);
    return s.slice(0, -1) + " ".repeat(size - Buffer.byteLength(s)) + "}";
  };
  after(() => t?.close());

  test("every string of every request body and query of the OpenAPI document has a maxLength (or an enum or a bounded format)", () => {
    const offenders: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [type, c] of Object.entries(op.requestBody?.content ?? {})) offenders.push(...unboundedStrings(c.schema, doc, `${method.toUpperCase()} ${path} (${type}) body`));
        for (const p of op.parameters ?? []) if (p.in === "query") offenders.push(...unboundedStrings(p.schema, doc, `${method.toUpperCase()} ${path} ?${p.name}`));
      }
    }
    assert.deepEqual(offenders, []);
  });

  test("a body of exactly 1 Mo is read; one byte more is refused with a French 413 problem before anything reads it", async () => {
    const fields = { orderLineId: lineId, firstName: "Inès", lastName: "Roux", birthDate: "1990-01-01", jobSeekerRegistered: true };
    const atLimit = await post("/api/trainees", jsonOfSize(fields, DEFAULT_BODY_MAX), admin);
    assert.notEqual(atLimit.status, 413);
    assert.ok(atLimit.status < 500);
    const over = await post("/api/trainees", jsonOfSize(fields, DEFAULT_BODY_MAX + 1), admin);
    assert.equal(over.status, 413);
    assert.match(over.headers.get("content-type") ?? "", /problem\+json/);
    const problem = await over.json();
    assert.equal(problem.code, "BODY_TOO_LARGE");
    assert.match(problem.detail, /trop volumineuse/);
  });

  test("a chunked body (no declared length) is counted as it arrives: 2 Mo to the login answers 413", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await post("/api/auth/login", stream);
    assert.equal(res.status, 413);
  });

  test("the login password is bounded (256 characters): 256 is checked, 257 is a 400 without hashing", async () => {
    const ok = await t.api("POST", "/api/auth/login", undefined, { email: "personne@example.fr", password: "p".repeat(256) });
    assert.equal(ok.status, 401);
    const long = await t.api("POST", "/api/auth/login", undefined, { email: "personne@example.fr", password: "p".repeat(257) });
    assert.equal(long.status, 400);
  });

  test("one strict date: 30 February and year 0000 are French 400s naming the field; 29 February 2028 passes", async () => {
    const trainee = (birthDate: string) => t.api("POST", "/api/trainees", admin, { orderLineId: lineId, siteId, firstName: "Inès", lastName: "Roux", birthDate, entryDate: "2026-03-09", plannedExitDate: "2026-05-29", jobSeekerRegistered: true });
    for (const bad of ["2026-02-30", "0000-01-01", "2026-13-01"]) {
      const res = await trainee(bad);
      assert.equal(res.status, 400, bad);
      assert.ok(res.body.violations.some((v: { field: string; message: string }) => v.field === "birthDate" && /n'existe pas|format/.test(v.message)), bad);
    }
    assert.equal((await trainee("1988-02-29")).status, 201);
  });

  test("zod's own messages are French (a missing field)", async () => {
    const res = await t.api("POST", "/api/trainees", admin, { orderLineId: lineId });
    assert.equal(res.status, 400);
    assert.ok(res.body.violations.some((v: { field: string; message: string }) => v.field === "siteId" && /attendu/.test(v.message)));
  });

  test("a text with a NUL byte or a lone surrogate is a 400 naming the field, never a database error", async () => {
    for (const lastName of ["Ro\u0000ux", "Ro\ud800ux"]) {
      const res = await t.api("POST", "/api/trainees", admin, { orderLineId: lineId, firstName: "Inès", lastName, birthDate: "1990-01-01", jobSeekerRegistered: true });
      assert.equal(res.status, 400);
      assert.ok(res.body.violations.some((v: { field: string; message: string }) => v.field === "lastName" && /caractère invalide/.test(v.message)));
    }
  });
});
