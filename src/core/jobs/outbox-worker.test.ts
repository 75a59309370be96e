import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { emit } from "../outbox.ts";
import { registerOutboxHandler, runOutboxOnce, unregisterOutboxHandler } from "./outbox-worker.ts";

const quiet = { log: () => {} };

describe("outbox worker: claims, dispatches by topic, retries with backoff", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
  });
  after(() => t.close());

  const pending = () => t.db.selectFrom("outbox").selectAll().where("processed_at", "is", null).execute();

  test("a handler runs in the claiming transaction and the event is processed once", async () => {
    const seen: unknown[] = [];
    registerOutboxHandler("test.ok", async (tx, payload) => {
      seen.push(payload);
      await tx.insertInto("audit_log").values({ actor_id: null, action: "test.ok.handled", entity: "test", details: JSON.stringify(payload) }).execute();
    });
    try {
      await t.db.transaction().execute((tx) => emit(tx, "test.ok", { n: 1 }));
      assert.deepEqual(await runOutboxOnce(t.db, t.clock, quiet), { processed: 1, failed: 0, unknown: 0 });
      assert.deepEqual(await runOutboxOnce(t.db, t.clock, quiet), { processed: 0, failed: 0, unknown: 0 });
      assert.deepEqual(seen, [{ n: 1 }]);
      const handled = await t.db.selectFrom("audit_log").select("id").where("action", "=", "test.ok.handled").execute();
      assert.equal(handled.length, 1);
      assert.equal((await pending()).length, 0);
    } finally {
      unregisterOutboxHandler("test.ok");
    }
  });

  test("an event emitted in a transaction that rolls back is never processed", async () => {
    let calls = 0;
    registerOutboxHandler("test.rollback", async () => {
      calls++;
    });
    try {
      await assert.rejects(
        t.db.transaction().execute(async (tx) => {
          await emit(tx, "test.rollback", {});
          throw new Error("command refused");
        }),
      );
      await runOutboxOnce(t.db, t.clock, quiet);
      assert.equal(calls, 0);
    } finally {
      unregisterOutboxHandler("test.rollback");
    }
  });

  test("a handler error → attempts incremented, error kept, its writes undone, retried after the backoff", async () => {
    let calls = 0;
    registerOutboxHandler("test.flaky", async (tx) => {
      calls++;
      await tx.insertInto("audit_log").values({ actor_id: null, action: `test.flaky.${calls}`, entity: "test" }).execute();
      if (calls < 3) throw new Error(`panne ${calls}`);
    });
    try {
      t.clock.set("2026-03-02T09:00:00Z");
      await t.db.transaction().execute((tx) => emit(tx, "test.flaky", { id: "x" }));
      const options = { ...quiet, baseDelayMs: 30_000 };
      assert.deepEqual(await runOutboxOnce(t.db, t.clock, options), { processed: 0, failed: 1, unknown: 0 });
      let [row] = await pending();
      assert.equal(row.attempts, 1);
      assert.equal(row.last_error, "panne 1");
      assert.equal(row.next_attempt_at.toISOString(), "2026-03-02T09:00:30.000Z");
      // The failed handler's own writes were rolled back with it.
      assert.equal((await t.db.selectFrom("audit_log").select("id").where("action", "=", "test.flaky.1").execute()).length, 0);

      t.clock.set("2026-03-02T09:00:29Z"); // one second early: not tried
      assert.deepEqual(await runOutboxOnce(t.db, t.clock, options), { processed: 0, failed: 0, unknown: 0 });
      t.clock.set("2026-03-02T09:00:30Z");
      assert.deepEqual(await runOutboxOnce(t.db, t.clock, options), { processed: 0, failed: 1, unknown: 0 });
      [row] = await pending();
      assert.equal(row.attempts, 2);
      assert.equal(row.last_error, "panne 2");
      assert.equal(row.next_attempt_at.toISOString(), "2026-03-02T09:01:30.000Z"); // doubled: 60 s
      t.clock.set("2026-03-02T09:01:30Z");
      assert.deepEqual(await runOutboxOnce(t.db, t.clock, options), { processed: 1, failed: 0, unknown: 0 });
      assert.equal(calls, 3);
      assert.equal((await pending()).length, 0);
      assert.equal((await t.db.selectFrom("audit_log").select("id").where("action", "=", "test.flaky.3").execute()).length, 1);
    } finally {
      unregisterOutboxHandler("test.flaky");
    }
  });

  test("an unknown topic is marked processed and logged", async () => {
    const logged: string[] = [];
    await t.db.transaction().execute((tx) => emit(tx, "test.nobody-listens", {}));
    assert.deepEqual(await runOutboxOnce(t.db, t.clock, { log: (m) => logged.push(m) }), { processed: 0, failed: 0, unknown: 1 });
    assert.equal((await pending()).length, 0);
    assert.match(logged[0], /test\.nobody-listens/);
  });

  test("a topic cannot have two handlers", () => {
    registerOutboxHandler("test.once", async () => {});
    try {
      assert.throws(() => registerOutboxHandler("test.once", async () => {}));
    } finally {
      unregisterOutboxHandler("test.once");
    }
  });

  test(
    "two workers at once never process one event twice",
    { skip: usingPostgres ? false : "PostgreSQL seulement : PGlite sert une connexion à la fois (pas de SKIP LOCKED concurrent)" },
    async () => {
      const seen = new Map<number, number>();
      registerOutboxHandler("test.concurrent", async (_tx, payload) => {
        const n = payload.n as number;
        seen.set(n, (seen.get(n) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 2)); // hold the row a little so both workers overlap
      });
      try {
        await t.db.transaction().execute(async (tx) => {
          for (let n = 0; n < 120; n++) await emit(tx, "test.concurrent", { n });
        });
        const [a, b] = await Promise.all([runOutboxOnce(t.db, t.clock, { ...quiet, limit: 500 }), runOutboxOnce(t.db, t.clock, { ...quiet, limit: 500 })]);
        assert.equal(a.processed + b.processed, 120);
        assert.ok(a.processed > 0 && b.processed > 0, "both workers took part");
        assert.equal(seen.size, 120);
        assert.ok([...seen.values()].every((count) => count === 1));
      } finally {
        unregisterOutboxHandler("test.concurrent");
      }
    },
  );
});
