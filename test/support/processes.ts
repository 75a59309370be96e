// Real platform processes for operations tests: `src/main.ts` spawned as in production, a fresh
// PostgreSQL database per test file, and a TCP proxy that can cut the app from its database.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = fileURLToPath(new URL("../..", import.meta.url));

export const serverUrl = process.env.DATABASE_URL;
export const skipWithoutPostgres = serverUrl ? false : "PostgreSQL seulement : définir DATABASE_URL (ex. postgres://postgres@127.0.0.1:5432/test)";

/** `url` with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** An empty database `<prefix>_<random>` on DATABASE_URL's server, dropped (forced) by `drop()`. */
export async function createFreshDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  if (!serverUrl) throw new Error("DATABASE_URL is required");
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    name,
    url: withDatabase(serverUrl, name),
    async drop() {
      const again = new pg.Client({ connectionString: serverUrl });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

export interface AppProcess {
  base: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The process is still running (it did not exit on its own). */
  alive(): boolean;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** `node --import tsx src/main.ts` (what `npm start` runs) on a free port; resolves once it announces its address. */
export function spawnApp(env: Record<string, string>, timeoutMs = 25_000): Promise<AppProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  child.stderr?.on("data", (c) => (err += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`main.ts did not start within ${timeoutMs} ms\n${out}\n${err}`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`main.ts exited with ${code} before starting\n${out}\n${err}`));
    });
    child.stdout?.on("data", (c) => {
      out += c;
      const port = /sur http:\/\/localhost:(\d+)/.exec(out)?.[1];
      if (!port) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.once("exit", () => (exited = true));
      resolve({
        base: `http://127.0.0.1:${port}`,
        child,
        stdout: () => out,
        stderr: () => err,
        alive: () => !exited && child.exitCode === null && child.signalCode === null,
        async stop() {
          if (exited) return;
          child.kill("SIGTERM");
          await Promise.race([exit, new Promise((r) => setTimeout(r, 5_000))]);
          if (!exited) child.kill("SIGKILL");
        },
      });
    });
  });
}

export interface TcpProxy {
  port: number;
  /** The database goes away: open connections are reset and new ones refused. */
  cut(): Promise<void>;
  /** Connections are accepted and then nothing answers (a network partition). */
  blackhole(): void;
  /** Forwards again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy (node net) from 127.0.0.1:<port> to `target`, that a test cuts and restores. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let mode: "forward" | "blackhole" = "forward";
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const onConnection = (client: net.Socket) => {
    track(client);
    if (mode === "blackhole") return; // accepted, never answered
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  };
  let server = net.createServer(onConnection);
  const listen = (port: number) => new Promise<number>((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
  const port = await listen(0);
  const closeServer = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const resetAll = () => {
    for (const s of sockets) s.resetAndDestroy();
  };
  return {
    port,
    async cut() {
      const closed = closeServer();
      resetAll();
      await closed;
    },
    blackhole() {
      mode = "blackhole";
      resetAll();
    },
    async restore() {
      mode = "forward";
      resetAll(); // black-holed sockets go; the pool opens new connections
      if (!server.listening) {
        server = net.createServer(onConnection);
        await listen(port);
      }
    },
    async close() {
      const closed = closeServer();
      resetAll();
      await closed;
    },
  };
}

/** `npm run <script>` as an operator types it (tsx), on the embedded database of `dataDir`. */
export function runScript(script: string, args: string[], dataDir: string, databaseUrl?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)));
  await new Promise((r) => server.close(r));
  return port;
}
