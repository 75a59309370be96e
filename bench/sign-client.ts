// The bench's load generator, in its own process so the server under test does not share its event
// loop with the client. Keep-alive `http` agent (no fetch/web streams: they cost the client more
// than the server's own work). Reads jobs from a JSON file, prints latency samples as JSON.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { makeCode } from "../src/domains/attendance/qr.ts";

interface Jobs {
  base: string;
  /** Several processes behind one address each: phone i talks to bases[i % n] (a load balancer with keep-alive). */
  bases?: string[];
  secret: string;
  concurrency: number;
  signature: string;
  jobs: { slotId: string; cookie: string }[];
  /** Run first and not measured: a server that has been up since 8:00 has its code compiled (JIT). */
  warmup?: { slotId: string; cookie: string }[];
  /** Another path and the status it answers: the HTTP floor (same requests, no signing work). */
  path?: string;
  expect?: number;
}
const spec = JSON.parse(readFileSync(process.argv[2], "utf8")) as Jobs;
const targets = (spec.bases ?? [spec.base]).map((b) => ({ url: new URL(b), agent: new http.Agent({ keepAlive: true, maxSockets: spec.concurrency }) }));
const secret = Buffer.from(spec.secret, "hex");

function post(job: { slotId: string; cookie: string }, phone: number): Promise<void> {
  const { url, agent } = targets[phone % targets.length];
  const body = JSON.stringify({ slotId: job.slotId, code: makeCode(secret, job.slotId, new Date()), signature: spec.signature, clientId: randomUUID() });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: spec.path ?? "/api/attendance/sign", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), cookie: job.cookie } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => (res.statusCode === (spec.expect ?? 201) ? resolve() : reject(new Error(`sign answered ${res.statusCode}: ${Buffer.concat(chunks)}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function run(jobs: { slotId: string; cookie: string }[]) {
  const samples: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async (_, phone) => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const s = performance.now();
        await post(job, phone);
        samples.push(performance.now() - s);
      }
    }),
  );
  return { samples, wallMs: performance.now() - t0 };
}
if (spec.warmup) await run(spec.warmup);
process.stdout.write(JSON.stringify(await run(spec.jobs)));
for (const t of targets) t.agent.destroy();
