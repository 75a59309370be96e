// The trainee's own documents (« Mes documents »): their certificates of completion and skills
// certificates, with download links, and their own signed attendance lines. No per-trainee sheet PDF
// exists (a slot's sheet lists the whole group), so the trainee gets their lines, never the sheets.
import { sql } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { attendanceRows } from "../attendance/views.ts";
import { pathRows } from "../paths/views.ts";
import { slotRows } from "../schedule/views.ts";
import * as store from "./store.ts";

export interface MyDocuments {
  certificates: { id: string; pathId: string; periodStart: string; periodEnd: string; version: number; inForce: boolean; issuedAt: string; url: string }[];
  /** CP-SKILLS-CERTIFICATE: one per exited path, drawn by the exit domain. */
  skillsCertificates: { pathId: string; actualExitDate: string; url: string }[];
  /** The trainee's own signed presences (date, hours, modality, when signed). */
  signedSlots: { date: string; start: string; end: string; modality: string; signedAt: string }[];
}

/** Everything is scoped by the session's trainee id: another trainee's documents never appear. */
export async function myDocuments(db: Db, actor: Actor): Promise<MyDocuments> {
  requireRole(actor, "trainee");
  const paths = await db.selectFrom(pathRows().as("p")).select(["id", "actual_exit_date"]).where("trainee_id", "=", actor.traineeId ?? "").where("status", "!=", "draft").execute();
  if (!paths.length) return { certificates: [], skillsCertificates: [], signedSlots: [] };
  const ids = paths.map((p) => p.id);
  const certificates = (await Promise.all(ids.map((id) => store.certificatesOfPath(db, id)))).flat().map((c) => ({
    id: c.id,
    pathId: c.path_id,
    periodStart: c.period_start,
    periodEnd: c.period_end,
    version: c.version,
    inForce: !c.replaced_by,
    issuedAt: new Date(c.issued_at).toISOString(),
    url: `/certificats/${c.id}/pdf`,
  }));
  const skillsCertificates = paths.flatMap((p) => (p.actual_exit_date ? [{ pathId: p.id, actualExitDate: p.actual_exit_date, url: `/mon-parcours/${p.id}/attestation-competences.pdf` }] : []));
  const rows = await db
    .selectFrom(attendanceRows().as("a"))
    .innerJoin(slotRows().as("s"), "s.id", "a.slot_id")
    .select(["s.slot_date", "s.start_time", "s.end_time", "s.modality", "a.signed_at"])
    .where(sql<boolean>`a.path_id = any(${ids}::uuid[])`)
    .where("a.signed_at", "is not", null)
    .orderBy("s.slot_date", "desc")
    .orderBy("s.start_time", "desc")
    .limit(500)
    .execute();
  const signedSlots = rows.map((r) => ({ date: r.slot_date, start: r.start_time.slice(0, 5), end: r.end_time.slice(0, 5), modality: r.modality, signedAt: new Date(r.signed_at!).toISOString() }));
  return { certificates, skillsCertificates, signedSlots };
}
