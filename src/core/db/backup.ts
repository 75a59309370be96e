// Backups of the embedded database (ADR 0015). The running process owns the data dir (pid lock, ADR
// 0001), so `npm run backup` asks it for a copy over a local control channel: a Unix socket beside
// PGlite's (DATA_DIR/run/control.sock, mode 0600: only the platform's own user). With the platform
// stopped, the script opens the data dir itself. PostgreSQL is backed up with its own tools
// (pg_dump, base backups + WAL archiving: docs/operations.md).
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { type Database, openDatabase } from "./index.ts";
import { lockHolder } from "./embedded.ts";

export const controlSocketPath = (dataDir: string) => join(dataDir, "run", "control.sock");

export interface ControlChannel {
  close(): Promise<void>;
}

/**
 * Serves `backup` requests of `npm run backup`: one line `backup\n` in; a JSON line
 * `{"ok":true,"bytes":n}` then the n bytes of the gzipped tar out (or `{"ok":false,"message":…}`).
 */
export async function startControlChannel(dataDir: string, backup: () => Promise<Buffer>, log: (m: string) => void = console.error): Promise<ControlChannel> {
  const path = controlSocketPath(dataDir);
  rmSync(path, { force: true }); // left by a process that died: we hold the pid lock, it is ours now
  const server = net.createServer((socket) => {
    socket.on("error", () => socket.destroy());
    let line = "";
    socket.on("data", async (chunk) => {
      if (line.includes("\n")) return;
      line += chunk.toString("utf8");
      if (!line.includes("\n")) return;
      const command = line.split("\n")[0].trim();
      if (command !== "backup") return void socket.end(`${JSON.stringify({ ok: false, message: `commande inconnue : « ${command.slice(0, 40)} »` })}\n`);
      try {
        const bytes = await backup();
        socket.write(`${JSON.stringify({ ok: true, bytes: bytes.length })}\n`);
        socket.end(bytes);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`sauvegarde : échec (${message})`);
        socket.end(`${JSON.stringify({ ok: false, message })}\n`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Asks the running platform for a backup; `undefined` when no platform listens on this data dir. */
export function requestBackup(dataDir: string): Promise<Buffer | undefined> {
  const path = controlSocketPath(dataDir);
  if (!existsSync(path)) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    const chunks: Buffer[] = [];
    socket.on("connect", () => socket.write("backup\n"));
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNREFUSED" || error.code === "ENOENT" ? resolve(undefined) : reject(error)));
    socket.on("end", () => {
      const all = Buffer.concat(chunks);
      const eol = all.indexOf(10);
      if (eol < 0) return reject(new Error("réponse illisible de la plateforme"));
      const head = JSON.parse(all.subarray(0, eol).toString("utf8")) as { ok: boolean; bytes?: number; message?: string };
      if (!head.ok) return reject(new Error(head.message ?? "sauvegarde refusée"));
      const bytes = all.subarray(eol + 1);
      if (bytes.length !== head.bytes) return reject(new Error(`sauvegarde tronquée (${bytes.length} octets reçus sur ${head.bytes})`));
      resolve(bytes);
    });
  });
}

/** A backup of the embedded data dir: from the running platform if there is one, else opened directly. */
export async function backupEmbedded(dataDir: string): Promise<{ bytes: Buffer; from: "running" | "stopped" }> {
  const fromRunning = await requestBackup(dataDir);
  if (fromRunning) return { bytes: fromRunning, from: "running" };
  if (!existsSync(join(dataDir, "pglite"))) throw new Error(`aucune base embarquée sous ${dataDir} (DATA_DIR).`);
  const database = await openDatabase({ dataDir, poolSize: 1 }); // takes the pid lock: refused if a platform runs
  try {
    return { bytes: await (database.backup as () => Promise<Buffer>)(), from: "stopped" };
  } finally {
    await database.close();
  }
}

/**
 * Restores a backup into DATA_DIR (the platform must be stopped). The current data dir, if any, is
 * kept beside it as `pglite.avant-restauration-<date>`, never deleted. Returns the restored database,
 * open, for the caller to verify.
 */
export async function restoreEmbedded(file: string, dataDir: string): Promise<{ database: Database; previous?: string }> {
  const runDir = join(dataDir, "run");
  const holder = lockHolder(runDir, true);
  if (holder) throw new Error(`la plateforme tourne sur ce DATA_DIR (processus ${holder}) : arrêtez-la avant de restaurer.`);
  let bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const target = join(dataDir, "pglite");
  let previous: string | undefined;
  if (existsSync(target) && readdirSync(target).length) {
    previous = `${target}.avant-restauration-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(target, previous);
  }
  mkdirSync(dataDir, { recursive: true });
  const tar = join(dataDir, `restauration-${process.pid}.tar`);
  writeFileSync(tar, bytes);
  try {
    return { database: await openDatabase({ dataDir, poolSize: 1, loadDataDirFile: tar }), previous };
  } finally {
    rmSync(tar, { force: true });
  }
}
