// Lists that scale (ADR 0030): one query shape for every list, in the pages and the JSON API —
// search `q`, a whitelisted `sort`, filters, and keyset pagination (`after` = opaque cursor of the
// sort key + id, never OFFSET), so a page costs the same on row 20 and on row 200 000.
import { type Expression, type SelectQueryBuilder, sql } from "kysely";
import { z } from "zod";
import { DomainError } from "./errors.ts";

/** One way of sorting a list: a SQL expression that is never NULL (coalesce it) and a direction. */
export interface SortOption {
  label: string;
  expr: Expression<unknown>;
  dir: "asc" | "desc";
}
export type Sorts = Record<string, SortOption>;

export const PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** The query parameters every list reads; a list `.extend()`s it with its filters. */
export function listQuery<S extends Sorts>(sorts: S, defaultSort: keyof S & string) {
  const keys = Object.keys(sorts) as [string, ...string[]];
  return z.object({
    q: z.string().trim().max(100).optional().describe("Recherche (nom, numéro…), 100 caractères au plus"),
    sort: z.enum(keys).default(defaultSort).describe(`Tri : ${keys.join(", ")}`),
    after: z.string().max(500).optional().describe("Curseur opaque de la page suivante (champ `next` de la réponse précédente)"),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(PAGE_SIZE).describe(`Taille de page (${PAGE_SIZE} par défaut, ${MAX_PAGE_SIZE} au plus)`),
  });
}
export type ListParams = { q?: string; sort: string; after?: string; limit: number };

export interface Page<T> {
  items: T[];
  /** Cursor of the next page, or null on the last one. */
  next: string | null;
}

export const invalidCursor = () => new DomainError("INVALID_CURSOR", 400, "Le curseur de pagination est invalide ou ne correspond pas au tri demandé.");

export function encodeCursor(sort: string, value: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, value, id]), "utf8").toString("base64url");
}

/** The cursor's sort key and id; a cursor made for another sort, or not ours, is refused (400). */
export function decodeCursor(cursor: string, sort: string): { value: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 3 && v[0] === sort && typeof v[1] === "string" && typeof v[2] === "string" && v[1].length <= 300 && /^[0-9a-f-]{36}$/i.test(v[2])) {
      return { value: v[1], id: v[2] };
    }
  } catch {}
  throw invalidCursor();
}

const ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ";
const PLAIN = "aaaaaaceeeeiiiinooooouuuuyyoa";
/**
 * Text folded for sorting and searching in French: lower case, accents dropped (« Égal » sorts
 * with E, « egal » finds it), whatever the database's collation. Immutable, so it can be indexed.
 */
export const folded = (e: Expression<unknown>) => sql<string>`translate(lower(${e}), ${sql.lit(ACCENTED)}, ${sql.lit(PLAIN)})`;
const foldText = (s: string) => [...s.toLowerCase()].map((ch) => PLAIN[ACCENTED.indexOf(ch)] ?? ch).join("");

/** `%term%` for ILIKE, the user's own % and _ taken literally. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** Rows whose text matches `q` in any of `exprs` (case and accents ignored); no `q`, no condition. */
export function searchIn<Q extends SelectQueryBuilder<any, any, any>>(qb: Q, q: string | undefined, exprs: Expression<unknown>[]): Q {
  if (!q) return qb;
  const pattern = likePattern(foldText(q));
  return qb.where(sql<boolean>`(${sql.join(
    exprs.map((e) => sql`${folded(e)} like ${pattern}`),
    sql` or `,
  )})`) as Q;
}

/**
 * One page of `qb` in `sorts[params.sort]` order then `id`: rows strictly after the cursor's
 * (key, id) — a row comparison, so ties on the key are broken by id and no row is skipped or
 * repeated — and one row more than the page to know whether a next page exists.
 */
export async function keysetPage<O>(
  qb: SelectQueryBuilder<any, any, O>,
  sorts: Sorts,
  params: ListParams,
  id: Expression<string>,
): Promise<Page<O>> {
  const sort = sorts[params.sort];
  if (!sort) throw invalidCursor();
  const op = sql.raw(sort.dir === "asc" ? ">" : "<");
  let q = qb.select([sql<string>`(${sort.expr})::text`.as("sort_key"), sql<string>`(${id})::text`.as("sort_id")]);
  if (params.after) {
    const c = decodeCursor(params.after, params.sort);
    q = q.where(sql<boolean>`((${sort.expr}), ${id}) ${op} (${c.value}, ${c.id})`);
  }
  const rows = (await q.orderBy(sort.expr, sort.dir).orderBy(id, sort.dir).limit(params.limit + 1).execute()) as (O & { sort_key: string; sort_id: string })[];
  const more = rows.length > params.limit;
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  const items = page.map(({ sort_key: _k, sort_id: _i, ...rest }) => rest as unknown as O);
  return { items, next: more && last ? encodeCursor(params.sort, last.sort_key, last.sort_id) : null };
}

/**
 * For pages: the list's parameters read leniently — a value that does not parse (a stale cursor, an
 * unknown sort, a too long search) is dropped with a French message instead of a 400 page.
 */
export function readListQuery<T extends z.ZodObject<any>>(schema: T, raw: Record<string, string>): { params: z.infer<T>; notice?: string } {
  const input: Record<string, string> = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v !== "" && k in schema.shape));
  const first = schema.safeParse(input);
  if (first.success) return { params: first.data };
  const bad = new Set(first.error.issues.map((i) => String(i.path[0])));
  for (const k of bad) delete input[k];
  return { params: schema.parse(input), notice: bad.has("after") ? "Le lien de page suivante n'est plus valide : retour à la première page." : "Certains critères n'étaient pas valides et ont été ignorés." };
}

/** keysetPage for a page: an invalid cursor sends back to the first page, with a message. */
export async function keysetPageLenient<O>(
  run: (params: ListParams) => Promise<Page<O>>,
  params: ListParams,
): Promise<{ page: Page<O>; notice?: string }> {
  try {
    return { page: await run(params) };
  } catch (e) {
    if (!(e instanceof DomainError && e.code === "INVALID_CURSOR") || !params.after) throw e;
    return { page: await run({ ...params, after: undefined }), notice: "Le lien de page suivante n'est plus valide : retour à la première page." };
  }
}
