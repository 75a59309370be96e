// The trainee's follow-up during training: the referent's log and drop-out alerts to the prescriber
// (CP-REFERENT-FOLLOWUP), the welcome booklet's settings and delivery (CP-WELCOME,
// CP-CATERING-LODGING-INFO), social cover and work stoppages / accidents (CP-SOCIAL-PROTECTION-FORMS).
import { de } from "../../core/french.ts";
import { type Actor, ownProviderId, requireRole, requireVisible } from "../../core/auth/actor.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import { type FileInput, checkFile, storeFile } from "../../core/files.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit } from "../../core/outbox.ts";
import { newId } from "../../core/time.ts";
import { parseInput } from "../../core/validation.ts";
import { attendanceRows } from "../attendance/views.ts";
import { pathRows, traineeRows } from "../paths/views.ts";
import { candidacyRows } from "../recruitment/views.ts";
import { slotRows } from "../schedule/views.ts";
import { absenceStreak, type Barrier, barrierLabels } from "./rules.ts";
import { AlertInput, DeliveryInput, FollowupInput, IncidentInput, SentInput, SocialCoverInput, WelcomeSettingsInput } from "./schema.ts";

const WRITERS = rolesFor("paths.write");

async function traineeFor(db: Db, actor: Actor, traineeId: string) {
  const t = await db.selectFrom(traineeRows().as("t")).selectAll().where("t.id", "=", traineeId).executeTakeFirst();
  if (!t) throw notFound("Stagiaire");
  requireVisible(actor, t.provider_id, "Stagiaire");
  return t;
}

/** The prescriber who oriented the trainee (through the candidacy of one of their paths), if any. */
async function prescriberOf(db: Db, traineeId: string) {
  return db
    .selectFrom(candidacyRows().as("c"))
    .innerJoin(pathRows().as("p"), "p.id", "c.path_id")
    .innerJoin(accountRows().as("u"), "u.id", "c.prescriber_user_id")
    .select(["u.id", "u.email", "u.full_name", "c.id as candidacy_id"])
    .where("p.trainee_id", "=", traineeId)
    .executeTakeFirst();
}

/** The referent's follow-up of a trainee: log, alerts, and whether an absence streak suggests an alert. */
export async function followupOf(db: Db, actor: Actor, traineeId: string) {
  const trainee = await traineeFor(db, actor, traineeId);
  const entries = await db.selectFrom("followup_entry").selectAll().where("trainee_id", "=", traineeId).orderBy("met_on", "desc").execute();
  const alerts = await db.selectFrom("dropout_alert").selectAll().where("trainee_id", "=", traineeId).orderBy("raised_at", "desc").execute();
  const latest = await db
    .selectFrom(attendanceRows().as("a"))
    .innerJoin(slotRows().as("s"), "s.id", "a.slot_id")
    .innerJoin(pathRows().as("p"), "p.id", "a.path_id")
    .select(["a.status"])
    .where("p.trainee_id", "=", traineeId)
    .orderBy("s.starts_at", "desc")
    .limit(10)
    .execute();
  const barriers = [...new Set(entries.flatMap((e) => e.barriers))] as Barrier[];
  return { trainee, entries, alerts, streak: absenceStreak(latest.map((l) => l.status)), barriers, prescriber: await prescriberOf(db, traineeId) };
}

/** CP-REFERENT-FOLLOWUP: logs a meeting with its barriers and the resources mobilised. */
export async function recordFollowup(db: Db, actor: Actor, raw: unknown) {
  const input = parseInput(FollowupInput, raw);
  const t = await traineeFor(db, actor, input.traineeId);
  requireRole(actor, ...WRITERS);
  const id = newId();
  await db.insertInto("followup_entry").values({ id, provider_id: t.provider_id, trainee_id: t.id, met_on: input.metOn, notes: input.notes, barriers: input.barriers, resources: input.resources, recorded_by: actor.userId }).execute();
  return { id };
}

/** CP-REFERENT-FOLLOWUP: a drop-out alert, mailed to the prescriber in the same transaction (outbox). */
export async function raiseAlert(db: Db, actor: Actor, raw: unknown, now: Date) {
  const input = parseInput(AlertInput, raw);
  const t = await traineeFor(db, actor, input.traineeId);
  requireRole(actor, ...WRITERS);
  const prescriber = await prescriberOf(db, t.id);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx.insertInto("dropout_alert").values({ id, provider_id: t.provider_id, trainee_id: t.id, reason: input.reason, details: input.details, prescriber_email: prescriber?.email ?? null, raised_by: actor.userId, raised_at: now }).execute();
    if (prescriber) {
      await notify(tx, {
        to: prescriber.email,
        userId: prescriber.id,
        subject: `Compétences Plus : risque de décrochage ${de(`${t.first_name} ${t.last_name}`)}`,
        body: [
          `Bonjour ${prescriber.full_name},`,
          "",
          `Le ou la référent·e pédagogique ${de(`${t.first_name} ${t.last_name}`)} signale un risque de décrochage (${input.reason === "absences" ? "absences répétées" : "freins périphériques"}) :`,
          input.details,
          "",
          "Vous pouvez prendre contact avec l'organisme de formation pour mobiliser les aides utiles (CP-REFERENT-FOLLOWUP).",
        ].join("\n"),
        entity: "candidacy",
        entityId: prescriber.candidacy_id,
      });
    }
    await audit(tx, { actorId: actor.userId, action: "dropout_alert.raised", entity: "trainee", entityId: t.id, details: { reason: input.reason, notified: !!prescriber } });
  });
  return { id, notified: !!prescriber };
}

/** The alerts about the trainee of a candidacy (shown on the prescriber's candidacy page). */
export const alertsForPath = (db: Db, pathId: string) =>
  db
    .selectFrom("dropout_alert as a")
    .innerJoin(pathRows().as("p"), "p.trainee_id", "a.trainee_id")
    .select(["a.id", "a.reason", "a.details", "a.raised_at"])
    .where("p.id", "=", pathId)
    .orderBy("a.raised_at", "desc")
    .execute();

export const describeBarriers = (barriers: string[]) => barriers.map((b) => barrierLabels[b as Barrier] ?? b).join(", ");

// ---- Welcome booklet (CP-WELCOME, CP-CATERING-LODGING-INFO) ----

export async function welcomeSettings(db: Db, providerId: string) {
  return db.selectFrom("welcome_settings").selectAll().where("provider_id", "=", providerId).executeTakeFirst();
}

export async function saveWelcomeSettings(db: Db, actor: Actor, raw: unknown, rules?: FileInput) {
  const providerId = ownProviderId(actor);
  requireRole(actor, ...WRITERS);
  const input = parseInput(WelcomeSettingsInput, raw);
  if (rules) {
    const v = checkFile(rules, "internalRules");
    if (v.length) throw DomainError.fromViolations(v);
  }
  await db.transaction().execute(async (tx) => {
    const stored = rules ? await storeFile(tx, rules, { providerId, uploadedBy: actor.userId }) : undefined;
    const values = { commitments: input.commitments, catering: input.catering ?? null, lodging: input.lodging ?? null, updated_at: new Date(), ...(stored ? { internal_rules_attachment_id: stored.id } : {}) };
    await tx.insertInto("welcome_settings").values({ provider_id: providerId, ...values }).onConflict((oc) => oc.column("provider_id").doUpdateSet(values)).execute();
  });
}

/** CP-WELCOME: records that the booklet (its SHA-256) was handed over. */
export async function recordDelivery(db: Db, actor: Actor, raw: unknown, bookletSha256: string) {
  const input = parseInput(DeliveryInput, raw);
  const p = await db.selectFrom(pathRows().as("p")).select(["p.id", "p.provider_id"]).where("p.id", "=", input.pathId).executeTakeFirst();
  if (!p) throw notFound("Parcours");
  requireVisible(actor, p.provider_id, "Parcours");
  requireRole(actor, ...WRITERS);
  const id = newId();
  await db.insertInto("welcome_delivery").values({ id, provider_id: p.provider_id, path_id: p.id, delivered_on: input.deliveredOn, how: input.how, booklet_sha256: bookletSha256, recorded_by: actor.userId }).execute();
  return { id };
}

export const deliveriesOf = (db: Db, pathId: string) => db.selectFrom("welcome_delivery").selectAll().where("path_id", "=", pathId).orderBy("delivered_on", "desc").execute();

// ---- Social cover, work stoppages and accidents (CP-SOCIAL-PROTECTION-FORMS) ----

export async function setSocialCover(db: Db, actor: Actor, traineeId: string, raw: unknown) {
  const t = await traineeFor(db, actor, traineeId);
  requireRole(actor, ...WRITERS);
  const input = parseInput(SocialCoverInput, raw);
  await db
    .insertInto("trainee_social_cover")
    .values({ trainee_id: t.id, provider_id: t.provider_id, region_provides: input.regionProvides })
    .onConflict((oc) => oc.column("trainee_id").doUpdateSet({ region_provides: input.regionProvides, updated_at: new Date() }))
    .execute();
}

export async function recordIncident(db: Db, actor: Actor, raw: unknown) {
  const input = parseInput(IncidentInput, raw);
  const t = await traineeFor(db, actor, input.traineeId);
  requireRole(actor, ...WRITERS);
  const id = newId();
  await db
    .insertInto("work_incident")
    .values({ id, provider_id: t.provider_id, trainee_id: t.id, kind: input.kind, occurred_on: input.occurredOn, start_date: input.startDate ?? null, end_date: input.endDate ?? null, description: input.description, recorded_by: actor.userId })
    .execute();
  return { id };
}

export async function incidentFor(db: Db, actor: Actor, id: string) {
  const i = await db.selectFrom("work_incident").selectAll().where("id", "=", id).executeTakeFirst();
  if (!i) throw notFound("Déclaration");
  requireVisible(actor, i.provider_id, "Déclaration");
  return i;
}

/** CP-SOCIAL-PROTECTION-FORMS: the forms were sent to the Region's contractor (date and addressee). */
export async function markIncidentSent(db: Db, actor: Actor, id: string, raw: unknown) {
  const i = await incidentFor(db, actor, id);
  requireRole(actor, ...WRITERS);
  const input = parseInput(SentInput, raw);
  await db.updateTable("work_incident").set({ sent_on: input.sentOn, sent_to: input.sentTo }).where("id", "=", i.id).execute();
}

export async function socialOf(db: Db, actor: Actor, traineeId: string) {
  const t = await traineeFor(db, actor, traineeId);
  const cover = await db.selectFrom("trainee_social_cover").selectAll().where("trainee_id", "=", traineeId).executeTakeFirst();
  const incidents = await db.selectFrom("work_incident").selectAll().where("trainee_id", "=", traineeId).orderBy("occurred_on", "desc").execute();
  return { trainee: t, cover, incidents };
}
