#!/usr/bin/env node
// Traces every rule ID of docs/requirements.md to the code and the tests (npm run trace).
//   --missing  only the IDs not yet both in code and in a test
// An ID counts as enforced when it appears in a source file outside the tests, as tested when it
// appears in a test file; Markdown is ignored (naming a rule in a guide proves nothing).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const catalogue = readFileSync(join(root, "docs/requirements.md"), "utf8");
const rules = [...catalogue.matchAll(/^\| ((?:CP|AMI)-[A-Z0-9-]+) \| (\w+) \|/gm)].map((m) => ({ id: m[1], kind: m[2] }));
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (["node_modules", ".git", "data", ".cache", "docs", "public"].includes(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|tsx|mjs|js|sql)$/.test(name)) files.push(p);
  }
})(root);
const isTest = (p) => /(^|\/)test\//.test(relative(root, p)) || /\.test\.tsx?$/.test(p);
// Longest first and never inside a longer ID: CP-POSITIONING must not swallow CP-POSITIONING-2-14H.
const ids = rules.map((r) => r.id).sort((a, b) => b.length - a.length);
const pattern = new RegExp(`(?<![A-Z0-9-])(${ids.join("|")})(?![A-Z0-9]|-[A-Z0-9])`, "g");
const seen = new Map(rules.map((r) => [r.id, { code: 0, test: 0 }]));
for (const f of files) {
  const test = isTest(f);
  for (const m of readFileSync(f, "utf8").matchAll(pattern)) seen.get(m[1])[test ? "test" : "code"]++;
}
const missing = process.argv.includes("--missing");
for (const r of rules) {
  const s = seen.get(r.id);
  if (missing && s.code && s.test) continue;
  console.log(`${r.id.padEnd(30)} ${r.kind.padEnd(5)} code:${s.code ? "yes" : "NO "} tests:${s.test ? "yes" : "NO"}`);
}
const inCode = rules.filter((r) => seen.get(r.id).code).length;
const inTests = rules.filter((r) => seen.get(r.id).test).length;
console.log(`${inCode}/${rules.length} rule IDs appear in code, ${inTests}/${rules.length} in tests.`);
