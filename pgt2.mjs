import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { readFile } from "node:fs/promises";
const base = new URL("./node_modules/@electric-sql/pglite/dist/", import.meta.url);
const pgliteWasmModule = await WebAssembly.compile(await readFile(new URL("pglite.wasm", base)));
const db = await PGlite.create({ dataDir: process.argv[2], extensions: { btree_gist }, pgliteWasmModule });
await db.query("select 1");
await db.close();
