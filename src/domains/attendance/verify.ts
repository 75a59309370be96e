// Verifying the proofs (npm run verify-evidence, the Region's /preuves): every link of every chain
// (verifyEvidence), then every fact against the last entry that proves it (verifyFactsAgainstEvidence):
// attendance rows, countersignatures and paper scans. A field changed in SQL — on the evidence row
// or on the fact — is reported; nothing is repaired.
import { sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import { canonicalJson, linkProblem, personalProblem, sha256 } from "./evidence.ts";
import { personalSaltRows } from "../../core/privacy.ts";
import { type AttendanceProofFields, attendanceProof } from "./proof.ts";
import { slotRows } from "../schedule/views.ts";
import { attachmentRows } from "../../core/files.ts";

export interface ChainReport {
  slots: number;
  entries: number;
  broken: { slotId: string; seq: number; id: number; problem: string }[];
}
type Broken = ChainReport["broken"][number];

/** The entry kinds that state an attendance row (the last one of a trainee on a sheet is its proof). */
const ATTENDANCE_KINDS = ["signature", "mark", "absence", "correction", "paper", "attestation"] as const;

/** Rows read per page: memory stays bounded whatever the size of the table (keyset paging). */
export const VERIFY_PAGE = 2000;

/** Re-computes every chain (or one slot's); reports the first broken link of each broken chain. */
export async function verifyEvidence(db: Db, slotId?: string): Promise<ChainReport> {
  const report: ChainReport = { slots: 0, entries: 0, broken: [] };
  let current: string | undefined;
  let prev: string | null = null;
  let expectedSeq = 1;
  let brokenSlot: string | undefined;
  // Keyset over the chain's own key (slot_id, seq): each page starts where the last one ended.
  let after: { slot: string; seq: number } | undefined;
  for (;;) {
    let q = db
      .selectFrom("evidence as e")
      .leftJoin(personalSaltRows().as("ps"), "ps.subject", "e.salt_subject")
      .selectAll("e")
      .select("ps.salt")
      .orderBy("e.slot_id")
      .orderBy("e.seq")
      .limit(VERIFY_PAGE);
    if (slotId) q = q.where("e.slot_id", "=", slotId);
    if (after) {
      const a = after;
      // A row comparison, which the (slot_id, seq) index answers as a range: the OR form made every page
      // re-read the pages before it (quadratic; bench/growth-db.ts).
      q = q.where(sql<boolean>`(e.slot_id, e.seq) > (${a.slot}, ${a.seq})`);
    }
    const rows = await q.execute();
    report.entries += rows.length;
    for (const r of rows) {
      if (r.slot_id !== current) {
        current = r.slot_id;
        prev = null;
        expectedSeq = 1;
        report.slots++;
      }
      if (brokenSlot === r.slot_id) continue;
      // Version 3 also hashes the IP and device through the person's salt (ADR 0021).
      const problem = linkProblem(r, prev, expectedSeq) ?? (r.hash_version >= 3 ? personalProblem(r) : undefined);
      if (problem) {
        report.broken.push({ slotId: r.slot_id, seq: r.seq, id: Number(r.id), problem });
        brokenSlot = r.slot_id;
        continue;
      }
      prev = r.hash;
      expectedSeq++;
    }
    if (rows.length < VERIFY_PAGE) break;
    const last = rows[rows.length - 1];
    after = { slot: last.slot_id, seq: last.seq };
  }
  return report;
}


const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown> | null;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/**
 * The fields of an attendance row its proof must state exactly (attendanceProof). The slot's times
 * are recorded in the proof but not compared: a planned slot may be rescheduled by the schedule.
 */
const PROOF_FIELDS = ["attendanceId", "slotId", "pathId", "status", "lateMinutes", "realisedMinutes", "method", "signedAt", "signatureSha256", "deliverableSha256", "clientId", "recordedBy"] as const;

/** What differs between an attendance row and the payload of its last entry (version 2: every field). */
export function attendanceDifferences(row: Parameters<typeof attendanceProof>[0], slot: Parameters<typeof attendanceProof>[1], payload: Record<string, unknown>, version: number): string[] {
  const expected = attendanceProof(row, slot) as Record<string, unknown>;
  // Version 1 entries (before the whole proof was hashed) stated the status and the minutes only.
  const fields = version === 1 ? (["status", "realisedMinutes", "lateMinutes"] as const) : PROOF_FIELDS;
  return fields.filter((f) => canonicalJson(payload[f] ?? (version === 1 && f === "lateMinutes" ? 0 : null)) !== canonicalJson(expected[f]));
}

/** An attendance row (the fields its proof covers), its slot's times and the last entry proving it. */
type AttendanceFactRow = AttendanceProofFields & {
  starts_at: Date;
  ends_at: Date;
  e_id: string | null;
  e_seq: number | null;
  e_payload: unknown;
  e_version: number | null;
};

/**
 * Each attendance row beside the last entry proving it, a page at a time in (slot, path) order; the
 * entry is found through evidence(slot_id, path_id, seq), one index probe per row.
 */
async function attendancePage(db: Db, slotId: string | undefined, after: { slot: string; path: string } | undefined) {
  const bySlot = slotId ? sql`and a.slot_id = ${slotId}` : sql``;
  const from = after ? sql`and (a.slot_id, a.path_id) > (${after.slot}, ${after.path})` : sql``;
  const { rows } = await sql<AttendanceFactRow>`
    select a.id, a.slot_id, a.path_id, a.status, a.late_minutes, a.realised_minutes, a.method, a.signed_at, a.signature,
      a.deliverable, a.client_id, a.recorded_by, s.starts_at, s.ends_at,
      e.id as e_id, e.seq as e_seq, e.payload as e_payload, e.hash_version as e_version
    from attendance a
    join ${slotRows()} s on s.id = a.slot_id
    left join lateral (
      select id, seq, payload, hash_version from evidence e
      where e.slot_id = a.slot_id and e.path_id = a.path_id and e.kind in (${sql.join(ATTENDANCE_KINDS)})
      order by e.seq desc limit 1
    ) e on true
    where true ${bySlot} ${from}
    order by a.slot_id, a.path_id limit ${VERIFY_PAGE}`.execute(db);
  return rows;
}

async function attendanceFacts(db: Db, slotId: string | undefined): Promise<Broken[]> {
  const broken: Broken[] = [];
  for (let after: { slot: string; path: string } | undefined, rows: AttendanceFactRow[] = []; ; ) {
    rows = await attendancePage(db, slotId, after);
    checkAttendanceRows(rows, broken);
    if (rows.length < VERIFY_PAGE) break;
    after = { slot: rows[rows.length - 1].slot_id, path: rows[rows.length - 1].path_id };
  }
  await orphanProofs(db, slotId, broken);
  return broken;
}

function checkAttendanceRows(rows: AttendanceFactRow[], broken: Broken[]) {
  for (const r of rows) {
    const payload = json(r.e_payload);
    if (!payload) {
      broken.push({ slotId: r.slot_id, seq: 0, id: 0, problem: `présence du parcours ${r.path_id} sans aucune preuve enregistrée` });
      continue;
    }
    const slot = { id: r.slot_id, starts_at: new Date(r.starts_at), ends_at: new Date(r.ends_at) };
    const diff = attendanceDifferences(r, slot, payload, r.e_version ?? 1);
    if (diff.length) {
      broken.push({ slotId: r.slot_id, seq: r.e_seq ?? 0, id: Number(r.e_id), problem: `présence du parcours ${r.path_id} différente de la dernière preuve enregistrée (${diff.join(", ")})` });
    }
  }
}

/** A proof whose attendance row is gone (deleted, or moved to another slot or path): an anti-join, streamed by the database. */
async function orphanProofs(db: Db, slotId: string | undefined, broken: Broken[]) {
  const orphans = await sql<{ slot_id: string; path_id: string; seq: number; id: string }>`
    select distinct on (e.slot_id, e.path_id) e.slot_id, e.path_id, e.seq, e.id
    from evidence e
    where e.path_id is not null and e.kind in (${sql.join(ATTENDANCE_KINDS)}) ${slotId ? sql`and e.slot_id = ${slotId}` : sql``}
      and not exists (select 1 from attendance a where a.slot_id = e.slot_id and a.path_id = e.path_id)
    order by e.slot_id, e.path_id, e.seq desc`.execute(db);
  for (const o of orphans.rows) {
    broken.push({ slotId: o.slot_id, seq: o.seq, id: Number(o.id), problem: `présence du parcours ${o.path_id} prouvée par ce maillon mais absente de la feuille (supprimée ou déplacée)` });
  }
}

/** Countersignatures and paper scans: what makes a paper presence proved must be what was recorded. */
async function sheetFacts(db: Db, slotId: string | undefined): Promise<Broken[]> {
  const broken: Broken[] = [];
  // Keyset over slots, a small page: a scan's bytes are read to be hashed.
  for (let after: string | undefined; ; ) {
    const rows = await sheetPage(db, slotId, after);
    checkSheetRows(rows, broken);
    if (rows.length < SHEET_PAGE) break;
    after = rows[rows.length - 1].slot_id;
  }
  return broken;
}

const SHEET_PAGE = 200;

async function sheetPage(db: Db, slotId: string | undefined, after: string | undefined) {
  const { rows } = await sql<{
    slot_id: string;
    trainer_id: string | null;
    signature: string | null;
    signed_at: Date | null;
    c_id: string | null;
    c_seq: number | null;
    c_payload: unknown;
    c_version: number | null;
    c_actor: string | null;
    paper_attachment_id: string | null;
    att_sha256: string | null;
    att_bytes: Buffer | null;
    p_id: string | null;
    p_seq: number | null;
    p_payload: unknown;
  }>`
    select s.id as slot_id, cs.trainer_id, cs.signature, cs.signed_at,
      c.id as c_id, c.seq as c_seq, c.payload as c_payload, c.hash_version as c_version, c.actor_id as c_actor,
      s.paper_attachment_id, att.sha256 as att_sha256, att.bytes as att_bytes,
      p.id as p_id, p.seq as p_seq, p.payload as p_payload
    from ${slotRows()} s
    left join countersignature cs on cs.slot_id = s.id
    left join ${attachmentRows()} att on att.id = s.paper_attachment_id
    left join lateral (select id, seq, payload, hash_version, actor_id from evidence e where e.slot_id = s.id and e.kind = 'countersignature' order by e.seq desc limit 1) c on true
    left join lateral (select id, seq, payload from evidence e where e.slot_id = s.id and e.kind = 'paper' and e.path_id is null order by e.seq desc limit 1) p on true
    where (cs.slot_id is not null or c.id is not null or s.paper_attachment_id is not null or p.id is not null) ${slotId ? sql`and s.id = ${slotId}` : sql``} ${after ? sql`and s.id > ${after}` : sql``}
    order by s.id limit ${SHEET_PAGE}`.execute(db);
  return rows;
}

function checkSheetRows(rows: Awaited<ReturnType<typeof sheetPage>>, broken: Broken[]) {
  const at = (seq: number | null, id: string | null) => ({ seq: seq ?? 0, id: Number(id ?? 0) });
  for (const r of rows) {
    const c = json(r.c_payload);
    if (r.signature && !c) broken.push({ slotId: r.slot_id, seq: 0, id: 0, problem: "contresignature sans preuve enregistrée" });
    else if (!r.signature && c) broken.push({ slotId: r.slot_id, ...at(r.c_seq, r.c_id), problem: "contresignature prouvée par ce maillon mais absente (supprimée)" });
    else if (r.signature && c) {
      const diff = [
        c.signatureSha256 !== sha256(r.signature) ? "signature" : "",
        c.signedAt !== iso(r.signed_at) ? "signedAt" : "",
        (r.c_version === 1 ? r.c_actor : c.trainerId) !== r.trainer_id ? "trainerId" : "",
      ].filter(Boolean);
      if (diff.length) broken.push({ slotId: r.slot_id, ...at(r.c_seq, r.c_id), problem: `contresignature différente de sa preuve (${diff.join(", ")})` });
    }
    const p = json(r.p_payload);
    if (r.paper_attachment_id && !p) broken.push({ slotId: r.slot_id, seq: 0, id: 0, problem: "feuille papier scannée sans preuve enregistrée" });
    else if (r.paper_attachment_id && p) {
      const bytes = r.att_bytes ? sha256(Buffer.from(r.att_bytes)) : null;
      const diff = [p.attachmentId !== r.paper_attachment_id ? "attachmentId" : "", p.sha256 !== r.att_sha256 || p.sha256 !== bytes ? "sha256" : ""].filter(Boolean);
      if (diff.length) broken.push({ slotId: r.slot_id, ...at(r.p_seq, r.p_id), problem: `feuille papier scannée différente de sa preuve (${diff.join(", ")})` });
    } else if (!r.paper_attachment_id && p) broken.push({ slotId: r.slot_id, ...at(r.p_seq, r.p_id), problem: "feuille papier scannée prouvée par ce maillon mais détachée du créneau" });
  }
}

/** Every fact (attendance rows, countersignatures, paper scans) against the last entry proving it. */
export async function verifyFactsAgainstEvidence(db: Db, slotId?: string): Promise<Broken[]> {
  return [...(await attendanceFacts(db, slotId)), ...(await sheetFacts(db, slotId))];
}

/** The chains and the facts: what the script and /preuves report. */
export async function verifyProofs(db: Db, slotId?: string): Promise<ChainReport> {
  const report = await verifyEvidence(db, slotId);
  return { ...report, broken: [...report.broken, ...(await verifyFactsAgainstEvidence(db, slotId))] };
}
