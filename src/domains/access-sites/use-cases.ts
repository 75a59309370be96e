// Occitanie e-formation access sites (CP-EFORM-SITES, CCTP §3.2.2.1 and §3.3): the Region keeps the
// network of sites (rooms with PCs, opening hours, contact); provider staff reserve a PC for each
// distance slot of a trainee the positioning sent to a site, move a trainee back home for later
// slots; the site's day is pointed (arrival, no-show — which frees the trainee's seats for the rest
// of the day). No double booking, of a PC or of a trainee: exclusion constraints (ADR 0019).
import type { Kysely, Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole, requireVisible, seesProvider } from "../../core/auth/actor.ts";
import { requireCapability } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check, type Violation } from "../../core/rules.ts";
import { formatDateFr, newId, parisDate } from "../../core/time.ts";
import { attendanceRecordable, homeFromAllowed, pcsLeft, roomFull, seatBookable, SITES_ARTICLE, traineeElsewhere } from "./rules.ts";
import { createAccount, accountRows } from "../../core/auth/accounts.ts";
import { hashPassword } from "../../core/auth/sessions.ts";
import { AccessSiteInput, BookingInput, DayQuery, HomeInput, parseInput, SiteStaffInput } from "./schema.ts";
import * as store from "./store.ts";

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const hhmm = (t: string) => t.slice(0, 5);
const slotLabel = (s: { slot_date: string; start_time: string; end_time: string }) => `du ${formatDateFr(s.slot_date)} ${hhmm(s.start_time)}–${hhmm(s.end_time)}`;

/** The access sites are read by the Region and by provider staff (who book there). */
function requireReader(actor: Actor) {
  if (actor.role !== "region_officer" && !isProviderStaff(actor)) throw forbidden("Réservé à la Région et aux organismes de formation.");
}

/** CP-EFORM-SITES: an access site's staff see their own site only. */
const isSiteStaff = (actor: Actor) => actor.role === "access_site_staff";
const worksAt = (actor: Actor, siteId: string) => isSiteStaff(actor) && !!actor.accessSiteId && actor.accessSiteId === siteId;
/** Before a role refusal: another site answers a site's staff as unknown (no existence leak). */
function hideOtherSites(actor: Actor, siteId: string) {
  if (isSiteStaff(actor) && !worksAt(actor, siteId)) throw notFound("Site d'accès");
}

const rejected = (violations: Violation[], status = 422) => {
  const errors = violations.filter((v) => v.severity === "error");
  return new DomainError("CP-EFORM-SITES", status, errors.map((v) => v.message).join(" "), violations);
};

// ---- The Region's network of access sites ----

export async function listAccessSites(db: Db, actor: Actor) {
  requireReader(actor);
  const rows = await store.listSites(db);
  return rows
    .filter((r) => actor.role === "region_officer" || r.active)
    .map((r) => ({ id: r.id, name: r.name, commune: r.commune, inseeCode: r.insee_code, departementCode: r.departement_code, departementName: r.departement_name, active: r.active, rooms: Number(r.rooms), pcs: Number(r.pcs) }));
}

export async function getAccessSite(db: Db, actor: Actor, id: string) {
  // CP-EFORM-SITES: another site than theirs answers to a site's staff exactly as an unknown one.
  if (isSiteStaff(actor)) {
    if (!worksAt(actor, id)) throw notFound("Site d'accès");
  } else requireReader(actor);
  const site = isUuid(id) ? await store.findSite(db, id) : undefined;
  if (!site || (!site.active && actor.role !== "region_officer")) throw notFound("Site d'accès");
  const rooms = await store.roomsOf(db, id);
  return {
    id: site.id,
    name: site.name,
    address: site.address,
    postcode: site.postcode,
    commune: site.commune,
    inseeCode: site.insee_code,
    departementCode: site.departement_code,
    openingHours: site.opening_hours,
    contactName: site.contact_name,
    contactEmail: site.contact_email,
    contactPhone: site.contact_phone,
    active: site.active,
    rooms: rooms.map((r) => ({ id: r.id, name: r.name, pcs: r.pcs })),
  };
}
export type AccessSite = Awaited<ReturnType<typeof getAccessSite>>;

function siteValues(input: AccessSiteInput) {
  return {
    name: input.name,
    address: input.address,
    postcode: input.postcode,
    commune: input.commune,
    insee_code: input.inseeCode,
    departement_code: input.departementCode,
    opening_hours: input.openingHours,
    contact_name: input.contactName,
    contact_email: input.contactEmail ?? null,
    contact_phone: input.contactPhone ?? null,
    ...(input.active === undefined ? {} : { active: input.active }),
  };
}

async function judgeSite(tx: Kysely<DB>, input: AccessSiteInput, exceptId?: string) {
  const violations: Violation[] = [];
  if (await store.nameTaken(tx, input.name, exceptId)) violations.push({ code: "ACCESS_SITE_NAME_TAKEN", severity: "error", message: `Un site d'accès s'appelle déjà « ${input.name} ».`, article: "", field: "name" });
  if (!(await store.departementExists(tx, input.departementCode))) violations.push({ code: "VALIDATION", severity: "error", message: `Département ${input.departementCode} inconnu.`, article: "", field: "departementCode" });
  else if (!input.inseeCode.startsWith(input.departementCode)) violations.push({ code: "VALIDATION", severity: "error", message: `Le code INSEE ${input.inseeCode} n'est pas une commune du département ${input.departementCode}.`, article: "", field: "inseeCode" });
  const names = input.rooms.map((r) => r.name);
  if (new Set(names).size !== names.length) violations.push({ code: "VALIDATION", severity: "error", message: "Deux salles portent le même nom.", article: "", field: "rooms" });
  if (violations.length > 0) throw new DomainError(violations[0].code, violations[0].code === "ACCESS_SITE_NAME_TAKEN" ? 409 : 422, violations.map((v) => v.message).join(" "), violations);
}

export async function createAccessSite(db: Db, actor: Actor, raw: unknown): Promise<AccessSite> {
  requireRole(actor, "region_officer");
  const input = parseInput(AccessSiteInput, raw);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await judgeSite(tx, input);
    await store.insertSite(tx, id, siteValues(input));
    await store.syncRooms(tx, id, input.rooms, newId);
    await audit(tx, { actorId: actor.userId, action: "access_site.create", entity: "access_site", entityId: id, details: { name: input.name, rooms: input.rooms } });
  });
  return getAccessSite(db, actor, id);
}

export async function updateAccessSite(db: Db, actor: Actor, id: string, raw: unknown): Promise<AccessSite> {
  hideOtherSites(actor, id);
  requireRole(actor, "region_officer");
  if (!isUuid(id) || !(await store.findSite(db, id))) throw notFound("Site d'accès");
  const input = parseInput(AccessSiteInput, raw);
  try {
    await db.transaction().execute(async (tx) => {
      await judgeSite(tx, input, id);
      await store.updateSite(tx, id, siteValues(input));
      await store.syncRooms(tx, id, input.rooms, newId);
      await audit(tx, { actorId: actor.userId, action: "access_site.update", entity: "access_site", entityId: id, details: { name: input.name, rooms: input.rooms, active: input.active } });
    });
  } catch (e) {
    if ((e as { code?: string }).code === "23503") {
      throw new DomainError("CP-EFORM-SITES", 409, "Des places sont réservées sur les PC que vous retirez (ou la salle supprimée) : annulez ces réservations d'abord.", [
        { code: "CP-EFORM-SITES", severity: "error", message: "Des places sont réservées sur les PC retirés.", article: SITES_ARTICLE, field: "rooms" },
      ]);
    }
    throw e;
  }
  return getAccessSite(db, actor, id);
}

// ---- The site's staff accounts (CP-EFORM-SITES) ----

/** The Region opens an account for a site's staff: they see that site's day and point arrivals. */
export async function createSiteStaffAccount(db: Db, actor: Actor, siteId: string, raw: unknown) {
  hideOtherSites(actor, siteId);
  requireRole(actor, "region_officer");
  if (!isUuid(siteId) || !(await store.findSite(db, siteId))) throw notFound("Site d'accès");
  const input = parseInput(SiteStaffInput, raw);
  const passwordHash = await hashPassword(input.password); // slow: outside the transaction
  const id = await db.transaction().execute(async (tx) => {
    if (!(await store.findSite(tx, siteId))) throw notFound("Site d'accès");
    return createAccount(tx, actor.userId, { email: input.email, fullName: input.fullName, role: "access_site_staff", passwordHash, accessSiteId: siteId });
  });
  return { id, email: input.email.trim().toLowerCase(), fullName: input.fullName, role: "access_site_staff" as const, accessSiteId: siteId };
}

/** The site's staff accounts (the Region). */
export async function siteStaff(db: Db, actor: Actor, siteId: string) {
  requireRole(actor, "region_officer");
  return db
    .selectFrom(accountRows().as("u"))
    .select(["u.id", "u.email", "u.full_name", "u.active"])
    .where("u.access_site_id", "=", siteId)
    .orderBy("u.full_name")
    .execute();
}

/** Open rooms of the network, for the booking form. */
export async function openRooms(db: Db, actor: Actor) {
  requireReader(actor);
  return (await store.allOpenRooms(db)).map((r) => ({ id: r.id, name: r.name, pcs: r.pcs, siteId: r.site_id, siteName: r.site_name, commune: r.commune, departementCode: r.departement_code }));
}

// ---- Seats ----

/** The path a provider-staff caller books for (404 for another provider's, like an unknown id). */
async function pathFor(db: Db, actor: Actor, pathId: string) {
  const path = isUuid(pathId) ? await store.pathFacts(db, pathId) : undefined;
  if (!path) throw notFound("Parcours");
  requireVisible(actor, path.provider_id, "Parcours");
  return path;
}

const traineeName = (p: { first_name: string; last_name: string }) => `${p.first_name} ${p.last_name}`;

interface PgError {
  code?: string;
  constraint?: string;
}

/**
 * CP-EFORM-SITES: reserves a PC of the room for the trainee on each slot (all or none). The lowest
 * free PC is taken; when two bookings race for it, the exclusion constraint refuses the second,
 * which tries again on the next free PC and is refused (409) once the room is full.
 */
export async function bookSeats(db: Db, actor: Actor, now: Date, raw: unknown) {
  const input = parseInput(BookingInput, raw);
  const path = await pathFor(db, actor, input.pathId);
  requireCapability(actor, "accessSites.book");
  const room = await store.findRoom(db, input.roomId);
  if (!room) throw notFound("Salle");
  const slotIds = [...new Set(input.slotIds)];
  const slots = await store.slotFacts(db, slotIds, path.id);
  if (slots.length !== slotIds.length || slots.some((s) => s.provider_id !== path.provider_id)) throw notFound("Créneau");
  const name = traineeName(path);
  const violations = slots.flatMap((s) =>
    seatBookable({
      slot: { modality: s.modality, status: s.status, startsAt: new Date(s.starts_at), eFormation: s.e_formation, hybridStatus: s.hybrid_status, label: slotLabel(s) },
      path: { status: path.status, onSlot: s.on_slot !== null, recommendsAccessSite: path.recommends_access_site, traineeName: name },
      site: { active: room.active, name: room.site_name },
      now,
    }),
  );
  if (violations.length > 0) throw rejected(dedupe(violations));

  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (tx) => {
        const booked: { id: string; slotId: string; seatNo: number }[] = [];
        for (const s of slots) {
          const startsAt = new Date(s.starts_at);
          const endsAt = new Date(s.ends_at);
          if (await store.traineeBusy(tx, path.trainee_id, startsAt, endsAt)) throw rejected([traineeElsewhere(name, slotLabel(s))], 409);
          const seatNo = await store.freeSeat(tx, room.id, startsAt, endsAt);
          if (seatNo === undefined) throw rejected([roomFull({ name: room.name, pcs: room.pcs, site: room.site_name }, slotLabel(s))], 409);
          const id = newId();
          await store.insertBooking(tx, { id, providerId: path.provider_id, slotId: s.id, pathId: path.id, traineeId: path.trainee_id, siteId: room.site_id, roomId: room.id, seatNo, slotDate: s.slot_date, startsAt, endsAt, bookedBy: actor.userId, now });
          booked.push({ id, slotId: s.id, seatNo });
        }
        await audit(tx, { actorId: actor.userId, action: "seat_booking.create", entity: "path", entityId: path.id, details: { roomId: room.id, booked } });
        return { pathId: path.id, accessSiteId: room.site_id, roomId: room.id, bookings: booked };
      });
    } catch (e) {
      const pg = e as PgError;
      if (pg.code !== "23P01") throw e;
      // The trainee was booked meanwhile: never retried. A PC taken meanwhile: the next free one.
      if (pg.constraint === "seat_booking_trainee_once") throw rejected([traineeElsewhere(name, "ces créneaux")], 409);
      if (attempt >= 4) throw rejected([roomFull({ name: room.name, pcs: room.pcs, site: room.site_name }, "demandé")], 409);
    }
  }
}

function dedupe(violations: Violation[]) {
  return violations.filter((v, i) => violations.findIndex((w) => w.message === v.message) === i);
}

/** A booking the caller sees: the Region every one, provider staff their own (else 404, as unknown). */
async function bookingFor(db: Db, actor: Actor, id: string) {
  const b = isUuid(id) ? await store.findBooking(db, id) : undefined;
  if (!b) throw notFound("Réservation");
  // CP-EFORM-SITES: a site's staff see the bookings at their site, as unknown elsewhere.
  if (isSiteStaff(actor)) {
    if (!worksAt(actor, b.access_site_id)) throw notFound("Réservation");
  } else requireVisible(actor, b.provider_id, "Réservation");
  return b;
}

/** Provider staff cancel one of their bookings before its slot begins. */
export async function cancelBooking(db: Db, actor: Actor, now: Date, id: string) {
  const b = await bookingFor(db, actor, id);
  if (actor.role !== "region_officer") requireCapability(actor, "accessSites.book");
  if (b.status !== "booked" || new Date(b.starts_at).getTime() <= now.getTime()) {
    throw rejected([{ code: "CP-EFORM-SITES", severity: "error", message: "Seule une réservation à venir, ni pointée ni annulée, s'annule.", article: SITES_ARTICLE, field: "status" }], 409);
  }
  await db.transaction().execute(async (tx) => {
    await store.setStatus(tx, [id], { status: "cancelled", cancel_reason: "staff", by: actor.userId, at: now });
    await audit(tx, { actorId: actor.userId, action: "seat_booking.cancel", entity: "seat_booking", entityId: id });
  });
  return { id, status: "cancelled" as const, pathId: b.path_id };
}

/** Site pointing: the trainee arrived (the Region, or the trainee's provider staff). */
export const recordArrival = (db: Db, actor: Actor, now: Date, id: string) => point(db, actor, now, id, "arrived");
/** Site pointing: the trainee did not come — their seats are freed for the rest of the day. */
export const recordNoShow = (db: Db, actor: Actor, now: Date, id: string) => point(db, actor, now, id, "no_show");

async function point(db: Db, actor: Actor, now: Date, id: string, kind: "arrived" | "no_show") {
  const b = await bookingFor(db, actor, id);
  if (actor.role !== "region_officer") requireCapability(actor, "accessSites.attend");
  const violations = check(attendanceRecordable(kind, b.slot_date, parisDate(now), new Date(b.starts_at), now, b.status));
  if (violations.length > 0) throw rejected(violations, 409);
  try {
    return await db.transaction().execute(async (tx) => {
      await store.setStatus(tx, [id], { status: kind, by: actor.userId, at: now });
      let released: string[] = [];
      if (kind === "no_show") {
        const later = (await store.laterSameDay(tx, b.trainee_id, b.slot_date, new Date(b.ends_at))).map((r) => r.id);
        if (later.length > 0) released = (await store.setStatus(tx, later, { status: "cancelled", cancel_reason: "no_show_day", by: actor.userId, at: now })).map((r) => r.id);
      }
      await audit(tx, { actorId: actor.userId, action: `seat_booking.${kind}`, entity: "seat_booking", entityId: id, details: { released } });
      return { id, status: kind, released, accessSiteId: b.access_site_id, date: b.slot_date };
    });
  } catch (e) {
    // An arrival after a no-show whose PC was booked meanwhile.
    if ((e as PgError).code === "23P01") throw rejected([{ code: "CP-EFORM-SITES", severity: "error", message: "Ce PC a été réattribué depuis l'absence : réservez une autre place.", article: SITES_ARTICLE, field: "status" }], 409);
    throw e;
  }
}

/** CP-EFORM-SITES: the provider moves the trainee back home from `from`: their later bookings are cancelled. */
export async function moveHome(db: Db, actor: Actor, now: Date, pathId: string, raw: unknown) {
  const path = await pathFor(db, actor, pathId);
  requireCapability(actor, "accessSites.book");
  const input = parseInput(HomeInput, raw);
  const violations = check(homeFromAllowed(input.from, parisDate(now)));
  if (violations.length > 0) throw rejected(violations);
  return db.transaction().execute(async (tx) => {
    const ids = (await store.futureBookingsOfPath(tx, path.id, input.from, now)).map((r) => r.id);
    if (ids.length > 0) await store.setStatus(tx, ids, { status: "cancelled", cancel_reason: "home", by: actor.userId, at: now });
    await audit(tx, { actorId: actor.userId, action: "seat_booking.home", entity: "path", entityId: path.id, details: { from: input.from, cancelled: ids } });
    return { pathId: path.id, from: input.from, cancelled: ids.length };
  });
}

/** The path's distance slots from today on, each with its seat; for the booking page and the API. */
export async function pathSeats(db: Db, actor: Actor, now: Date, pathId: string) {
  const path = await pathFor(db, actor, pathId);
  const slots = await store.pathDistanceSlots(db, path.id, parisDate(now));
  return {
    path: {
      id: path.id,
      traineeName: traineeName(path),
      component: path.component_title,
      eFormation: path.e_formation,
      hybrid: path.hybrid_status === "approved",
      recommendsAccessSite: path.recommends_access_site === true,
      status: path.status,
    },
    slots: slots.map((s) => ({
      slotId: s.id,
      date: s.slot_date,
      startTime: hhmm(s.start_time),
      endTime: hhmm(s.end_time),
      slotStatus: s.slot_status,
      booking: s.booking_id ? { id: s.booking_id, status: s.booking_status, seatNo: s.seat_no, room: s.room_name, site: s.site_name } : null,
    })),
  };
}

// ---- The site's day ----

/**
 * Who comes to the site on the day, in which room and on which PC, and how many PCs are left per
 * room over each slot. The Region sees every trainee; provider staff see their own trainees (the
 * others' seats count, unnamed).
 */
export async function accessSiteDay(db: Db, actor: Actor, id: string, rawQuery: unknown) {
  const site = await getAccessSite(db, actor, id);
  const { date } = parseInput(DayQuery, rawQuery);
  const rows = await store.dayBookings(db, id, date);
  const active = (s: string) => s === "booked" || s === "arrived";
  const rooms = site.rooms.map((room) => {
    const inRoom = rows.filter((r) => r.room_id === room.id);
    const windows = [...new Map(inRoom.map((r) => [`${hhmm(r.start_time)}–${hhmm(r.end_time)}`, r])).values()].map((w) => {
      const s = new Date(w.starts_at).getTime();
      const e = new Date(w.ends_at).getTime();
      const taken = inRoom.filter((r) => active(r.status) && new Date(r.starts_at).getTime() < e && new Date(r.ends_at).getTime() > s).length;
      return { startTime: hhmm(w.start_time), endTime: hhmm(w.end_time), booked: taken, pcsLeft: pcsLeft(room.pcs, taken) };
    });
    return {
      id: room.id,
      name: room.name,
      pcs: room.pcs,
      windows,
      bookings: inRoom.map((r) => {
        // The site's staff greet every trainee booked at their site (getAccessSite scoped them to it).
        const mine = seesProvider(actor, r.provider_id) || isSiteStaff(actor);
        return {
          id: mine ? r.id : null,
          startTime: hhmm(r.start_time),
          endTime: hhmm(r.end_time),
          seatNo: r.seat_no,
          status: r.status,
          trainee: mine ? `${r.last_name.toUpperCase()} ${r.first_name}` : "Stagiaire d'un autre organisme",
          provider: mine ? r.provider_name : "—",
        };
      }),
    };
  });
  return { site: { id: site.id, name: site.name, commune: site.commune, address: site.address, openingHours: site.openingHours, contactName: site.contactName, contactPhone: site.contactPhone }, date, rooms };
}

// ---- For other domains (sessions) ----

/** CP-EFORM-REGIONAL-RECRUIT: candidacies and trainees counted per département of residence. */
export { traineesPerDepartement, UNKNOWN_DEPARTEMENT } from "./rules.ts";

/** The latest days with bookings at the site, to open their day page. */
export async function accessSiteBookedDays(db: Db, actor: Actor, id: string) {
  await getAccessSite(db, actor, id);
  return (await store.bookedDays(db, id, 20)).map((d) => ({ date: d.slot_date, bookings: Number(d.bookings) }));
}

// ---- Slots moved by a postponement (CP-EFORM-CHECKPOINT-15D) ----

/**
 * CP-EFORM-SITES after CP-EFORM-CHECKPOINT-15D: the slots of a postponed session were moved, in the
 * caller's transaction; their bookings (not yet pointed) are re-checked at the new times, latest first
 * (a later shift never collides with the trainee's own next booking): the same PC when free, else the
 * lowest free PC of the room; when the room is full or the trainee is booked elsewhere then, the
 * booking is cancelled ('rescheduled') and named, so the provider books again. The exclusion
 * constraints still have the last word.
 */
export async function followMovedSlots(tx: Transaction<DB>, slotIds: string[], actorId: string, now: Date) {
  const out = { kept: 0, reseated: 0, released: [] as { trainee: string; date: string }[] };
  if (slotIds.length === 0) return out;
  for (const b of await store.bookingsOfSlots(tx, slotIds)) {
    const startsAt = new Date(b.starts_at);
    const endsAt = new Date(b.ends_at);
    const busy = await store.traineeBusyElsewhere(tx, b.trainee_id, startsAt, endsAt, b.id);
    const seatNo: number | undefined = busy ? undefined : (await store.seatFree(tx, b.room_id, b.seat_no, startsAt, endsAt, b.id)) ? b.seat_no : await store.freeSeat(tx, b.room_id, startsAt, endsAt);
    if (seatNo === b.seat_no) out.kept++;
    if (seatNo !== undefined) {
      await store.moveBooking(tx, b.id, { seatNo, slotDate: b.slot_date, startsAt, endsAt });
      if (seatNo !== b.seat_no) out.reseated++;
    } else {
      await store.setStatus(tx, [b.id], { status: "cancelled", cancel_reason: "rescheduled", by: actorId, at: now });
      out.released.push({ trainee: `${b.last_name.toUpperCase()} ${b.first_name}`, date: b.slot_date });
    }
  }
  await audit(tx, { actorId, action: "seat_booking.follow_slots", entity: "slot", details: { slotIds, kept: out.kept, reseated: out.reseated, released: out.released.length } });
  return out;
}
