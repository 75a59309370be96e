// Walk a keyset-paged JSON list to its end: every id once, in order (ADR 0030).
import assert from "node:assert/strict";
import type { TestContext } from "./app.ts";

export async function walkApi(t: TestContext, token: string, path: string, idOf: (row: any) => string = (r) => r.id): Promise<{ ids: string[]; pages: number; rows: any[] }> {
  const ids: string[] = [];
  const rows: any[] = [];
  let next: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await t.api("GET", next ? `${path}${sep}after=${encodeURIComponent(next)}` : path, token);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    rows.push(...res.body.items);
    ids.push(...res.body.items.map(idOf));
    next = res.body.next;
    pages++;
    assert.ok(pages < 50, "the pager ends");
  } while (next);
  assert.equal(new Set(ids).size, ids.length, "no row twice across pages");
  return { ids, pages, rows };
}
