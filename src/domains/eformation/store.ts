// The Kysely queries of the e-formation tables (only this domain touches them); other domains' rows
// are read through their read models (ADR 0011).
import type { Insertable, Kysely } from "kysely";
import { accountRows } from "../../core/auth/accounts.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import { attachmentRows } from "../../core/files.ts";
import { candidacyDepartementRows, candidacyRows } from "../recruitment/views.ts";
import { slotRows, slotTraineeRows } from "../schedule/views.ts";
import type { DB } from "../../core/db/schema.ts";
import { componentRows } from "../offer/views.ts";
import { orderLineRows } from "../orders/views.ts";
import { pathItemRows, pathRows, traineeRows } from "../paths/views.ts";
import { departementRows, lotRows, providerRows } from "../region/views.ts";
import { sessionRows } from "../sessions/views.ts";

type Q = Kysely<DB>;

/** E-formation components (optionally one provider's) with their lot, typical week and the lot's minimum. */
export function eformationComponents(db: Q, f: { providerId?: string; componentId?: string } = {}) {
  let q = db
    .selectFrom(componentRows().as("c"))
    .innerJoin(lotRows().as("l"), "l.id", "c.lot_id")
    .innerJoin(providerRows().as("p"), "p.id", "c.provider_id")
    .leftJoin("eformation_week as w", "w.component_id", "c.id")
    .leftJoin("eformation_lot_setting as ls", "ls.lot_id", "c.lot_id")
    .leftJoin("eformation_webconf as wc", "wc.component_id", "c.id")
    .select([
      "c.id",
      "c.title",
      "c.provider_id",
      "p.name as provider_name",
      "c.lot_id",
      "l.code as lot_code",
      "l.name as lot_name",
      "w.tutorat_minutes",
      "w.self_study_minutes",
      "w.gathering_minutes",
      "w.updated_at as week_updated_at",
      "ls.sync_min_percent",
      "wc.status as webconf_status",
    ])
    .where("c.e_formation", "=", true)
    .orderBy("p.name")
    .orderBy("c.title");
  if (f.providerId) q = q.where("c.provider_id", "=", f.providerId);
  if (f.componentId) q = q.where("c.id", "=", f.componentId);
  return q.execute();
}
export type ComponentWeekRow = Awaited<ReturnType<typeof eformationComponents>>[number];

export const lotSetting = (db: Q, lotId: string) => db.selectFrom("eformation_lot_setting").selectAll().where("lot_id", "=", lotId).executeTakeFirst();

export function lotsWithSettings(db: Q) {
  return db
    .selectFrom(lotRows().as("l"))
    .leftJoin("eformation_lot_setting as ls", "ls.lot_id", "l.id")
    .select(["l.id", "l.code", "l.name", "ls.sync_min_percent", "ls.updated_at"])
    .orderBy("l.code")
    .execute();
}

export async function upsertLotSetting(db: Q, lotId: string, syncMinPercent: number, userId: string, now: Date) {
  await db
    .insertInto("eformation_lot_setting")
    .values({ lot_id: lotId, sync_min_percent: syncMinPercent, updated_by: userId, updated_at: now })
    .onConflict((oc) => oc.column("lot_id").doUpdateSet({ sync_min_percent: syncMinPercent, updated_by: userId, updated_at: now }))
    .execute();
}

export async function upsertWeek(db: Q, componentId: string, w: { tutorat: number; selfStudy: number; gatherings: number }, userId: string, now: Date) {
  const values = { tutorat_minutes: w.tutorat, self_study_minutes: w.selfStudy, gathering_minutes: w.gatherings, updated_by: userId, updated_at: now };
  await db
    .insertInto("eformation_week")
    .values({ component_id: componentId, ...values })
    .onConflict((oc) => oc.column("component_id").doUpdateSet(values))
    .execute();
}

/** The paths on the order lines of a component, with their planned items (for CP-EFORM-SYNC-MIN on plans). */
export function pathsOfComponent(db: Q, componentId: string) {
  return db
    .selectFrom(pathRows().as("p"))
    .innerJoin(orderLineRows().as("ol"), "ol.id", "p.order_line_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["p.id", "p.status", "t.first_name", "t.last_name"])
    .where("ol.component_id", "=", componentId)
    .where("p.status", "in", ["draft", "validated"])
    .orderBy("t.last_name")
    .orderBy("t.first_name")
    .execute();
}

export function planItems(db: Q, pathIds: string[]) {
  if (pathIds.length === 0) return Promise.resolve([]);
  return db.selectFrom(pathItemRows().as("i")).select(["i.path_id", "i.modality", "i.planned_minutes", "i.exempted"]).where("i.path_id", "in", pathIds).execute();
}

/** E-formation sessions (a session of an order line whose component is e-formation), with their component and lot. */
export function eformationSessions(db: Q, f: { providerId?: string; sessionId?: string } = {}) {
  let q = db
    .selectFrom(sessionRows().as("s"))
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(providerRows().as("p"), "p.id", "s.provider_id")
    .leftJoin("eformation_lot_setting as ls", "ls.lot_id", "c.lot_id")
    .select([
      "s.id",
      "s.provider_id",
      "s.order_line_id",
      "s.start_date",
      "s.end_date",
      "s.places",
      "s.published_at",
      "c.id as component_id",
      "c.title as component_title",
      "c.lot_id",
      "p.name as provider_name",
      "ls.sync_min_percent",
    ])
    .where("c.e_formation", "=", true)
    .orderBy("s.start_date")
    .orderBy("c.title");
  if (f.providerId) q = q.where("s.provider_id", "=", f.providerId);
  if (f.sessionId) q = q.where("s.id", "=", f.sessionId);
  return q.execute();
}
export type SessionListRow = Awaited<ReturnType<typeof eformationSessions>>[number];

/**
 * CP-EFORM-REGIONAL-RECRUIT: the trainees of every e-formation session (optionally one provider's) per
 * département of residence — a candidacy entered into training, as on each session's page.
 */
export function eformationTraineesByDepartement(db: Q, f: { providerId?: string } = {}) {
  let q = db
    .selectFrom(candidacyDepartementRows().as("cd"))
    .innerJoin(sessionRows().as("s"), "s.id", "cd.session_id")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .leftJoin(departementRows().as("d"), "d.code", "cd.residence_departement_code")
    .select((eb) => ["cd.residence_departement_code as code", "d.name", eb.fn.countAll<string>().as("trainees"), eb.fn.count<string>("s.id").distinct().as("sessions")])
    .where("c.e_formation", "=", true)
    .where("cd.status", "!=", "withdrawn")
    .where((eb) => eb.or([eb("cd.path_id", "is not", null), eb("cd.status", "=", "entered")]))
    .groupBy(["cd.residence_departement_code", "d.name"])
    .orderBy("cd.residence_departement_code");
  if (f.providerId) q = q.where("s.provider_id", "=", f.providerId);
  return q.execute();
}

export const sessionState = (db: Q, sessionId: string) => db.selectFrom("eformation_session").selectAll().where("session_id", "=", sessionId).executeTakeFirst();

export async function setNoSoftware(db: Q, sessionId: string, noSoftware: boolean, userId: string, now: Date) {
  await db
    .insertInto("eformation_session")
    .values({ session_id: sessionId, no_software: noSoftware, updated_by: userId, updated_at: now })
    .onConflict((oc) => oc.column("session_id").doUpdateSet({ no_software: noSoftware, updated_by: userId, updated_at: now }))
    .execute();
}

export const softwareOfSession = (db: Q, sessionId: string) =>
  db
    .selectFrom("eformation_software as s")
    .innerJoin(attachmentRows().as("a"), "a.id", "s.sheet_attachment_id")
    .selectAll("s")
    .select(["a.filename as sheet_filename", "a.size_bytes as sheet_size"])
    .where("s.session_id", "=", sessionId)
    .orderBy("s.submitted_at")
    .execute();
export type SoftwareRow = Awaited<ReturnType<typeof softwareOfSession>>[number];

export const findSoftware = (db: Q, id: string) => db.selectFrom("eformation_software").selectAll().where("id", "=", id).executeTakeFirst();

export const insertSoftware = (db: Q, row: Insertable<DB["eformation_software"]>) => db.insertInto("eformation_software").values(row).execute();

/** A decision on a software still open: sent, or validated while its licences are not yet provided (the Region records them later). */
export const decideSoftware = (db: Q, id: string, set: { status: "validated" | "refused"; licences_provided: boolean; region_note: string | null; decided_by: string; decided_at: Date }) =>
  db
    .updateTable("eformation_software")
    .set(set)
    .where("id", "=", id)
    .where((eb) => eb.or([eb("status", "=", "submitted"), eb.and([eb("status", "=", "validated"), eb("licences_provided", "=", false)])]))
    .executeTakeFirst();

// ---- The 15-day checkpoint (CP-EFORM-CHECKPOINT-15D) ----

export const candidaciesByStatus = (db: Q, sessionId: string) =>
  db.selectFrom(candidacyRows().as("cy")).select(["cy.status"]).select((eb) => eb.fn.countAll<string>().as("n")).where("cy.session_id", "=", sessionId).groupBy("cy.status").execute();

/** The session's trainees: paths entered from its candidacies, open or not. */
export const pathsOfSession = (db: Q, sessionId: string) =>
  db
    .selectFrom(candidacyRows().as("cy"))
    .innerJoin(pathRows().as("p"), "p.id", "cy.path_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["p.id", "p.status", "p.entry_date", "p.planned_exit_date", "t.first_name", "t.last_name", "t.email"])
    .where("cy.session_id", "=", sessionId)
    .orderBy("t.last_name")
    .orderBy("t.first_name")
    .execute();

/** The planning of the given paths: their slots (not cancelled), with the join link of distance slots. */
export const slotsOfPaths = (db: Q, pathIds: string[]) =>
  pathIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom(slotRows().as("s"))
        .select(["s.id", "s.slot_date", "s.start_time", "s.end_time", "s.modality", "s.virtual_room_url", "s.status"])
        .where("s.status", "!=", "cancelled")
        .where("s.id", "in", (eb) => eb.selectFrom(slotTraineeRows().as("st")).select("st.slot_id").where("st.path_id", "in", pathIds))
        .orderBy("s.starts_at")
        .execute();

export const providerStaff = (db: Q, providerId: string) =>
  db.selectFrom(accountRows().as("u")).select(["u.id", "u.email", "u.full_name"]).where("u.provider_id", "=", providerId).where("u.active", "=", true).where("u.role", "in", rolesFor("sessions.write")).execute();

export const checkpoints = (db: Q, sessionId: string) =>
  db
    .selectFrom("eformation_checkpoint as k")
    .leftJoin(accountRows().as("u"), "u.id", "k.decided_by")
    .selectAll("k")
    .select("u.full_name as decided_by_name")
    .where("k.session_id", "=", sessionId)
    .orderBy("k.decided_at", "desc")
    .execute();

export const insertCheckpoint = (db: Q, row: Insertable<DB["eformation_checkpoint"]>) => db.insertInto("eformation_checkpoint").values(row).execute();
