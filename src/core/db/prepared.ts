// Prepared statements for a few hot reads (docs/adr/0044). PostgreSQL parses and plans every statement
// sent unnamed — Kysely's way — each time: for the live path check's five reads that planning cost more
// than running them (≈1.4 ms of planning for ≈0.5 ms of execution at 20 paths, EXPLAIN ANALYZE, issue 16).
// A statement marked `prepared(…)` is sent as a named statement instead: parsed once per connection,
// its plan cached by the server (a generic plan after five runs when it costs no more). Opt-in, for
// statements whose text is fixed (only parameter values vary): each distinct text stays prepared on each
// connection for its lifetime. PostgreSQL only: PGlite's one session outlives the socket connections.
import { createHash } from "node:crypto";
import { type Expression, type SelectQueryBuilder, sql } from "kysely";
import type pg from "pg";

/** The mark, a comment: harmless wherever the connection does not prepare (PGlite). */
const MARK = "/* prepared */";

/** A Kysely select sent as a named statement (the mark after `select`). */
export const prepared = <DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>) => query.modifyFront(sql.raw(MARK));

/** The mark for a raw `sql` statement: put it first (`sql\`${preparedMark} select …\``). */
export const preparedMark: Expression<unknown> = sql.raw(MARK);

const names = new Map<string, string>();
const nameOf = (text: string) => {
  let name = names.get(text);
  if (!name) {
    name = `cp_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
};

/** Sends the connection's marked statements named (pool.on("connect")); every other call passes through unchanged. */
export function prepareMarked(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (args.length === 2 && typeof text === "string" && Array.isArray(values) && text.includes(MARK)) return query({ name: nameOf(text), text, values });
    return query(...args);
  };
}
