// Concurrent requests on the embedded database (ADR 0001): interleaved extended-protocol messages
// of several connections broke PGlite's single session (error 34000); one connection serialises them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { createTestDatabase, usingPostgres } from "../support/db.ts";
import type { Database } from "../../src/core/db/index.ts";

describe("database under concurrent requests", () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  test(`200 concurrent parameterised queries and transactions all succeed (${usingPostgres ? "PostgreSQL" : "PGlite"})`, async () => {
    const { db } = database;
    await db.insertInto("departement").values({ code: "31", name: "Haute-Garonne" }).onConflict((oc) => oc.doNothing()).execute();
    const jobs = Array.from({ length: 200 }, (_, i) =>
      i % 10 === 0
        ? db.transaction().execute(async (tx) => {
            await sql`select pg_sleep(0.001)`.execute(tx);
            return (await tx.selectFrom("departement").select("name").where("code", "=", "31").executeTakeFirstOrThrow()).name;
          })
        : db.selectFrom("departement").select("name").where("code", "=", "31").where("name", "like", `%${"aronne".slice(0, (i % 5) + 1)}%`).executeTakeFirstOrThrow().then((r) => r.name),
    );
    const results = await Promise.allSettled(jobs);
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    assert.deepEqual(failures.slice(0, 3), []);
    assert.ok(results.every((r) => r.status === "fulfilled" && r.value === "Haute-Garonne"));
  });
});
