// Runs PGlite in its own thread and serves it on a Unix socket, so the app talks to it with the
// same pg.Pool it uses for a PostgreSQL server (ARCHITECTURE: embedded default).
// Plain JS on purpose: a worker must start without the TypeScript loader.
import { parentPort, workerData } from "node:worker_threads";
import { readFile, writeFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

const { dataDir, socketPath, maxConnections, loadDataDirFile } = workerData;
const loadDataDir = loadDataDirFile ? new Blob([await readFile(loadDataDirFile)]) : undefined;
// btree_gist: the exclusion constraints of access-site seats (ADR 0019).
const db = await PGlite.create({ dataDir, loadDataDir, extensions: { btree_gist } });
// maxConnections must match the pool size: the default of 1 breaks a pool of 5 (EPIPE, measured).
const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
await server.start();
parentPort.postMessage({ type: "ready" });

parentPort.on("message", async (msg) => {
  try {
    if (msg.type === "dump") {
      const blob = await db.dumpDataDir("none");
      await writeFile(msg.file, Buffer.from(await blob.arrayBuffer()));
      parentPort.postMessage({ type: "dumped" });
    } else if (msg.type === "backup") {
      // The caller holds the pool's only connection, idle: no statement can arrive meanwhile. A
      // transaction still open would be half in the copy: refuse rather than copy it.
      if (db.isInTransaction()) throw new Error("une transaction est en cours : sauvegarde refusée, réessayez.");
      await db.exec("CHECKPOINT"); // every committed page written to the data dir before it is copied
      const bytes = new Uint8Array(await (await db.dumpDataDir("none")).arrayBuffer());
      parentPort.postMessage({ type: "backup", bytes }, [bytes.buffer]);
    } else if (msg.type === "stop") {
      await server.stop();
      await db.close();
      parentPort.postMessage({ type: "stopped" });
    }
  } catch (error) {
    parentPort.postMessage({ type: "error", message: String(error?.stack ?? error) });
  }
});
