// The trainee's own schedule: the phone page and the secret iCalendar feed link.
import { createHash, randomBytes } from "node:crypto";
import type { Actor } from "../../core/auth/actor.ts";
import { requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { audit } from "../../core/outbox.ts";
import { addDays } from "../../core/time.ts";
import { isHttpUrl } from "../../core/inputs.ts";
import { buildIcs, type IcsEvent } from "./ics.ts";
import { findSlots, type SlotView } from "./store.ts";
import { pathRows } from "../paths/views.ts";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

async function pathIdsOfTrainee(db: Db, traineeId: string): Promise<string[]> {
  return (await db.selectFrom(pathRows().as("path")).select("id").where("trainee_id", "=", traineeId).execute()).map((p) => p.id);
}

/** The trainee's slots from `from` for `days` days (cancelled ones included, shown as such). */
export async function mySchedule(db: Db, actor: Actor, from: string, days = 28): Promise<SlotView[]> {
  requireRole(actor, "trainee");
  return findSlots(db, { pathIds: await pathIdsOfTrainee(db, actor.traineeId ?? ""), from, to: addDays(from, days - 1) });
}

/** A new secret feed token for the trainee (only its hash is kept; the previous link stops working). */
export async function issueCalendarToken(db: Db, actor: Actor): Promise<string> {
  requireRole(actor, "trainee");
  const traineeId = actor.traineeId!;
  const token = randomBytes(24).toString("base64url");
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("trainee_calendar_token")
      .values({ trainee_id: traineeId, token_hash: hashToken(token) })
      .onConflict((oc) => oc.column("trainee_id").doUpdateSet({ token_hash: hashToken(token), created_at: new Date() }))
      .execute();
    await audit(tx, { actorId: actor.userId, action: "calendar_token.issued", entity: "trainee", entityId: traineeId });
  });
  return token;
}

export const MODALITY_SUMMARY: Record<SlotView["modality"], string> = {
  centre: "En centre",
  distance: "À distance (classe virtuelle)",
  self_study: "Autoformation",
  company: "En entreprise",
  gathering: "Regroupement",
};

export function slotEvent(s: SlotView, baseUrl: string): IcsEvent {
  const what = s.moduleTitle ?? s.componentTitle;
  const location = s.modality === "distance" ? (isHttpUrl(s.virtualRoomUrl) ? s.virtualRoomUrl : "Classe virtuelle") : s.siteName ? `${s.siteName}, ${s.siteAddress ?? ""}` : (s.place ?? (s.selfStudyLocation === "remote" ? "À distance" : null));
  const description = [
    `${MODALITY_SUMMARY[s.modality]}${s.modality === "self_study" ? (s.selfStudyLocation === "remote" ? " à distance" : " au centre") : ""} — ${s.componentTitle}`,
    s.trainerName ? `Formateur·rice : ${s.trainerName}` : "",
    s.objectives ? `Objectifs : ${s.objectives}` : "",
    s.deliverables ? `Livrables attendus : ${s.deliverables}` : "",
    s.resources ? `Ressources : ${s.resources}` : "",
    s.status === "cancelled" ? `Annulé : ${s.cancelReason ?? ""}` : "",
  ].filter(Boolean);
  return {
    uid: `${s.id}@competences-plus`,
    start: s.startsAt,
    end: s.endsAt,
    summary: `${MODALITY_SUMMARY[s.modality]} — ${what}`,
    location,
    description: description.join("\n"),
    url: `${baseUrl}/mon-planning`,
    cancelled: s.status === "cancelled",
  };
}

/** The iCalendar feed behind a secret token: 30 days back, one year ahead; undefined for an unknown token. */
export async function calendarFeed(db: Db, token: string, now: Date, today: string, baseUrl: string): Promise<string | undefined> {
  const row = await db.selectFrom("trainee_calendar_token").select("trainee_id").where("token_hash", "=", hashToken(token)).executeTakeFirst();
  if (!row) return undefined;
  const slots = await findSlots(db, { pathIds: await pathIdsOfTrainee(db, row.trainee_id), from: addDays(today, -30), to: addDays(today, 366) });
  return buildIcs("Mon planning — Compétences Plus", slots.map((s) => slotEvent(s, baseUrl)), now);
}
