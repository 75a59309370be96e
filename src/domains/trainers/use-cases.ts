// The provider's trainers and its orders' teaching teams (CP-TRAINER-CHANGE, CCTP §4.1.2): a trainer's CV
// and qualifications; a change of an order's team, or an absent trainer's replacement, is a notice to the
// Region carrying the joining trainers' CVs (a mail to the Region's officers in the same transaction),
// which the Region acknowledges. validate → load → rules → write (+ notification), one transaction each.
import { type Actor, isProviderStaff, ownProviderId, requireRole, requireVisible } from "../../core/auth/actor.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { requireCapability } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { checkFile, type FileInput, readFile, storeFile } from "../../core/files.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit } from "../../core/outbox.ts";
import { check, type Violation } from "../../core/rules.ts";
import { type Clock, formatDateFr, newId, parisDate } from "../../core/time.ts";
import { getOrder } from "../orders/use-cases.ts";
import { joiningTrainerHasCv, noticeKindLabels, replacementQualified, replacementWithoutDelay, teamDiff } from "./rules.ts";
import { NoticeFilter, parseInput, ReplacementInput, TeamInput, TrainerInput } from "./schema.ts";
import * as store from "./store.ts";

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
export type Trainer = NonNullable<Awaited<ReturnType<typeof store.findTrainer>>>;
export type Notice = NonNullable<Awaited<ReturnType<typeof getNotice>>>;

/** The notice's reference as people read it: « EP-1A2B3C4D ». */
export const noticeReference = (id: string) => `EP-${id.slice(0, 8).toUpperCase()}`;

// ---- Trainers ----

/** A provider's staff: their trainers; the Region: a provider's (by id). */
export async function listTrainers(db: Db, actor: Actor, providerId?: string) {
  if (isProviderStaff(actor)) return store.listTrainers(db, ownProviderId(actor));
  requireRole(actor, "region_officer");
  return providerId && isUuid(providerId) ? store.listTrainers(db, providerId) : [];
}

export async function getTrainer(db: Db, actor: Actor, id: string): Promise<Trainer> {
  const t = isUuid(id) ? await store.findTrainer(db, id) : undefined;
  if (!t) throw notFound("Formateur");
  requireVisible(actor, t.provider_id, "Formateur");
  return t;
}

const cvViolations = (cv: FileInput | undefined) => (cv ? checkFile(cv, "cv") : []);

/** CP-TRAINER-CHANGE: the provider records a trainer, their qualifications and CV (PDF, JPEG or PNG, 10 MB at most). */
export async function createTrainer(db: Db, actor: Actor, raw: unknown, cv?: FileInput): Promise<Trainer> {
  const providerId = ownProviderId(actor);
  requireCapability(actor, "trainers.write");
  const input = parseInput(TrainerInput, raw);
  const violations = cvViolations(cv);
  if (violations.length > 0) throw DomainError.fromViolations(violations);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const stored = cv ? await storeFile(tx, cv, { providerId, uploadedBy: actor.userId }) : undefined;
    await store.insertTrainer(tx, { id, provider_id: providerId, full_name: input.fullName, qualifications: input.qualifications, active: input.active, cv_attachment_id: stored?.id ?? null, created_by: actor.userId });
    await audit(tx, { actorId: actor.userId, action: "trainer.create", entity: "trainer", entityId: id, details: { fullName: input.fullName, cv: stored?.id ?? null } });
  });
  return (await store.findTrainer(db, id))!;
}

/** The provider updates a trainer; a new CV replaces the file on the trainer (notices keep the CV they carried). */
export async function updateTrainer(db: Db, actor: Actor, id: string, raw: unknown, cv?: FileInput): Promise<Trainer> {
  const t = await getTrainer(db, actor, id);
  const providerId = ownProviderId(actor);
  requireCapability(actor, "trainers.write");
  const input = parseInput(TrainerInput, raw);
  const violations = cvViolations(cv);
  if (violations.length > 0) throw DomainError.fromViolations(violations);
  await db.transaction().execute(async (tx) => {
    const stored = cv ? await storeFile(tx, cv, { providerId, uploadedBy: actor.userId }) : undefined;
    await store.updateTrainer(tx, t.id, { full_name: input.fullName, qualifications: input.qualifications, active: input.active, ...(stored ? { cv_attachment_id: stored.id } : {}) });
    await audit(tx, { actorId: actor.userId, action: "trainer.update", entity: "trainer", entityId: t.id, details: { fullName: input.fullName, active: input.active, cv: stored?.id ?? null } });
  });
  return (await store.findTrainer(db, id))!;
}

/** A trainer's current CV (their provider or the Region). */
export async function trainerCv(db: Db, actor: Actor, id: string) {
  const t = await getTrainer(db, actor, id);
  if (!t.cv_attachment_id) throw notFound("CV");
  return readFile(db, t.cv_attachment_id);
}

// ---- Teaching teams and notices ----

/** An order's teaching team and its notices (whoever sees the order). */
export async function orderTeam(db: Db, actor: Actor, orderId: string) {
  const { order } = await getOrder(db, actor, orderId); // another provider's order: 404
  const team = await store.teamOf(db, orderId);
  const notices = await store.notices(db).where("n.order_id", "=", orderId).orderBy("n.filed_at", "desc").orderBy("n.id").execute();
  return { order, team, notices };
}

async function writableOrder(db: Db, actor: Actor, orderId: string) {
  const { order } = await getOrder(db, actor, orderId);
  ownProviderId(actor);
  requireCapability(actor, "trainers.write");
  if (order.status === "closed") {
    throw DomainError.fromViolations([{ code: "CP-TRAINER-CHANGE", severity: "error", article: "CCTP §4.1.2", message: "Cette commande est close : son équipe pédagogique ne change plus." }]);
  }
  return order;
}

/** The provider's trainers named in `ids`: another provider's (or an unknown id) is refused as unknown. */
async function ownTrainers(db: Db, providerId: string, ids: string[], field: string) {
  const found = await store.findTrainers(db, ids);
  if (found.length !== ids.length || found.some((t) => t.provider_id !== providerId)) {
    throw DomainError.fromViolations([{ code: "VALIDATION", severity: "error", article: "", field, message: "Formateur inconnu de l'organisme." }]);
  }
  return found;
}

async function mailRegion(tx: Db, noticeId: string, subject: string, body: string) {
  const officers = await tx.selectFrom(accountRows().as("u")).select(["u.id", "u.email"]).where("u.role", "=", "region_officer").where("u.active", "=", true).execute();
  for (const o of officers) await notify(tx, { to: o.email, userId: o.id, entity: "trainer_notice", entityId: noticeId, subject, body });
}

const cvLines = (rows: { full_name: string; qualifications: string }[], baseUrl: string, noticeId: string) =>
  rows.map((t) => `- ${t.full_name} — ${t.qualifications || "qualifications non renseignées"}`).concat(rows.length > 0 ? [`CV joints à l'avis : ${baseUrl}/equipes-pedagogiques/avis/${noticeId}`] : []);

/**
 * CP-TRAINER-CHANGE: the provider sets an order's teaching team. Every joining trainer has a CV on
 * file (hard); the change is a notice to the Region with their CVs. Setting the same team is a no-op.
 */
export async function setOrderTeam(db: Db, actor: Actor, clock: Clock, baseUrl: string, orderId: string, raw: unknown): Promise<{ noticeId: string | null }> {
  const order = await writableOrder(db, actor, orderId);
  const input = parseInput(TeamInput, raw);
  const ids = [...new Set(input.trainerIds)];
  const wanted = await ownTrainers(db, order.provider_id, ids, "trainerIds");
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    await store.lockOrder(tx, orderId);
    const before = (await store.teamOf(tx, orderId)).map((t) => t.id);
    const { added, removed } = teamDiff(before, ids);
    if (added.length === 0 && removed.length === 0) return { noticeId: null };
    const joining = wanted.filter((t) => added.includes(t.id));
    const violations = check(...joining.map((t) => joiningTrainerHasCv(t)));
    if (violations.length > 0) throw DomainError.fromViolations(violations);
    const id = newId();
    await store.replaceTeam(tx, orderId, added, removed, now);
    await store.insertNotice(tx, { id, provider_id: order.provider_id, order_id: orderId, kind: "team_change", reason: input.reason, filed_by: actor.userId, filed_at: now }, [
      ...joining.map((t) => ({ trainer_id: t.id, change: "added" as const, cv_attachment_id: t.cv_attachment_id })),
      ...removed.map((tid) => ({ trainer_id: tid, change: "removed" as const, cv_attachment_id: null })),
    ]);
    const leaving = await store.findTrainers(tx, removed);
    await mailRegion(
      tx,
      id,
      `Changement d'équipe pédagogique ${noticeReference(id)} — commande ${order.number}`,
      [
        `L'organisme a modifié l'équipe pédagogique de la commande ${order.number} le ${formatDateFr(parisDate(now))} (CP-TRAINER-CHANGE, CCTP §4.1.2).`,
        `Motif : ${input.reason}`,
        joining.length > 0 ? ["Nouveaux formateurs :", ...cvLines(joining, baseUrl, id)].join("\n") : "Aucun nouveau formateur.",
        leaving.length > 0 ? `Quittent l'équipe : ${leaving.map((t) => t.full_name).join(", ")}.` : "",
        `Prenez-en connaissance et accusez réception : ${baseUrl}/equipes-pedagogiques/avis/${id}`,
      ]
        .filter(Boolean)
        .join("\n\n"),
    );
    await audit(tx, { actorId: actor.userId, action: "order.team_change", entity: "order", entityId: orderId, details: { noticeId: id, added, removed } });
    return { noticeId: id };
  });
}

/**
 * CP-TRAINER-CHANGE: an absent trainer of the team is replaced by another of the provider's trainers, with
 * a CV and qualifications on file (hard); recorded after the first day of absence, it warns (without delay).
 * The replacement joins the team; the notice carries their CV to the Region.
 */
export async function replaceAbsentTrainer(db: Db, actor: Actor, clock: Clock, baseUrl: string, orderId: string, raw: unknown): Promise<{ noticeId: string; warnings: Violation[] }> {
  const order = await writableOrder(db, actor, orderId);
  const input = parseInput(ReplacementInput, raw);
  const [absent] = await ownTrainers(db, order.provider_id, [input.absentTrainerId], "absentTrainerId");
  const [replacement] = await ownTrainers(db, order.provider_id, [input.replacementTrainerId], "replacementTrainerId");
  const now = clock.now();
  const today = parisDate(now);
  return db.transaction().execute(async (tx) => {
    await store.lockOrder(tx, orderId);
    const team = (await store.teamOf(tx, orderId)).map((t) => t.id);
    const errors: Violation[] = check(replacementQualified(absent, replacement));
    if (!team.includes(absent.id)) errors.push({ code: "CP-TRAINER-CHANGE", severity: "error", article: "CCTP §4.1.2", field: "absentTrainerId", message: `${absent.full_name} n'est pas dans l'équipe pédagogique de cette commande.` });
    if (errors.length > 0) throw DomainError.fromViolations(errors);
    const warnings = check(replacementWithoutDelay(input.absenceFrom, today));
    const id = newId();
    await store.replaceTeam(tx, orderId, [replacement.id], [], now);
    await store.insertNotice(
      tx,
      { id, provider_id: order.provider_id, order_id: orderId, kind: "replacement", reason: input.reason, filed_by: actor.userId, filed_at: now, absent_trainer_id: absent.id, replacement_trainer_id: replacement.id, absence_from: input.absenceFrom, absence_to: input.absenceTo },
      [{ trainer_id: replacement.id, change: "added", cv_attachment_id: replacement.cv_attachment_id }],
    );
    await mailRegion(
      tx,
      id,
      `Remplacement d'un formateur absent ${noticeReference(id)} — commande ${order.number}`,
      [
        `${absent.full_name} est absent·e à partir du ${formatDateFr(input.absenceFrom)}${input.absenceTo ? ` jusqu'au ${formatDateFr(input.absenceTo)}` : ""} ; l'organisme le ou la remplace par ${replacement.full_name} sur la commande ${order.number} (CP-TRAINER-CHANGE, CCTP §4.1.2).`,
        `Motif : ${input.reason}`,
        `Qualifications du formateur absent : ${absent.qualifications || "non renseignées"}\nQualifications du remplaçant : ${replacement.qualifications}`,
        ...warnings.map((w) => w.message),
        `CV du remplaçant et accusé de réception : ${baseUrl}/equipes-pedagogiques/avis/${id}`,
      ].join("\n\n"),
    );
    await audit(tx, { actorId: actor.userId, action: "order.trainer_replacement", entity: "order", entityId: orderId, details: { noticeId: id, absent: absent.id, replacement: replacement.id, absenceFrom: input.absenceFrom } });
    return { noticeId: id, warnings };
  });
}

/** Notices: the Region every provider's; a provider's staff their own. Newest first. */
export async function listNotices(db: Db, actor: Actor, raw: unknown = {}) {
  const f = parseInput(NoticeFilter, raw);
  let q = store.notices(db).orderBy("n.filed_at", "desc").orderBy("n.id");
  if (isProviderStaff(actor) && actor.providerId) q = q.where("n.provider_id", "=", actor.providerId);
  else if (actor.role !== "region_officer") throw forbidden();
  if (f.open) q = q.where("n.acknowledged_at", "is", null);
  if (f.orderId) q = q.where("n.order_id", "=", f.orderId);
  return q.execute();
}

/** One notice with its trainers (and the CVs it carried); another provider's answers 404 like an unknown one. */
export async function getNotice(db: Db, actor: Actor, id: string) {
  const n = isUuid(id) ? await store.notices(db).where("n.id", "=", id).executeTakeFirst() : undefined;
  if (!n) throw notFound("Avis");
  requireVisible(actor, n.provider_id, "Avis");
  return { ...n, trainers: await store.noticeTrainers(db, id) };
}

/** CP-TRAINER-CHANGE: the Region acknowledges a notice (once). */
export async function acknowledgeNotice(db: Db, actor: Actor, clock: Clock, id: string) {
  const n = await getNotice(db, actor, id);
  requireRole(actor, "region_officer");
  await db.transaction().execute(async (tx) => {
    if (!(await store.acknowledge(tx, n.id, actor.userId, clock.now()))) throw new DomainError("NOTICE_ACKNOWLEDGED", 409, "Cet avis a déjà été pris en compte.");
    await audit(tx, { actorId: actor.userId, action: "trainer_notice.acknowledge", entity: "trainer_notice", entityId: n.id });
  });
  return getNotice(db, actor, id);
}

/** The CV a notice carried for one of its trainers. */
export async function noticeCv(db: Db, actor: Actor, id: string, trainerId: string) {
  const n = await getNotice(db, actor, id);
  const t = n.trainers.find((x) => x.id === trainerId);
  if (!t?.cv_attachment_id) throw notFound("CV");
  return readFile(db, t.cv_attachment_id);
}

export { noticeKindLabels };
