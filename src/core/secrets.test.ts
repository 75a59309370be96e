import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Database } from "./db/index.ts";
import { derivedKey, platformSecret } from "./secrets.ts";
import { createTestDatabase } from "../../test/support/db.ts";

let database: Database;
before(async () => (database = await createTestDatabase(2)));
after(() => database?.close());

describe("the platform's secret is the same for every process", () => {
  test("without APP_SECRET: drawn once and kept in the database; two processes starting together read the same", async () => {
    const [a, b] = await Promise.all([platformSecret(database.db), platformSecret(database.db)]);
    assert.equal(a.length, 32);
    assert.deepEqual(a, b);
    assert.deepEqual(await platformSecret(database.db), a, "a later start reads it again");
    assert.equal((await database.db.selectFrom("platform_secret").select("name").execute()).length, 1);
  });

  test("APP_SECRET wins over the database's; shorter than 32 characters it is refused in French", async () => {
    const configured = "x".repeat(40);
    assert.deepEqual(await platformSecret(database.db, configured), Buffer.from(configured));
    await assert.rejects(platformSecret(database.db, "trop-court"), /APP_SECRET doit compter au moins 32 caractères/);
  });

  test("one key per purpose, derived from the secret", () => {
    const secret = Buffer.alloc(32, 7);
    assert.deepEqual(derivedKey(secret, "attendance-qr"), derivedKey(Buffer.alloc(32, 7), "attendance-qr"));
    assert.notDeepEqual(derivedKey(secret, "attendance-qr"), derivedKey(secret, "other"));
  });
});
