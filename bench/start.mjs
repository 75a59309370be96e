// Start time (docs/performance.md « Start », ADR 0040): spawns the built server as `npm start` or
// `npm run demo` would (without npm's own start-up and without the build), polls /health every 50 ms
// and prints, as JSON, the milliseconds until it answers 200, then stops the process.
//   node bench/start.mjs [--demo] [--fresh] [--runs N] [--root DIR]
// --fresh empties the data folder before each run (a first boot); without it the first run creates the
// data and the others reuse it. Needs `npm run build` first. Prints the load average beside the figures.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const demo = args.includes("--demo");
const fresh = args.includes("--fresh");
const runs = Number(args[args.indexOf("--runs") + 1] || 3) || 3;
// --root DIR: another checkout's build (a before/after comparison), e.g. --root /work/main/
const root = args.includes("--root") ? args[args.indexOf("--root") + 1].replace(/\/?$/, "/") : "";
const dataDir = mkdtempSync(join(tmpdir(), "cp-start-"));

async function once(port) {
  if (fresh) rmSync(dataDir, { recursive: true, force: true });
  const started = performance.now();
  const child = spawn(process.execPath, [`${root}dist/server/app/main.js`, ...(demo ? ["--demo"] : [])], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, STARTUP_TIMING: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let ms;
  let cpu;
  while (ms === undefined) {
    if (child.exitCode !== null) throw new Error(`le serveur s'est arrêté :\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) {
        ms = Math.round(performance.now() - started);
        cpu = cpuMs(child.pid);
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGTERM");
  await exited;
  const phases = output.split("\n").filter((l) => / ms \(à /.test(l)).map((l) => l.trim());
  return { ms, cpu_ms: cpu, phases };
}

/** CPU time (user + system, every thread) the process used so far: less sensitive to the load than wall time. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once(3900 + (process.pid % 50) * 2 + (i % 2)));
rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ demo, fresh, load: loadavg().map((l) => l.toFixed(2)), health_ms: results.map((r) => r.ms), cpu_ms: results.map((r) => r.cpu_ms), runs: results }, null, 2));
