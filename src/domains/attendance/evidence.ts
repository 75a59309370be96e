// Append-only evidence, hash-chained per slot (one sheet = one chain). Each entry's hash covers the
// previous entry's hash, so editing, deleting or reordering any row breaks every later link.
import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";

type Tx = Transaction<DB>;

export const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

/** JSON with keys sorted at every level: the same value always hashes the same (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export const chainHash = (prevHash: string | null, payloadHash: string, seq: number, at: Date) =>
  sha256(`${prevHash ?? ""}|${payloadHash}|${seq}|${at.toISOString()}`);

export interface EvidenceEntry {
  slotId: string;
  kind: "signature" | "countersignature" | "mark" | "absence" | "correction" | "paper" | "attestation" | "opening";
  actorId: string | null;
  actorRole: string;
  pathId?: string | null;
  at: Date;
  ip?: string | null;
  userAgent?: string | null;
  method?: string | null;
  reason?: string | null;
  payload: Record<string, unknown>;
}

/** The chain's last link of a slot. Read it only while holding the slot lock: it is the next link's parent. */
export type LastLink = { seq: number; hash: string } | undefined;

export async function lastLink(tx: Tx, slotId: string): Promise<LastLink> {
  return tx.selectFrom("evidence").select(["seq", "hash"]).where("slot_id", "=", slotId).orderBy("seq", "desc").limit(1).executeTakeFirst();
}

/** The evidence row following `last` (pure: the hash formula lives here and in verifyEvidence only). */
export function evidenceRow(last: LastLink, e: EvidenceEntry) {
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? null;
  const payloadHash = sha256(canonicalJson(e.payload));
  const hash = chainHash(prevHash, payloadHash, seq, e.at);
  return {
    slot_id: e.slotId,
    seq,
    kind: e.kind,
    actor_id: e.actorId,
    actor_role: e.actorRole,
    path_id: e.pathId ?? null,
    at: e.at,
    ip: e.ip ?? null,
    user_agent: e.userAgent?.slice(0, 500) ?? null,
    method: e.method ?? null,
    reason: e.reason ?? null,
    payload: JSON.stringify(e.payload),
    payload_hash: payloadHash,
    prev_hash: prevHash,
    hash,
  };
}

/**
 * Appends the next link. Locks the slot row (the per-sheet counter) unless the caller says it
 * already holds that lock; `last` skips the read when the caller read it under the lock. Callers
 * run it inside the transaction that writes the fact it proves, so fact and proof commit together.
 */
export async function appendEvidence(tx: Tx, e: EvidenceEntry, opts: { slotLocked?: boolean; last?: LastLink } = {}): Promise<{ seq: number; hash: string }> {
  if (!opts.slotLocked) await tx.selectFrom("slot").select("id").where("id", "=", e.slotId).forUpdate().executeTakeFirstOrThrow();
  const last = "last" in opts ? opts.last : await lastLink(tx, e.slotId);
  const row = evidenceRow(last, e);
  await tx.insertInto("evidence").values(row).execute();
  return { seq: row.seq, hash: row.hash };
}

export interface ChainReport {
  slots: number;
  entries: number;
  broken: { slotId: string; seq: number; id: number; problem: string }[];
}

/** Re-computes every chain (or one slot's); reports the first broken link of each broken chain. */
export async function verifyEvidence(db: Db, slotId?: string): Promise<ChainReport> {
  let q = db.selectFrom("evidence").selectAll().orderBy("slot_id").orderBy("seq");
  if (slotId) q = q.where("slot_id", "=", slotId);
  const rows = await q.execute();
  const report: ChainReport = { slots: 0, entries: rows.length, broken: [] };
  let current: string | undefined;
  let prev: string | null = null;
  let expectedSeq = 1;
  let brokenSlot: string | undefined;
  for (const r of rows) {
    if (r.slot_id !== current) {
      current = r.slot_id;
      prev = null;
      expectedSeq = 1;
      report.slots++;
    }
    if (brokenSlot === r.slot_id) continue;
    const payloadHash = sha256(canonicalJson(r.payload));
    const problem =
      r.seq !== expectedSeq
        ? `maillon manquant : numéro ${r.seq} au lieu de ${expectedSeq}`
        : r.prev_hash !== prev
          ? "lien rompu : l'empreinte précédente ne correspond pas"
          : r.payload_hash !== payloadHash
            ? "contenu modifié : l'empreinte de ce qui a été signé ne correspond plus"
            : r.hash !== chainHash(prev, payloadHash, r.seq, new Date(r.at))
              ? "empreinte du maillon incorrecte (date, numéro ou chaînage modifié)"
              : undefined;
    if (problem) {
      report.broken.push({ slotId: r.slot_id, seq: r.seq, id: Number(r.id), problem });
      brokenSlot = r.slot_id;
      continue;
    }
    prev = r.hash;
    expectedSeq++;
  }
  return report;
}

/** Each attendance row must equal the state its last evidence entry proves (catches SQL edits of attendance). */
export async function verifyAttendanceAgainstEvidence(db: Db, slotId?: string): Promise<ChainReport["broken"]> {
  let q = db
    .selectFrom("attendance as a")
    .select(["a.slot_id", "a.path_id", "a.status", "a.realised_minutes", "a.late_minutes"])
    .select((eb) =>
      eb
        .selectFrom("evidence as e")
        .select("e.payload")
        .whereRef("e.slot_id", "=", "a.slot_id")
        .whereRef("e.path_id", "=", "a.path_id")
        .where("e.kind", "in", ["signature", "mark", "absence", "correction", "paper", "attestation"])
        .orderBy("e.seq", "desc")
        .limit(1)
        .as("last"),
    );
  if (slotId) q = q.where("a.slot_id", "=", slotId);
  const broken: ChainReport["broken"] = [];
  for (const r of await q.execute()) {
    const last = (typeof r.last === "string" ? JSON.parse(r.last) : r.last) as Record<string, unknown> | null;
    if (!last || last.status !== r.status || last.realisedMinutes !== r.realised_minutes || (last.lateMinutes ?? 0) !== r.late_minutes) {
      broken.push({ slotId: r.slot_id, seq: 0, id: 0, problem: `présence du parcours ${r.path_id} différente de la dernière preuve enregistrée` });
    }
  }
  return broken;
}
