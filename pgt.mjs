import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
const t0 = performance.now();
const dir = process.argv[2];
const db = await PGlite.create({ dataDir: dir === "mem" ? undefined : dir, extensions: { btree_gist } });
const t1 = performance.now();
await db.query("select 1");
console.log(dir, "create", Math.round(t1 - t0), "ms", "import at", Math.round(t0));
await db.close();
