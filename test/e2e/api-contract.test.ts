// Cross-domain guarantees of the JSON API and the schema.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createTestContext, type TestContext } from "../support/app.ts";

describe("API contract", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  test("the OpenAPI document is served at /api/openapi.json and describes every JSON route", async () => {
    const res = await t.api("GET", "/api/openapi.json");
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, "3.1.0");
    for (const path of ["/api/auth/login", "/api/paths/{id}/plan", "/api/trainees", "/api/paths/{id}/deposits"]) {
      assert.ok(res.body.paths[path], `${path} is documented`);
    }
    for (const [path, ops] of Object.entries<Record<string, { responses?: object }>>(res.body.paths)) {
      for (const [method, op] of Object.entries(ops)) assert.ok(op.responses, `${method} ${path} documents its responses`);
    }
  });

  test("CP-FREE-OF-CHARGE: no operation anywhere charges a trainee (only the material deposit exists)", async () => {
    const res = await t.api("GET", "/api/openapi.json");
    const charging = Object.keys(res.body.paths).filter((p) => /fee|frais|payment|paiement|charge|invoice-trainee|tarif/i.test(p));
    assert.deepEqual(charging, []);
  });

  test("CP-FREE-OF-CHARGE: the only money columns are the deposit, the Region's unit price and a second exam session's fee (CP-EXAMS)", async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and (column_name like '%cents%' or column_name like '%amount%' or column_name like '%price%' or column_name like '%fee%')
      order by table_name, column_name`.execute(t.db);
    assert.deepEqual(
      rows.map((r) => `${r.table_name}.${r.column_name}`),
      // The second session after a failure is the one fee the trainee may bear (CCTP §6.1.3): a CHECK
      // keeps it null on a first presentation (migrations/20261205030000_exit.ts).
      // contribution_finding: what the Region found a trainee was made to pay, and its claim on the provider (CP-CONTRIBUTION-RECOVERY).
      ["contribution_finding.amount_cents", "contribution_finding.recovery_cents", "deposit.amount_cents", "exam_registration.trainee_fee_cents", "order.unit_price_cents"],
    );
  });

  test("CP-EXAMS: a first presentation cannot carry a trainee fee (database CHECK)", async () => {
    const { rows } = await sql<{ def: string }>`select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'exam_registration'::regclass and contype = 'c'`.execute(t.db);
    assert.ok(rows.some((r) => /trainee_fee_cents IS NULL/i.test(r.def) && /second_session/.test(r.def)), JSON.stringify(rows));
  });

  test("errors are application/problem+json with the rule ID as code", async () => {
    const res = await t.api("GET", "/api/paths/00000000-0000-4000-8000-000000000000");
    assert.equal(res.status, 401);
    assert.match(res.headers.get("content-type") ?? "", /application\/problem\+json/);
    assert.equal(res.body.code, "UNAUTHENTICATED");
    assert.equal(typeof res.body.detail, "string");
  });
});
