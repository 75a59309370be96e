// A fresh, migrated database per test file (ARCHITECTURE: tests), cloned from one template:
// embedded → a PGlite data-dir dump loaded into memory; DATABASE_URL → CREATE DATABASE … TEMPLATE.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import pg from "pg";
import { openDatabase, type Database } from "../../src/core/db/index.ts";
import { migrateToLatest, migrationsDir } from "../../src/core/db/migrate.ts";

const migrationsHash = createHash("sha256")
  .update(readdirSync(migrationsDir).sort().map((f) => f + readFileSync(join(migrationsDir, f), "utf8")).join("\n"))
  .digest("hex")
  .slice(0, 12);

export const usingPostgres = Boolean(process.env.DATABASE_URL);

const cacheDir = join(process.cwd(), ".cache");
const tmpRunDir = () => {
  const dir = join(tmpdir(), `cp-${randomBytes(6).toString("hex")}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

/** The migrated embedded template (a PGlite data-dir tarball), built once per set of migrations. */
export async function embeddedTemplate(): Promise<string> {
  const file = join(cacheDir, `pglite-template-${migrationsHash}.tar`);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const database = await openDatabase({ runDir: tmpRunDir(), poolSize: 1 });
  await migrateToLatest(database.db);
  const partial = `${file}.${process.pid}.partial`;
  await database.dump?.(partial);
  await database.close();
  renameSync(partial, file); // atomic: a parallel test file never reads half a template
  return file;
}

async function postgresTemplate(admin: pg.Client): Promise<string> {
  const name = `cp_template_${migrationsHash}`;
  const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
  if (exists.rowCount) return name;
  const building = `${name}_${randomBytes(4).toString("hex")}`;
  await admin.query(`create database ${building}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${building}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
  await migrateToLatest(database.db);
  await database.close();
  try {
    await admin.query(`alter database ${building} rename to ${name}`);
  } catch {
    // another test file built it first
    await admin.query(`drop database if exists ${building}`);
  }
  return name;
}

export async function createTestDatabase(poolSize = 5): Promise<Database> {
  if (!usingPostgres) {
    const template = await embeddedTemplate();
    return openDatabase({ runDir: tmpRunDir(), poolSize, loadDataDirFile: template });
  }
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const template = await postgresTemplate(admin);
  const name = `cp_t_${randomBytes(6).toString("hex")}`;
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize });
  return {
    ...database,
    async close() {
      await database.close();
      const again = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await again.connect();
      // The pool's sockets may still be closing after end(): a forced drop would kill them and their
      // late error would fail the test file. Wait for them to go; force only as a last resort.
      for (let attempt = 0; ; attempt++) {
        try {
          await again.query(`drop database if exists ${name}${attempt >= 50 ? " with (force)" : ""}`);
          break;
        } catch (error) {
          if (attempt >= 50) throw error;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      await again.end();
    },
  };
}

