// Malformed input is a 4xx problem, never a 5xx (security issue, point 1). Every write operation of
// the OpenAPI document gets at least 200 hostile requests generated from its own request schema —
// so a new route is covered the day it is documented — sent by every kind of caller, with real and
// unknown ids. Each answer must be < 500, and every error an application/problem+json.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { sql } from "kysely";
import { createTestContext, createUser, type TestContext } from "../support/app.ts";
import { createOrderFixture } from "../support/fixtures.ts";

const RUNS = Number(process.env.HOSTILE_RUNS ?? 200);
const SEED = Number(process.env.HOSTILE_SEED ?? 20261204);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  const?: unknown;
};

/** Strings that have broken servers: NUL, lone surrogates, huge, impossible dates, injections. */
const hostileString = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfffy",
    "2026-02-30",
    "0000-01-01",
    "2026-13-01",
    "9999-99-99",
    "2026-W99",
    "24:61",
    "25:00",
    "-1",
    "1e309",
    "NaN",
    "null",
    "{}",
    "[]",
    "'; drop table path; --",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "../../etc/passwd",
    "%00",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "🙂".repeat(40),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constant("x".repeat(70_000)),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, 1e308),
  fc.integer(),
  fc.double({ noNaN: true }),
);
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string(), { maxLength: 3 }),
);

function arbitraryOf(schema: JsonSchema | undefined, doc: { components?: { schemas?: Record<string, JsonSchema> } }, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return anyJson;
  if (schema.$ref) return arbitraryOf(doc.components?.schemas?.[schema.$ref.split("/").pop() ?? ""], doc, ids, depth + 1);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => arbitraryOf(s, doc, ids, depth + 1)));
  if (schema.allOf) return arbitraryOf(Object.assign({}, ...schema.allOf), doc, ids, depth + 1);
  let typed: fc.Arbitrary<unknown>;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (schema.enum) typed = fc.constantFrom(...schema.enum);
  else if (type === "object" || schema.properties) {
    const shape: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(schema.properties ?? {})) shape[k] = arbitraryOf(v, doc, ids, depth + 1);
    typed = fc.record(shape, { requiredKeys: (schema.required ?? []).filter((k) => k in shape) });
  } else if (type === "array") typed = fc.array(arbitraryOf(schema.items, doc, ids, depth + 1), { maxLength: 4 });
  else if (type === "integer" || type === "number") typed = hostileNumber;
  else if (type === "boolean") typed = fc.boolean();
  else if (type === "string") {
    const plausible =
      schema.format === "uuid" ? fc.constantFrom(...ids) : schema.format === "date" || /\\d\{4\}-/.test(schema.pattern ?? "") ? fc.constantFrom("2026-03-10", "2026-12-31") : fc.string({ maxLength: 12 });
    typed = fc.oneof(plausible, hostileString);
  } else typed = anyJson;
  // Now and then the wrong type altogether.
  return fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: anyJson });
}

/** A path segment; a lone surrogate cannot be encoded: it goes as an invalid UTF-8 sequence instead. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

interface Operation {
  method: string;
  path: string;
  body?: JsonSchema;
  contentType?: string;
}

describe("malformed input is a 4xx problem, never a 5xx (every write operation of the OpenAPI document)", () => {
  let t: TestContext;
  let operations: Operation[];
  let doc: { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>; components?: { schemas?: Record<string, JsonSchema> } };
  let ids: string[];
  let tokens: (string | undefined)[];

  before(async () => {
    t = await createTestContext();
    const fx = await createOrderFixture(t.db);
    const traineeId = (await sql<{ id: string }>`insert into trainee (id, provider_id, first_name, last_name, birth_date, job_seeker_registered) values (gen_random_uuid(), ${fx.providerId}, 'Inès', 'Roux', '1990-01-01', true) returning id`.execute(t.db)).rows[0].id;
    await createUser(t.db, { email: "stagiaire@hostile.test", role: "trainee", traineeId });
    const org = (await sql<{ id: string }>`select id from prescriber_organisation limit 1`.execute(t.db)).rows[0];
    if (org) await createUser(t.db, { email: "prescripteur@hostile.test", role: "prescriber", prescriberOrganisationId: org.id });
    tokens = [undefined, await t.login(fx.adminEmail), await t.login(fx.regionEmail), await t.login("stagiaire@hostile.test")];
    if (org) tokens.push(await t.login("prescripteur@hostile.test"));
    const known = await sql<{ id: string }>`
      select id::text from provider union all select id::text from lot union all select id::text from site
      union all select id::text from component union all select id::text from module union all select id::text from "order"
      union all select id::text from order_line union all select id::text from trainee union all select id::text from app_user`.execute(t.db);
    ids = [...known.rows.map((r) => r.id), "3f1d2c3b-0000-4000-8000-000000000000"];
    doc = (await t.api("GET", "/api/openapi.json")).body;
    operations = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!["post", "put", "patch", "delete"].includes(method)) continue;
        const content = op.requestBody?.content ?? {};
        const contentType = Object.keys(content)[0];
        operations.push({ method: method.toUpperCase(), path, body: contentType ? content[contentType].schema : undefined, contentType });
      }
    }
  });
  after(() => t?.close());

  test("the document lists write operations (the generator has something to cover)", () => {
    assert.ok(operations.length >= 50, `${operations.length} write operations`);
  });

  test(`at least ${RUNS} hostile requests per write operation: no 5xx, every error a French problem+json`, { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    const rawBodies: [string | undefined, string][] = [
      ["application/json", ""],
      ["application/json", '{"a":'],
      ["application/json", "pas du json"],
      ["application/json", "\u0000"],
      ["text/plain", '{"a":1}'],
      ["application/x-www-form-urlencoded", "a=1&b=%00"],
      [undefined, '{"a":1}'],
      ["application/json", "[]"],
      ["application/json", "null"],
      ["application/json", '"\\ud800"'],
    ];
    for (const op of operations) {
      const bodies = fc.sample(arbitraryOf(op.body, doc, ids), { numRuns: Math.max(0, RUNS - rawBodies.length), seed: SEED });
      const pathIds = fc.sample(fc.oneof(fc.constantFrom(...ids), hostileString.filter((s) => s.length < 200)), { numRuns: RUNS, seed: SEED + 1 });
      const requests: { contentType: string | undefined; body: string; url: string; token: string | undefined }[] = [];
      const urlOf = (i: number) => op.path.replace(/\{[^}]+\}/g, () => encodeSegment(pathIds[i % pathIds.length]));
      for (const [i, [contentType, body]] of rawBodies.entries()) {
        requests.push({ contentType, body, url: urlOf(i), token: tokens[i % tokens.length] });
      }
      for (const [i, b] of bodies.entries()) {
        const url = urlOf(i + rawBodies.length);
        requests.push({ contentType: op.contentType ?? "application/json", body: JSON.stringify(b) ?? "", url, token: tokens[(i + 1) % tokens.length] });
      }
      for (const r of requests) {
        const headers: Record<string, string> = {};
        if (r.token) headers.authorization = `Bearer ${r.token}`;
        if (r.contentType) headers["content-type"] = r.contentType;
        let res: Response;
        try {
          res = await t.app.request(r.url, { method: op.method, headers, body: op.method === "DELETE" && !op.body ? undefined : r.body });
        } catch (error) {
          failures.push(`${op.method} ${op.path}: threw ${String(error).slice(0, 120)}`);
          continue;
        }
        const type = res.headers.get("content-type") ?? "";
        const text = await res.text();
        if (res.status >= 500) failures.push(`${op.method} ${op.path} → ${res.status} ${text.slice(0, 160)} ⟵ ${r.body.slice(0, 120)}`);
        else if (res.status >= 400 && !/application\/problem\+json/.test(type)) failures.push(`${op.method} ${op.path} → ${res.status} ${type} (not problem+json)`);
      }
    }
    const byOperation = new Map<string, string[]>();
    for (const f of failures) {
      const key = f.split(" →")[0].split(":")[0];
      byOperation.set(key, [...(byOperation.get(key) ?? []), f]);
    }
    const report = [...byOperation.values()].map((fs) => `${fs.length} × ${fs[0]}`).join("\n");
    assert.equal(failures.length, 0, `${failures.length} answers of ${operations.length * RUNS} were 5xx or not problem+json:\n${report}`);
  });
});
