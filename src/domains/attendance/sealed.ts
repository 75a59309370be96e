// The stored verification's runs (docs/adr/0047). A slot found sound is sealed with the digest of the
// versions of every row the verification read for it: its links (and their subjects' salt rows), its
// attendance rows, its countersignature, its paper scan. PostgreSQL writes a new row version for every
// UPDATE, so any write in SQL since the seal — a field changed, even to the same value, a row added,
// deleted or moved, a salt destroyed, a scan's bytes replaced — changes the slot's digest. A routine run
// recomputes every slot's digest (reading row headers, ~10× cheaper than re-deriving each link's four
// hashes) and verifies in full only the slots whose digest differs: it reports what a complete run would
// (tested). A complete run ignores the seals (a seal forged in SQL along with the tampering is caught
// there; the periodic run is complete once a week). Both write the seals anew; a broken slot has none.
import { sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import { personalSaltVersions } from "../../core/privacy.ts";
import { attachmentVersions } from "../../core/files.ts";
import { slotRows } from "../schedule/views.ts";
import { type Broken, type ChainReport, type Chunk, chainPart, chunkSettings, factPart, inChunk, sheetFacts, slotChunks, type VerifyOptions } from "./verify.ts";

export interface RunReport extends ChainReport {
  /** Slots verified in full (all of them in a complete run); the others matched their seal. */
  rechecked: number;
}

/** Each slot of a chunk: its number of links, the digest of its rows' versions now, and whether that is its seal's. */
type SlotDigest = { slot_id: string; entries: number; digest: string | null; sealed: boolean | null };

/** A row's version: PostgreSQL writes a new one, with a new transaction id and place, for every UPDATE (even to the same values), and an INSERT or DELETE changes the slot's set. */
const version = (alias: string) => sql.raw(`${alias}.xmin::text || ':' || ${alias}.ctid::text`);

/**
 * The digest of every slot of a chunk with something to verify, beside its seal: the versions of its
 * links (with their subject's salt row), attendance rows, countersignature and paper scan (the slot's
 * attachment id and the file's row). Reading versions, not values: the rows' texts cost as much as the
 * complete checks (~1 kB a link; docs/adr/0047). A seal whose slot has nothing left answers a null
 * digest (the slot is re-verified: nothing to report, its seal dropped).
 */
export const slotDigestsSql = (c: Chunk) => sql<SlotDigest>`
    with ev as (
      select e.slot_id, count(*)::int as n, string_agg(${version("e")} || '/' || coalesce(ps.version, '-'), ',' order by e.seq) as t
      from evidence e left join ${personalSaltVersions()} ps on ps.subject = e.salt_subject
      where ${inChunk("e", c)} group by e.slot_id),
    at as (select a.slot_id, string_agg(${version("a")}, ',' order by a.path_id, a.id) as t from attendance a where ${inChunk("a", c)} group by a.slot_id),
    cs as (select cs.slot_id, string_agg(${version("cs")}, ',' order by ${version("cs")}) as t from countersignature cs where ${inChunk("cs", c)} group by cs.slot_id),
    pa as (
      select s.id as slot_id, s.paper_attachment_id::text || '/' || coalesce(att.version, '-') as t
      from ${slotRows()} s left join ${attachmentVersions()} att on att.id = s.paper_attachment_id
      where ${inChunk("s", c, "id")} and s.paper_attachment_id is not null),
    d as (
      select coalesce(ev.slot_id, at.slot_id, cs.slot_id, pa.slot_id) as slot_id, coalesce(ev.n, 0) as n,
        encode(sha256(convert_to(concat('E', ev.t, ';A', at.t, ';C', cs.t, ';P', pa.t), 'UTF8')), 'hex') as digest
      from ev full join at on at.slot_id = ev.slot_id
        full join cs on cs.slot_id = coalesce(ev.slot_id, at.slot_id)
        full join pa on pa.slot_id = coalesce(ev.slot_id, at.slot_id, cs.slot_id)),
    se as (select se.slot_id, se.digest from evidence_seal se where ${inChunk("se", c)})
    select coalesce(d.slot_id, se.slot_id) as slot_id, coalesce(d.n, 0) as entries, d.digest, d.digest = se.digest as sealed
    from d full join se on se.slot_id = d.slot_id`;

/** One chunk verified and sealed in one snapshot (repeatable read): the seals cover exactly what was verified. */
async function sealedChunk(db: Db, chunk: Chunk, complete: boolean, now: Date) {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (tx) => {
      await chunkSettings(tx, { nestedLoops: true }); // the digests join each link to its salt by key
      const slots = (await slotDigestsSql(chunk).execute(tx)).rows;
      const kept = complete ? [] : slots.filter((s) => s.sealed);
      const changed = complete ? slots : slots.filter((s) => !s.sealed);
      // Every slot of the chunk re-verified: by its range (the complete run's plans); else by the list.
      const scope: Chunk = changed.length === slots.length ? chunk : { slots: changed.map((s) => s.slot_id) };
      // The sheets first: the chain and fact queries turn nested loops off for the rest of the transaction (verify.ts, plainly).
      const sheets = changed.length ? await sheetFacts(tx, scope) : [];
      const [chain, facts] = changed.length ? [await chainPart(tx, scope), await factPart(tx, scope)] : [undefined, undefined];
      const links: Broken[] = chain?.broken ?? [];
      const rows: Broken[] = facts?.broken ?? [];
      const orphans = facts?.orphans ?? [];
      const bad = new Set([...links, ...rows, ...orphans, ...sheets].map((b) => b.slotId));
      const seal = changed.filter((s) => s.digest && !bad.has(s.slot_id));
      const unseal = changed.filter((s) => !s.digest || bad.has(s.slot_id)).map((s) => s.slot_id);
      if (seal.length) {
        await sql`insert into evidence_seal (slot_id, digest, sealed_at)
          select x.slot_id, x.digest, ${now}::timestamptz from unnest(${seal.map((s) => s.slot_id)}::uuid[], ${seal.map((s) => s.digest)}::text[]) as x(slot_id, digest)
          on conflict (slot_id) do update set digest = excluded.digest, sealed_at = excluded.sealed_at
          where evidence_seal.digest <> excluded.digest`.execute(tx); // a complete run leaves an unchanged seal as it is (no dead rows)
      }
      if (unseal.length) await tx.deleteFrom("evidence_seal").where("slot_id", "=", sql<string>`any(${unseal}::uuid[])`).execute();
      return {
        entries: kept.reduce((n, s) => n + s.entries, 0) + (chain?.entries ?? 0),
        slots: kept.filter((s) => s.entries > 0).length + (chain?.slots ?? 0),
        rechecked: changed.filter((s) => s.digest).length,
        links,
        rows,
        orphans,
        sheets,
      };
    });
}

/** Chunks at once: the database does the hashing, one core per connection (as verify.ts's complete checks). */
const RUN_CONNECTIONS = 2;

/**
 * A verification run over every slot: `complete` re-verifies them all, else only those whose seal no
 * longer matches. The report is assembled as verifyProofs's, whatever the chunks: every broken link, every
 * attendance row, every proof without its row, every sheet's countersignature or scan, each in slot order.
 */
export async function verifyAndSeal(db: Db, o: VerifyOptions & { complete: boolean; now: Date }): Promise<RunReport> {
  const chunks = (async function* () {
    let at = 0;
    for await (const chunk of slotChunks(db, "evidence", undefined, o.chunkRows)) yield { at: at++, chunk };
  })();
  const parts: Awaited<ReturnType<typeof sealedChunk>>[] = [];
  const worker = async () => {
    // An async generator answers concurrent next() calls one after another: each chunk is taken once.
    for (let c = await chunks.next(); !c.done; c = await chunks.next()) parts[c.value.at] = await sealedChunk(db, c.value.chunk, o.complete, o.now);
  };
  await Promise.all(Array.from({ length: RUN_CONNECTIONS }, worker));
  return {
    slots: parts.reduce((n, p) => n + p.slots, 0),
    entries: parts.reduce((n, p) => n + p.entries, 0),
    rechecked: parts.reduce((n, p) => n + p.rechecked, 0),
    broken: (["links", "rows", "orphans", "sheets"] as const).flatMap((k) => parts.flatMap((p) => p[k])),
  };
}
