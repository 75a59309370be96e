import { Worker } from "node:worker_threads";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { restoreTemplate } from "./template.ts";

export interface EmbeddedServer {
  /** Directory holding the `.s.PGSQL.5432` socket: pass it as pg's `host`. */
  socketDir: string;
  /** The cluster was restored from the template (a first start) rather than opened or initdb'd. */
  fromTemplate: boolean;
  dump(file: string): Promise<void>;
  /** A copy of the data dir (tar), checkpointed first; the caller makes sure no transaction is open. */
  backup(): Promise<Uint8Array>;
  stop(): Promise<void>;
}

interface Options {
  /** Where PGlite keeps its files; `undefined` keeps the database in memory (tests). */
  dataDir?: string;
  /** Directory for the socket and, with a dataDir, the pid lock. */
  runDir: string;
  maxConnections: number;
  /** A tarball made by `dump()`: the database starts as a copy of it. */
  loadDataDirFile?: string;
  /**
   * A tarball made by `dump()` (template.ts), extracted as the cluster instead of running initdb when
   * `dataDir` is absent or empty: an existing database is never overwritten.
   */
  template?: string;
}

/** Where a data folder (DATA_DIR) keeps its embedded cluster and its socket and pid lock. */
export const embeddedPaths = (dataDir: string) => ({ dataDir: join(dataDir, "pglite"), runDir: join(dataDir, "run") });

/**
 * The live process holding the data dir's pid lock, if any (a lock left by a dead process does not
 * count; nor, unless `includeSelf`, one this process wrote).
 */
export function lockHolder(runDir: string, includeSelf = false): number | undefined {
  const lock = join(runDir, "pglite.pid");
  if (!existsSync(lock)) return undefined;
  const pid = Number(readFileSync(lock, "utf8"));
  if (pid === process.pid) return includeSelf ? pid : undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** PGlite has no lock of its own and two processes on one data dir corrupt it: refuse the second. */
function takePidLock(runDir: string): () => void {
  const lock = join(runDir, "pglite.pid");
  const holder = lockHolder(runDir);
  if (holder) {
    throw new Error(
      `La base embarquée est déjà utilisée par le processus ${holder} (verrou ${lock}). Arrêtez-le avant d'en démarrer un autre.`,
    );
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

export async function startEmbedded(options: Options): Promise<EmbeddedServer> {
  mkdirSync(options.runDir, { recursive: true });
  const release = options.dataDir ? takePidLock(options.runDir) : () => {};
  // Under the pid lock: no other process can be creating this cluster meanwhile.
  let fromTemplate = false;
  try {
    if (options.template && options.dataDir && !options.loadDataDirFile) fromTemplate = restoreTemplate(options.template, options.dataDir);
  } catch (error) {
    release();
    throw error;
  }
  const { template: _template, ...workerOptions } = options;
  const socketPath = join(options.runDir, ".s.PGSQL.5432");
  rmSync(socketPath, { force: true });
  const worker = new Worker(new URL("./embedded-worker.mjs", import.meta.url), {
    workerData: { ...workerOptions, socketPath },
  });
  type Message = { type: string; message?: string; bytes?: Uint8Array };
  const waitFor = (type: string) =>
    new Promise<Message>((resolve, reject) => {
      const onMessage = (msg: Message) => {
        if (msg.type === type) {
          worker.off("message", onMessage);
          resolve(msg);
        } else if (msg.type === "error") {
          worker.off("message", onMessage);
          reject(new Error(msg.message));
        }
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  try {
    await waitFor("ready");
  } catch (error) {
    release();
    throw error;
  }
  return {
    socketDir: options.runDir,
    fromTemplate,
    async dump(file) {
      const done = waitFor("dumped");
      worker.postMessage({ type: "dump", file });
      await done;
    },
    async backup() {
      const done = waitFor("backup");
      worker.postMessage({ type: "backup" });
      return (await done).bytes as Uint8Array;
    },
    async stop() {
      const done = waitFor("stopped");
      worker.postMessage({ type: "stop" });
      await done;
      await worker.terminate();
      release();
    },
  };
}
