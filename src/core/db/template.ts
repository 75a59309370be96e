// A pre-initialised, migrated embedded cluster (docs/adr/0040): PGlite's initdb of an empty cluster
// runs in WASM and took 7–10 s of a first start on this machine. `npm run build` makes it once per
// set of migrations and PGlite version (dumpDataDir of an in-memory database, migrated, into
// dist/pglite/, never committed); a start on an empty data folder extracts it (restoreTemplate)
// instead of running initdb, then runs the migrations as usual (none pending, or the ones added since).
// A data folder already holding anything is never touched. The tarball is extracted by node, not by
// PGlite's loadDataDir: the same 1 600 files written through the WASM file system took 3 s of CPU
// against 0.5 s (measured), and an interrupted extraction leaves no half cluster (temporary folder,
// then rename).
// Nothing random lives in it: migrations insert only fixed reference rows; the platform secret and
// the badge key are drawn at the first start (app/secrets.ts), after the restore.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrationsDir } from "./migrate.ts";

// Three levels under the root, from src/core/db/ as from dist/server/app/ (scripts/build.mjs).
export const TEMPLATE_DIR = fileURLToPath(new URL("../../../dist/pglite/", import.meta.url));
const TARBALL = "template.tar";
const META = "template.json";

interface TemplateMeta {
  /** What it was built from: a different key rebuilds it (the build). */
  key: string;
  pglite: string;
  migrations: string[];
}

/** The installed PGlite's version: a cluster made by another version may not open. */
export function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@electric-sql/pglite");
  return JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")).version;
}

/** Migration files as Kysely's FileMigrationProvider names them (file name without extension). */
function migrationFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(js|mjs|ts|mts)$/.test(f) && !/\.d\.m?ts$/.test(f))
    .sort();
}

function templateKey(dir: string): string {
  const hash = createHash("sha256").update(pgliteVersion());
  for (const f of migrationFiles(dir)) hash.update(`\n${f}\n`).update(readFileSync(join(dir, f)));
  return hash.digest("hex").slice(0, 16);
}

const nameOf = (file: string) => file.slice(0, file.lastIndexOf("."));

function readMeta(templateDir: string): TemplateMeta | undefined {
  try {
    return JSON.parse(readFileSync(join(templateDir, META), "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The template tarball to restore on an empty data folder, if one was built for this PGlite and holds
 * no migration this code does not know (a template older than the migrations is fine: they run after).
 */
export function usableTemplate(templateDir = TEMPLATE_DIR, migrations = migrationsDir): string | undefined {
  const meta = readMeta(templateDir);
  const file = join(templateDir, TARBALL);
  if (!meta || !existsSync(file)) return undefined;
  if (meta.pglite !== pgliteVersion()) return undefined;
  const known = new Set(migrationFiles(migrations).map(nameOf));
  if (!meta.migrations.every((m) => known.has(m))) return undefined;
  return file;
}

/**
 * Build step: an in-memory cluster, migrated, dumped into `templateDir` — unless the one there was
 * built from the same migrations and PGlite. Written under a temporary name, then renamed.
 */
export async function buildTemplate(templateDir = TEMPLATE_DIR, migrations = migrationsDir): Promise<boolean> {
  const key = templateKey(migrations);
  if (readMeta(templateDir)?.key === key && existsSync(join(templateDir, TARBALL))) return false;
  const { openDatabase } = await import("./index.ts");
  const { migrateToLatest } = await import("./migrate.ts");
  mkdirSync(templateDir, { recursive: true });
  rmSync(join(templateDir, META), { force: true }); // no old description beside a new tarball
  const runDir = join(tmpdir(), `cp-template-${process.pid}`);
  const database = await openDatabase({ runDir, poolSize: 1 });
  const partial = join(templateDir, `${TARBALL}.${process.pid}.partial`);
  try {
    await migrateToLatest(database.db);
    await database.dump?.(partial);
  } finally {
    await database.close();
    rmSync(runDir, { recursive: true, force: true });
  }
  renameSync(partial, join(templateDir, TARBALL));
  const meta: TemplateMeta = { key, pglite: pgliteVersion(), migrations: migrationFiles(migrations).map(nameOf) };
  writeFileSync(join(templateDir, META), `${JSON.stringify(meta, null, 2)}\n`);
  return true;
}

/**
 * Extracts the template as the cluster of `dataDir` when that folder is absent or empty; true when it
 * did. Anything already there (a database, or files of any kind) is left alone: the caller then opens
 * it as before. Run under the data folder's pid lock (embedded.ts).
 */
export function restoreTemplate(tarFile: string, dataDir: string): boolean {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false;
  const partial = `${dataDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  try {
    untar(readFileSync(tarFile), partial);
    if (existsSync(dataDir)) rmdirSync(dataDir); // empty (checked above): rmdir refuses anything else
    renameSync(partial, dataDir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  return true;
}

/** The ustar subset PGlite's dumpDataDir writes (tinytar): regular files and directories. */
function untar(tar: Buffer, into: string): void {
  const text = (start: number, length: number) => {
    const raw = tar.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end === -1 ? length : end).toString("utf8");
  };
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const name = text(offset, 100);
    if (!name) break; // the two zero blocks that end the archive
    const prefix = text(offset + 257, 6).startsWith("ustar") ? text(offset + 345, 155) : "";
    const size = Number.parseInt(text(offset + 124, 12).trim() || "0", 8);
    const type = String.fromCharCode(tar[offset + 156]);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^\/+/, "");
    if (!path || path.split("/").includes("..")) throw new Error(`modèle de base : chemin refusé dans l'archive (${path})`);
    const target = join(into, path);
    if (type === "5") mkdirSync(target, { recursive: true, mode: 0o700 });
    else if (type === "0" || type === "\0") {
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, tar.subarray(offset + 512, offset + 512 + size), { mode: 0o600 });
    } else throw new Error(`modèle de base : type d'entrée ${JSON.stringify(type)} inattendu dans l'archive`);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}
