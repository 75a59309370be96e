// The search / sort / filter form and the « Page suivante » link every list shares (ADR 0030).
// A GET form: the criteria live in the URL, and the inputs show them again after submit.
import type { Child } from "hono/jsx";
import type { Sorts } from "../listing.ts";

type Params = Record<string, string | number | undefined | null>;

/** `action?k=v…` with the empty values left out. */
export function listHref(action: string, params: Params, hash = ""): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return `${action}${s ? `?${s}` : ""}${hash}`;
}

export function ListControls(props: {
  action: string;
  label: string;
  sorts: Sorts;
  q?: string;
  sort: string;
  searchLabel?: string;
  /** Filters (Select fields), named like the query parameters. */
  children?: Child;
  notice?: string;
  /** Hidden parameters kept as they are (e.g. the limit). */
  hidden?: Params;
}) {
  return (
    <>
      {props.notice ? (
        <p class="alert" role="status">
          {props.notice}
        </p>
      ) : null}
      <form method="get" action={props.action} class="grid list-controls" aria-label={props.label}>
        <div class="field">
          <label for="f-q">{props.searchLabel ?? "Rechercher"}</label>
          <input id="f-q" name="q" type="search" maxlength={100} value={props.q ?? ""} />
        </div>
        {props.children}
        <div class="field">
          <label for="f-sort">Trier par</label>
          <select id="f-sort" name="sort">
            {Object.entries(props.sorts).map(([k, s]) => (
              <option value={k} selected={k === props.sort}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        {Object.entries(props.hidden ?? {}).map(([k, v]) => (v === undefined || v === null || v === "" ? null : <input type="hidden" name={k} value={String(v)} />))}
        <div class="actions">
          <button type="submit" class="secondary">
            Appliquer
          </button>
        </div>
      </form>
    </>
  );
}

/** Keyset pager: forward only (« Page suivante »), and back to the first page from any later one. */
export function Pager(props: { action: string; params: Params; next: string | null; label?: string; hash?: string; shown: number }) {
  const { after, ...rest } = props.params;
  if (!props.next && !after) return null;
  return (
    <nav aria-label={props.label ?? "Pagination"} class="pager">
      <p class="actions">
        <span class="muted">{props.shown} ligne{props.shown > 1 ? "s" : ""} sur cette page.</span>
        {after ? <a href={listHref(props.action, rest, props.hash)}>Première page</a> : null}
        {props.next ? (
          <a class="button secondary" rel="next" href={listHref(props.action, { ...rest, after: props.next }, props.hash)}>
            Page suivante
          </a>
        ) : null}
      </p>
    </nav>
  );
}
