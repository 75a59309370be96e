// Trainees' and tutors' ways in without a password: device-bound sessions of a phone, and
// single-use signing links (remote, tutor). Only hashes of tokens are stored.
import { randomBytes } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { type Actor, isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check } from "../../core/rules.ts";
import { newId } from "../../core/time.ts";
import { sha256 } from "./evidence.ts";
import { attendanceWindow, methodFitsModality } from "./rules.ts";
import type { LinkInput, LinkSignInput } from "./schema.ts";
import { canWriteSlot } from "./sheet.ts";
import { attendanceSettings } from "./settings.ts";
import { insertAttendance, lockSlot, type RequestMeta, requireSignable, type SignResult } from "./signing.ts";
import { awaitsSignature } from "./proof.ts";
import { requireCompanyAgreement } from "./company-guard.ts";
import { attendanceOf, deactivatedAccountOf, isExpected, slotById } from "./store.ts";
import { pathRows, traineeRows } from "../paths/views.ts";
import { slotRows } from "../schedule/views.ts";

export const DEVICE_COOKIE = "cp_device";
/** An enrolment link not opened within this time expires. */
const ENROL_DAYS = 7;
/** A tutor may attest company hours up to this many days after the slot. */
const TUTOR_DAYS = 30;

const newToken = () => randomBytes(32).toString("base64url");
const days = (now: Date, n: number) => new Date(now.getTime() + n * 86_400_000);

/** Staff create an enrolment for a trainee's phone: the returned token is shown once (link + QR). */
export async function enrolDevice(db: Db, actor: Actor, now: Date, traineeId: string, label?: string) {
  if (!isProviderStaff(actor)) throw forbidden("Seul le personnel de l'organisme enregistre un téléphone.");
  const trainee = await db.selectFrom(traineeRows().as("trainee")).select(["id", "provider_id"]).where("id", "=", traineeId).executeTakeFirst();
  if (!trainee || trainee.provider_id !== actor.providerId) throw notFound("Stagiaire");
  const token = newToken();
  const id = newId();
  // Pending until opened: last_seen_at null and a short expiry; opening it starts the 120 days.
  await db.insertInto("device_session").values({ id, trainee_id: traineeId, token_hash: sha256(token), label: label ?? null, expires_at: days(now, ENROL_DAYS) }).execute();
  return { id, token, expiresAt: days(now, ENROL_DAYS) };
}

/**
 * The phone opens the enrolment link once: the token is replaced by a fresh one (set as the
 * httpOnly cookie), so the link itself stops working.
 */
export async function claimDevice(db: Db, now: Date, enrolToken: string) {
  const token = newToken();
  const expiresAt = days(now, attendanceSettings().deviceDays);
  const row = await db
    .updateTable("device_session")
    .set({ token_hash: sha256(token), last_seen_at: now, expires_at: expiresAt })
    .where("token_hash", "=", sha256(enrolToken))
    .where("last_seen_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .returning(["id", "trainee_id"])
    .executeTakeFirst();
  if (!row) throw new DomainError("DEVICE_LINK_INVALID", 410, "Ce lien d'enregistrement a déjà servi, a expiré ou a été révoqué : demandez-en un nouveau à votre organisme.");
  return { token, expiresAt, traineeId: row.trainee_id };
}

/** The trainee behind a device cookie, or undefined (unknown, expired, revoked or never claimed). */
export async function deviceTrainee(db: Db, now: Date, token: string | undefined) {
  if (!token) return undefined;
  return db
    .selectFrom("device_session as d")
    .innerJoin(traineeRows().as("t"), "t.id", "d.trainee_id")
    .select(["d.id", "d.trainee_id", "t.first_name", "t.last_name"])
    .where("d.token_hash", "=", sha256(token))
    .where("d.revoked_at", "is", null)
    .where("d.last_seen_at", "is not", null)
    .where("d.expires_at", ">", now)
    .executeTakeFirst();
}

/** Valid-looking device sessions by token hash, for a group of signatures (the caller compares expires_at with its own now). */
export async function devicesByTokenHash(db: Db | Transaction<DB>, tokenHashes: string[]) {
  return db
    .selectFrom("device_session as d")
    .select(["d.id", "d.token_hash", "d.trainee_id", "d.expires_at"])
    .where("d.token_hash", "in", tokenHashes)
    .where("d.revoked_at", "is", null)
    .where("d.last_seen_at", "is not", null)
    .where(sql<boolean>`not ${deactivatedAccountOf("d")}`)
    .execute();
}


export const deviceNotRegistered = () =>
  new DomainError("UNAUTHENTICATED", 401, "Ce téléphone n'est pas enregistré : ouvrez le lien d'enregistrement remis par votre organisme, ou connectez-vous.");

export async function revokeDevice(db: Db, actor: Actor, now: Date, deviceId: string) {
  const row = await db.selectFrom("device_session as d").innerJoin(traineeRows().as("t"), "t.id", "d.trainee_id").select(["d.id", "t.provider_id"]).where("d.id", "=", deviceId).executeTakeFirst();
  if (!row || !isProviderStaff(actor) || row.provider_id !== actor.providerId) throw notFound("Appareil");
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("device_session").set({ revoked_at: now }).where("id", "=", deviceId).where("revoked_at", "is", null).execute();
    await audit(tx, { actorId: actor.userId, action: "device.revoke", entity: "device_session", entityId: deviceId });
  });
}

export async function devicesOfProvider(db: Db, actor: Actor, now: Date) {
  if (!isProviderStaff(actor) || !actor.providerId) throw forbidden("Réservé au personnel d'un organisme de formation.");
  const trainees = await db.selectFrom(traineeRows().as("trainee")).select(["id", "first_name", "last_name"]).where("provider_id", "=", actor.providerId).orderBy("last_name").orderBy("first_name").execute();
  const devices = await db
    .selectFrom("device_session as d")
    .innerJoin(traineeRows().as("t"), "t.id", "d.trainee_id")
    .select(["d.id", "d.trainee_id", "d.label", "d.created_at", "d.last_seen_at", "d.expires_at", "t.first_name", "t.last_name"])
    .where("t.provider_id", "=", actor.providerId)
    .where("d.revoked_at", "is", null)
    .where("d.expires_at", ">", now)
    .orderBy("t.last_name")
    .execute();
  return { trainees, devices };
}

/** A remote (distance) or tutor (company) link for one trainee and slot; single use. */
export async function createSigningLink(db: Db, actor: Actor, now: Date, slotId: string, input: LinkInput) {
  const slot = await slotById(db, slotId);
  if (!slot) throw notFound("Créneau");
  canWriteSlot(actor, slot);
  if (!(await isExpected(db, slotId, input.pathId))) throw new DomainError("CP-ATTENDANCE-NOT-EXPECTED", 403, "Ce·tte stagiaire n'est pas inscrit·e sur ce créneau (CP-ATTENDANCE).");
  const v = check(methodFitsModality(input.purpose, slot.modality));
  if (v.length) throw DomainError.fromViolations(v);
  const expiresAt = input.purpose === "remote" ? slot.ends_at : days(slot.ends_at, TUTOR_DAYS);
  if (expiresAt.getTime() <= now.getTime()) throw new DomainError("CP-ATTENDANCE-WINDOW", 422, "Ce créneau est terminé : un lien de signature n'y servirait plus (CP-ATTENDANCE).");
  const token = newToken();
  await db.transaction().execute(async (tx) => {
    await tx.insertInto("signing_link").values({ id: newId(), purpose: input.purpose, slot_id: slotId, path_id: input.pathId, token_hash: sha256(token), expires_at: expiresAt }).execute();
    await audit(tx, { actorId: actor.userId, action: `signing_link.${input.purpose}`, entity: "slot", entityId: slotId, details: { pathId: input.pathId } });
  });
  return { token, expiresAt };
}

/**
 * A tutor link issued for a company slot on behalf of the internships domain: the tutor's personal
 * period link (checked by the caller) proves who asks, so no staff actor is needed. Same single-use,
 * hashed, expiring link as createSigningLink (purpose 'tutor').
 */
export async function issueTutorLink(db: Db, now: Date, slotId: string, pathId: string) {
  const slot = await slotById(db, slotId);
  if (slot?.modality !== "company" || !(await isExpected(db, slotId, pathId))) throw notFound("Créneau");
  const expiresAt = days(slot.ends_at, TUTOR_DAYS);
  if (expiresAt.getTime() <= now.getTime()) throw new DomainError("CP-ATTENDANCE-WINDOW", 422, "Ce créneau est terminé depuis trop longtemps pour être attesté par lien (CP-ATTENDANCE).");
  const token = newToken();
  await db.insertInto("signing_link").values({ id: newId(), purpose: "tutor", slot_id: slotId, path_id: pathId, token_hash: sha256(token), expires_at: expiresAt }).execute();
  return { token, expiresAt };
}

/** What a link opens: the slot and the trainee, for /lien/:token. */
export async function linkContext(db: Db, now: Date, token: string) {
  const link = await db
    .selectFrom("signing_link as l")
    .innerJoin(slotRows().as("s"), "s.id", "l.slot_id")
    .innerJoin(pathRows().as("p"), "p.id", "l.path_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["l.id", "l.purpose", "l.slot_id", "l.path_id", "l.expires_at", "l.used_at", "t.first_name", "t.last_name", "s.slot_date", "s.start_time", "s.end_time", "s.modality", "s.virtual_room_url"])
    .where("l.token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!link?.slot_id || !link.path_id) throw new DomainError("LINK_INVALID", 404, "Ce lien de signature n'existe pas.");
  if (link.used_at) throw new DomainError("LINK_USED", 410, "Ce lien de signature a déjà servi.");
  if (link.expires_at.getTime() < now.getTime()) throw new DomainError("LINK_EXPIRED", 410, "Ce lien de signature a expiré.");
  return { ...link, slot_id: link.slot_id, path_id: link.path_id };
}

/** Signing through a link: remote within the slot's window (method 'remote'); tutor attests company hours (method 'tutor'). */
export async function signByLink(db: Db, now: Date, meta: RequestMeta, token: string, input: LinkSignInput): Promise<SignResult> {
  const link = await linkContext(db, now, token);
  const settings = attendanceSettings();
  return db.transaction().execute(async (tx) => {
    const slot = await lockSlot(tx, link.slot_id);
    // Conditional update: the link is used once even if two requests race.
    const used = await tx.updateTable("signing_link").set({ used_at: now }).where("id", "=", link.id).where("used_at", "is", null).returning("id").executeTakeFirst();
    if (!used) throw new DomainError("LINK_USED", 410, "Ce lien de signature a déjà servi.");
    const existing = await attendanceOf(tx, slot.id, link.path_id);
    // A declared presence (trainer's mark) is completed by the signature; anything else makes it a retry.
    if (existing && !awaitsSignature(existing)) return { attendance: existing, created: false };
    if (link.purpose === "remote") {
      requireSignable(slot, ["planned", "open"]);
      const v = check(attendanceWindow(slot, now, settings.earlyMinutes));
      if (v.length) throw DomainError.fromViolations(v);
    } else {
      requireSignable(slot, ["planned", "open", "closed"]);
      if (now.getTime() < slot.starts_at.getTime()) throw new DomainError("CP-ATTENDANCE-WINDOW", 422, "Les heures en entreprise s'attestent une fois la période commencée (CP-ATTENDANCE).");
    }
    const present = link.purpose === "remote" || input.present;
    await requireCompanyAgreement(tx, slot, link.path_id, present ? "present" : "absent");
    return insertAttendance(
      tx,
      { slot, pathId: link.path_id, status: present ? "present" : "absent", method: link.purpose, signedAt: now, signature: input.signature, recordedBy: null },
      { kind: link.purpose === "tutor" ? "attestation" : "signature", actorId: null, actorRole: link.purpose === "tutor" ? "tutor" : "trainee_link", at: now, meta, extra: { linkId: link.id }, personal: input.signerName ? { signerName: input.signerName } : undefined },
    );
  });
}
