// `npm start` / `npm run demo` (docs/adr/0040): the embedded database's worker starts first — PGlite
// opens its cluster (or the built template is extracted into an empty data folder) in its own thread
// while this thread loads the platform's modules (src/server.ts), instead of one after the other.
// Only light modules here: every static import is loaded before the first line runs.
import { loadConfig, productionProblems } from "./core/config.ts";
import { embeddedPaths, startEmbedded } from "./core/db/embedded.ts";
import { usableTemplate } from "./core/db/template.ts";

const started = Date.now();
const problems = productionProblems();
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
const config = loadConfig();
// An empty data folder starts from the built, migrated cluster instead of a slow initdb (template.ts).
const embedded = config.databaseUrl ? undefined : startEmbedded({ ...embeddedPaths(config.dataDir), maxConnections: 1, template: usableTemplate() });
embedded?.catch(() => {}); // a failure (lock held, …) is reported where server.ts awaits it
const { runServer } = await import("./server.ts");
await runServer(config, embedded, started);
