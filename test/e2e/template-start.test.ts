// A first start restores the built, migrated cluster instead of running initdb (ADR 0040,
// src/core/db/template.ts). What must hold: the restored database is the one a fresh initdb and the
// migrations give (same migrations, same schema, same reference rows, no secret of its own), an
// existing data folder is never overwritten, and a template this code cannot trust is not used.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { type Db, openDatabase } from "../../src/core/db/index.ts";
import { migrateToLatest } from "../../src/core/db/migrate.ts";
import { buildTemplate, pgliteVersion, restoreTemplate, usableTemplate } from "../../src/core/db/template.ts";
import { createTestDatabase } from "../support/db.ts";

/** What the migrations made: applied migrations, every column and index, the reference rows. */
async function fingerprint(db: Db) {
  const migrations = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
  const columns = (
    await sql<{ c: string }>`select table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' || coalesce(column_default, '') as c
      from information_schema.columns where table_schema = 'public' order by 1`.execute(db)
  ).rows.map((r) => r.c);
  const indexes = (await sql<{ d: string }>`select indexdef as d from pg_indexes where schemaname = 'public' order by 1`.execute(db)).rows.map((r) => r.d);
  const extensions = (await sql<{ e: string }>`select extname as e from pg_extension order by 1`.execute(db)).rows.map((r) => r.e);
  const departements = (await sql<{ n: number }>`select count(*)::int as n from departement`.execute(db)).rows[0].n;
  const secrets = (await sql<{ n: number }>`select count(*)::int as n from platform_secret`.execute(db)).rows[0].n;
  return { migrations, columns, indexes, extensions, departements, secrets };
}

describe("first start from the built template (ADR 0040)", () => {
  let work: string;
  let templateDir: string;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), "cp-template-"));
    templateDir = join(work, "dist-pglite");
    assert.equal(await buildTemplate(templateDir), true, "the build makes the template");
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("the build does not make it again for the same migrations and PGlite; the start finds it usable", async () => {
    assert.equal(await buildTemplate(templateDir), false);
    assert.equal(usableTemplate(templateDir), join(templateDir, "template.tar"));
  });

  test("an empty data folder restored from the template is the database a fresh initdb and the migrations give, without a secret of its own", async () => {
    const template = usableTemplate(templateDir);
    assert.ok(template);
    const fresh = await openDatabase({ dataDir: join(work, "fresh"), poolSize: 1 });
    const restored = await openDatabase({ dataDir: join(work, "restored"), poolSize: 1, template });
    try {
      assert.equal(fresh.fromTemplate, false);
      assert.equal(restored.fromTemplate, true);
      await migrateToLatest(fresh.db);
      await migrateToLatest(restored.db); // as a start does: nothing pending
      const expected = await fingerprint(fresh.db);
      const actual = await fingerprint(restored.db);
      assert.ok(expected.migrations.length > 0 && expected.columns.length > 100);
      assert.deepEqual(actual, expected);
      assert.equal(actual.secrets, 0, "the platform secret is drawn at the first start, never shipped in the template");
    } finally {
      await fresh.close();
      await restored.close();
    }
  });

  test("an existing data folder is never overwritten: its rows stay, the template is not used", async () => {
    const template = usableTemplate(templateDir);
    const dataDir = join(work, "existing");
    const first = await openDatabase({ dataDir, poolSize: 1, template });
    assert.equal(first.fromTemplate, true);
    await migrateToLatest(first.db);
    await sql`insert into departement (code, name) values ('2A', 'Corse-du-Sud (témoin)')`.execute(first.db);
    await first.close();

    const again = await openDatabase({ dataDir, poolSize: 1, template });
    try {
      assert.equal(again.fromTemplate, false);
      const row = await sql<{ name: string }>`select name from departement where code = '2A'`.execute(again.db);
      assert.equal(row.rows[0]?.name, "Corse-du-Sud (témoin)");
    } finally {
      await again.close();
    }
  });

  test("a folder holding anything at all is left alone (no extraction, its files untouched)", () => {
    const template = usableTemplate(templateDir) as string;
    const cluster = join(work, "not-empty", "pglite");
    mkdirSync(cluster, { recursive: true });
    writeFileSync(join(cluster, "note.txt"), "à garder");
    assert.equal(restoreTemplate(template, cluster), false);
    assert.equal(readFileSync(join(cluster, "note.txt"), "utf8"), "à garder");
    assert.equal(existsSync(join(cluster, "PG_VERSION")), false);
  });

  test("a template made by another PGlite, or holding a migration this code does not know, is not used", () => {
    const meta = JSON.parse(readFileSync(join(templateDir, "template.json"), "utf8"));
    const copy = join(work, "other");
    mkdirSync(copy, { recursive: true });
    writeFileSync(join(copy, "template.tar"), "");
    writeFileSync(join(copy, "template.json"), JSON.stringify({ ...meta, pglite: `${pgliteVersion()}-autre` }));
    assert.equal(usableTemplate(copy), undefined);
    writeFileSync(join(copy, "template.json"), JSON.stringify({ ...meta, migrations: [...meta.migrations, "29991231000000_future"] }));
    assert.equal(usableTemplate(copy), undefined);
    writeFileSync(join(copy, "template.json"), JSON.stringify(meta));
    assert.equal(usableTemplate(copy), join(copy, "template.tar"));
    assert.equal(usableTemplate(join(work, "nowhere")), undefined);
  });
});

describe("migrations at start: nothing pending skips the Migrator, anything else still goes through it (ADR 0040)", () => {
  test("a database recording a migration the folder lacks is refused, not silently accepted", async () => {
    const database = await createTestDatabase(1);
    try {
      await migrateToLatest(database.db); // up to date: returns without the Migrator
      await sql`insert into kysely_migration (name, timestamp) values ('29991231000000_future', '2999-12-31T00:00:00Z')`.execute(database.db);
      await assert.rejects(migrateToLatest(database.db), /29991231000000_future|corrupted|missing/i);
    } finally {
      await database.close();
    }
  });
});
