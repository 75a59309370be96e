// Occitanie e-formation (CCTP §3.3): validate → load → rules → write (+ audit) in one transaction.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import { requireCapability } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check, errorsOf, type Violation } from "../../core/rules.ts";
import { checkFile, type FileInput, readFile, storeFile } from "../../core/files.ts";
import { notify } from "../../core/notifications/index.ts";
import { addDays, type Clock, daysBetween, formatDateFr as frDate, newId, parisDate } from "../../core/time.ts";
import { shiftPathDates } from "../paths/use-cases.ts";
import { shiftSlotsOfPaths } from "../schedule/use-cases.ts";
import { followMovedSlots, UNKNOWN_DEPARTEMENT } from "../access-sites/use-cases.ts";
import { moveSessionDates } from "../sessions/use-cases.ts";
import { parseInput } from "../../core/validation.ts";
import * as rules from "./rules.ts";
import { CheckpointInput, LotSettingInput, SoftwareDecisionInput, SoftwareInput, TypicalWeekInput } from "./schema.ts";
import * as store from "./store.ts";
import { shiftGatherings, webconfOf } from "./gathering-store.ts";

export type ComponentWeekRow = store.ComponentWeekRow;
export type SessionListRow = store.SessionListRow;
export { formatDateFr as frDate } from "../../core/time.ts";
export { checkpointOpensOn } from "./rules.ts";

/** The e-formation sessions the caller sees. */
export async function listSessions(db: Db, actor: Actor): Promise<SessionListRow[]> {
  return store.eformationSessions(db, { providerId: readScope(actor) });
}

/** CP-EFORM-REGIONAL-RECRUIT: the e-formation trainees per département of residence, in the reader's scope. */
export async function traineesByDepartement(db: Db, actor: Actor) {
  const rows = await store.eformationTraineesByDepartement(db, { providerId: readScope(actor) });
  return rows.map((r) => ({ code: r.code, name: r.code ? (r.name ?? r.code) : UNKNOWN_DEPARTEMENT, trainees: Number(r.trainees), sessions: Number(r.sessions) }));
}

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** The Region reads every provider's e-formation; provider staff their own; nobody else. */
export function readScope(actor: Actor): string | undefined {
  if (actor.role === "region_officer") return undefined;
  if (isProviderStaff(actor) && actor.providerId) return actor.providerId;
  throw forbidden();
}

export const weekOf = (r: Pick<ComponentWeekRow, "tutorat_minutes" | "self_study_minutes" | "gathering_minutes">): rules.WeekSplit | undefined =>
  r.tutorat_minutes === null ? undefined : { tutorat: r.tutorat_minutes, selfStudy: r.self_study_minutes ?? 0, gatherings: r.gathering_minutes ?? 0 };

/** The e-formation components the caller sees, each with its typical week and its lot's minimum. */
export async function listComponents(db: Db, actor: Actor) {
  return store.eformationComponents(db, { providerId: readScope(actor) });
}

/** One e-formation component the caller sees (another provider's, or a component outside e-formation: not found). */
export async function getComponent(db: Db, actor: Actor, componentId: string): Promise<ComponentWeekRow> {
  const scope = readScope(actor);
  const [row] = isUuid(componentId) ? await store.eformationComponents(db, { componentId, providerId: scope }) : [];
  if (!row) throw notFound("Composante e-formation");
  return row;
}

/** The typical week judged against today's lot minimum (a minimum raised after the week was declared shows here). */
export function weekFindings(row: ComponentWeekRow): Violation[] {
  const week = weekOf(row);
  if (!week) return [];
  return check(rules.typicalWeek(week), rules.syncMin(week, row.sync_min_percent, "week"));
}

/** CP-EFORM-TYPICAL-WEEK, CP-EFORM-SYNC-MIN: the provider declares the component's typical week; below the lot's minimum it is refused. */
export async function saveTypicalWeek(db: Db, actor: Actor, clock: Clock, componentId: string, raw: unknown): Promise<ComponentWeekRow> {
  await getComponent(db, actor, componentId); // visibility first: no existence leak
  requireCapability(actor, "offer.write");
  const input = parseInput(TypicalWeekInput, raw);
  const week: rules.WeekSplit = { tutorat: input.tutoratMinutes, selfStudy: input.selfStudyMinutes, gatherings: input.gatheringMinutes };
  await db.transaction().execute(async (tx) => {
    const [row] = await store.eformationComponents(tx, { componentId, providerId: actor.providerId ?? undefined });
    if (!row) throw notFound("Composante e-formation");
    const violations = check(rules.typicalWeek(week), rules.syncMin(week, row.sync_min_percent, "week"));
    if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
    await store.upsertWeek(tx, componentId, week, actor.userId, clock.now());
    await audit(tx, { actorId: actor.userId, action: "eformation.week", entity: "component", entityId: componentId, details: { ...week } });
  });
  return getComponent(db, actor, componentId);
}

/** The lots with their minimum synchronous share (the Region's page). */
export async function listLotSettings(db: Db, actor: Actor) {
  requireRole(actor, "region_officer");
  return store.lotsWithSettings(db);
}

/** CP-EFORM-SYNC-MIN: the Region sets the lot's minimum synchronous share (whole percent). */
export async function setLotSyncMin(db: Db, actor: Actor, clock: Clock, lotId: string, raw: unknown): Promise<void> {
  requireRole(actor, "region_officer");
  const lots = await store.lotsWithSettings(db);
  if (!isUuid(lotId) || !lots.some((l) => l.id === lotId)) throw notFound("Lot");
  const input = parseInput(LotSettingInput, raw);
  await db.transaction().execute(async (tx) => {
    await store.upsertLotSetting(tx, lotId, input.syncMinPercent, actor.userId, clock.now());
    await audit(tx, { actorId: actor.userId, action: "eformation.lot_setting", entity: "lot", entityId: lotId, details: input });
  });
}

/** CP-EFORM-SYNC-MIN (warning): each given path whose plan's synchronous share falls below `minPercent`. */
export async function planSyncWarnings(db: Db, paths: { id: string; first_name: string; last_name: string }[], minPercent: number | null): Promise<Violation[]> {
  if (minPercent === null || paths.length === 0) return [];
  const items = await store.planItems(
    db,
    paths.map((p) => p.id),
  );
  return check(
    paths.map((p) =>
      rules.syncMin(
        rules.planSplit(items.filter((i) => i.path_id === p.id).map((i) => ({ modality: i.modality, minutes: i.planned_minutes, exempted: i.exempted }))),
        minPercent,
        "plan",
        `${p.first_name} ${p.last_name}`,
      ),
    ),
  );
}

/** The component's page: its typical week, the lot minimum, and the warnings of the plans of its paths. */
export async function componentPage(db: Db, actor: Actor, componentId: string) {
  const component = await getComponent(db, actor, componentId);
  const paths = await store.pathsOfComponent(db, componentId);
  const webconf = (await webconfOf(db, componentId)) ?? null; // CP-WEBCONF
  return { component, findings: weekFindings(component), pathWarnings: await planSyncWarnings(db, paths, component.sync_min_percent), pathCount: paths.length, webconf };
}

// ---- Sessions: software (CP-EFORM-SOFTWARE-5W) ----

/** One e-formation session the caller sees (another provider's, or a session outside e-formation: not found). */
export async function getSession(db: Db, actor: Actor, sessionId: string): Promise<SessionListRow> {
  const scope = readScope(actor);
  const [row] = isUuid(sessionId) ? await store.eformationSessions(db, { sessionId, providerId: scope }) : [];
  if (!row) throw notFound("Session e-formation");
  return row;
}

/** The caller's own e-formation session, for a provider's write (visibility first, then the role). */
export async function ownSession(db: Db, actor: Actor, sessionId: string): Promise<SessionListRow> {
  const s = await getSession(db, actor, sessionId);
  if (actor.providerId !== s.provider_id) throw forbidden("Réservé à l'organisme de la session.");
  requireCapability(actor, "sessions.write");
  return s;
}

/** Today in Europe/Paris by the injected clock. */
export const parisToday = (clock: Clock) => parisDate(clock.now());

const parisDay = (d: Date | string | null) => (d ? parisDate(new Date(d)) : null);

export const softwareFacts = (rows: store.SoftwareRow[]): rules.SoftwareFacts[] =>
  rows.map((s) => ({ name: s.name, submittedOn: parisDate(new Date(s.submitted_at)), status: s.status, decidedOn: parisDay(s.decided_at), licencesProvided: s.licences_provided }));

/** The software of a session and its CP-EFORM-SOFTWARE-5W warnings on `today` (Europe/Paris). */
export async function softwareStatus(db: Db, session: SessionListRow, today: string) {
  const [software, state] = await Promise.all([store.softwareOfSession(db, session.id), store.sessionState(db, session.id)]);
  const noSoftware = state?.no_software ?? false;
  const warnings = check(rules.softwareFiveWeeks({ start: session.start_date, today, noSoftware, software: softwareFacts(software) }));
  return { software, noSoftware, warnings, submitBy: addDays(session.start_date, -rules.SOFTWARE_SUBMIT_DAYS), licencesBy: addDays(session.start_date, -rules.SOFTWARE_LICENCE_DAYS) };
}

/** CP-EFORM-SOFTWARE-5W: the provider sends a software with its technical sheet, compatibility with Windows 10 64-bit and Office 2016 declared. */
export async function submitSoftware(db: Db, actor: Actor, clock: Clock, sessionId: string, raw: unknown, sheet: FileInput | undefined): Promise<string> {
  const session = await ownSession(db, actor, sessionId);
  const input = parseInput(SoftwareInput, raw);
  const violations: Violation[] = [];
  if (!input.windows10_64 || !input.office2016) {
    violations.push({
      code: "SOFTWARE_INCOMPATIBLE",
      severity: "error",
      article: "CCTP §3.3",
      field: !input.windows10_64 ? "windows10_64" : "office2016",
      message: "Les postes des sites d'accès sont sous Windows 10 (64 bits) avec Office 2016 : le logiciel doit être déclaré compatible avec les deux.",
    });
  }
  if (!sheet) violations.push({ code: "ATTACHMENT", severity: "error", article: "", field: "sheet", message: "Joignez la fiche technique du logiciel (PDF, JPEG ou PNG)." });
  else violations.push(...checkFile(sheet, "sheet"));
  if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const file = await storeFile(tx, sheet as FileInput, { providerId: session.provider_id, uploadedBy: actor.userId });
    await store.insertSoftware(tx, {
      id,
      session_id: session.id,
      provider_id: session.provider_id,
      name: input.name,
      version: input.version,
      licence: input.licence,
      sheet_attachment_id: file.id,
      windows10_64: input.windows10_64,
      office2016: input.office2016,
      submitted_by: actor.userId,
      submitted_at: clock.now(),
    });
    await store.setNoSoftware(tx, session.id, false, actor.userId, clock.now());
    await audit(tx, { actorId: actor.userId, action: "eformation.software_submit", entity: "session", entityId: session.id, details: { softwareId: id, name: input.name, version: input.version, sheetSha256: file.sha256 } });
  });
  return id;
}

/** CP-EFORM-SOFTWARE-5W: the provider declares that the session needs no specific software (or takes it back). */
export async function declareNoSoftware(db: Db, actor: Actor, clock: Clock, sessionId: string, noSoftware: boolean): Promise<void> {
  const session = await ownSession(db, actor, sessionId);
  await db.transaction().execute(async (tx) => {
    await store.setNoSoftware(tx, session.id, noSoftware, actor.userId, clock.now());
    await audit(tx, { actorId: actor.userId, action: "eformation.no_software", entity: "session", entityId: session.id, details: { noSoftware } });
  });
}

/** A software the caller sees, with its session (not found alike for another provider's). */
export async function getSoftware(db: Db, actor: Actor, softwareId: string) {
  const s = isUuid(softwareId) ? await store.findSoftware(db, softwareId) : undefined;
  if (!s) throw notFound("Logiciel");
  const session = await getSession(db, actor, s.session_id).catch(() => {
    throw notFound("Logiciel");
  });
  return { software: s, session };
}

/** CP-EFORM-SOFTWARE-5W: the Region validates the software (recording whether the licences are provided) or refuses it with a reason. */
export async function decideSoftware(db: Db, actor: Actor, clock: Clock, softwareId: string, raw: unknown): Promise<void> {
  const { software } = await getSoftware(db, actor, softwareId);
  requireRole(actor, "region_officer");
  const input = parseInput(SoftwareDecisionInput, raw);
  const note = input.note ? input.note : null;
  if (input.decision === "refused" && !note) {
    throw DomainError.fromViolations([{ code: "VALIDATION", severity: "error", article: "", field: "note", message: "Un refus est motivé : indiquez la raison à l'organisme." }]);
  }
  await db.transaction().execute(async (tx) => {
    const done = await store.decideSoftware(tx, software.id, { status: input.decision, licences_provided: input.decision === "validated" && input.licencesProvided, region_note: note, decided_by: actor.userId, decided_at: clock.now() });
    if (Number(done.numUpdatedRows) === 0) throw new DomainError("SOFTWARE_DECIDED", 409, "Ce logiciel a déjà été décidé par la Région.");
    await audit(tx, { actorId: actor.userId, action: "eformation.software_decision", entity: "session", entityId: software.session_id, details: { softwareId: software.id, ...input } });
  });
}

/** The technical sheet of a software the caller sees. */
export async function softwareSheet(db: Db, actor: Actor, softwareId: string) {
  const { software } = await getSoftware(db, actor, softwareId);
  return readFile(db, software.sheet_attachment_id);
}

// ---- The 15-day checkpoint (CP-EFORM-CHECKPOINT-15D) ----

/** Everything the provider and the Region review on one page: candidates, planning, virtual class, software. */
export async function checkpointView(db: Db, actor: Actor, clock: Clock, sessionId: string) {
  const session = await getSession(db, actor, sessionId);
  const today = parisToday(clock);
  const [candidacies, paths, software, history, webconf] = await Promise.all([
    store.candidaciesByStatus(db, session.id),
    store.pathsOfSession(db, session.id),
    softwareStatus(db, session, today),
    store.checkpoints(db, session.id),
    webconfOf(db, session.component_id), // CP-WEBCONF: the tool the Region reviewed
  ]);
  const slots = await store.slotsOfPaths(
    db,
    paths.map((p) => p.id),
  );
  const distance = slots.filter((s) => s.modality === "distance");
  return {
    session,
    today,
    opensOn: rules.checkpointOpensOn(session.start_date),
    closed: rules.checkpointOpen(session.start_date, today),
    candidacies: candidacies.map((c) => ({ status: c.status, count: Number(c.n) })),
    paths,
    planning: { slots: slots.length, first: slots[0]?.slot_date ?? null, last: slots.at(-1)?.slot_date ?? null, distance: distance.length, withoutLink: distance.filter((s) => !s.virtual_room_url).length },
    virtualRooms: [...new Set(distance.map((s) => s.virtual_room_url).filter((u): u is string => !!u))],
    software,
    history,
    webconf: webconf ? { tool: webconf.tool_name, status: webconf.status, reason: webconf.region_reason } : null,
  };
}
export type CheckpointView = Awaited<ReturnType<typeof checkpointView>>;

/**
 * CP-EFORM-CHECKPOINT-15D: from 15 days before the start, the Region confirms the session or postpones
 * it; new dates propagate to the session, its paths and their planned slots, in one transaction, and
 * everyone concerned (provider staff, trainees) is mailed after commit.
 */
export async function decideCheckpoint(db: Db, actor: Actor, clock: Clock, sessionId: string, raw: unknown): Promise<{ decision: "confirmed" | "postponed"; pathsMoved: number; slotsMoved: number; seats: { kept: number; reseated: number; released: { trainee: string; date: string }[] } }> {
  const session = await getSession(db, actor, sessionId);
  requireRole(actor, "region_officer");
  const input = parseInput(CheckpointInput, raw);
  const today = parisToday(clock);
  const now = clock.now();
  const violations = check(rules.checkpointOpen(session.start_date, today), input.decision === "postponed" ? rules.postponedDates(session.start_date, input.newStart, input.newEnd) : undefined);
  if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
  return db.transaction().execute(async (tx) => {
    const [current] = await store.eformationSessions(tx, { sessionId });
    if (!current || current.start_date !== session.start_date || current.end_date !== session.end_date) throw new DomainError("CHANGED_MEANWHILE", 409, "La session a changé entre-temps : rechargez la page.");
    const paths = await store.pathsOfSession(tx, sessionId);
    const open = paths.filter((p) => p.status === "draft" || p.status === "validated").map((p) => p.id);
    let pathsMoved = 0;
    let slotsMoved = 0;
    let seats: Awaited<ReturnType<typeof followMovedSlots>> = { kept: 0, reseated: 0, released: [] };
    const newStart = input.decision === "postponed" ? input.newStart : session.start_date;
    const newEnd = input.decision === "postponed" ? input.newEnd : session.end_date;
    if (input.decision === "postponed") {
      const days = daysBetween(session.start_date, newStart);
      await moveSessionDates(tx, sessionId, newStart, newEnd, actor.userId);
      pathsMoved = await shiftPathDates(tx, open, days, `Session reportée par la Région au point d'étape (CP-EFORM-CHECKPOINT-15D) : ${input.reason}`, actor.userId, now);
      const moved = await shiftSlotsOfPaths(tx, open, days, actor.userId);
      slotsMoved = moved.length;
      // CP-EFORM-SITES: access-site seats follow their slots, re-checked at the new times.
      seats = await followMovedSlots(
        tx,
        moved.map((m) => m.id),
        actor.userId,
        now,
      );
      await shiftGatherings(tx, sessionId, days); // the welcome day stays the first day (CP-EFORM-WELCOME-DAY)
    }
    await store.insertCheckpoint(tx, {
      id: newId(),
      session_id: sessionId,
      decision: input.decision,
      reason: input.reason ?? null,
      old_start: session.start_date,
      old_end: session.end_date,
      new_start: newStart,
      new_end: newEnd,
      paths_moved: pathsMoved,
      slots_moved: slotsMoved,
      decided_by: actor.userId,
      decided_at: now,
    });
    await audit(tx, { actorId: actor.userId, action: `eformation.checkpoint_${input.decision}`, entity: "session", entityId: sessionId, details: { ...input, pathsMoved, slotsMoved } });
    const subject =
      input.decision === "postponed"
        ? `Session e-formation reportée : ${session.component_title} commencera le ${frDate(newStart)}`
        : `Session e-formation confirmée : ${session.component_title} commence le ${frDate(newStart)}`;
    const body =
      input.decision === "postponed"
        ? `Au point d'étape de 15 jours avant le démarrage, la Région a reporté la session « ${session.component_title} » (${session.provider_name}).\n\nAnciennes dates : du ${frDate(session.start_date)} au ${frDate(session.end_date)}.\nNouvelles dates : du ${frDate(newStart)} au ${frDate(newEnd)}.\nMotif : ${input.reason}\n\nLes parcours et le planning ont été décalés d'autant ; consultez votre planning.`
        : `Au point d'étape de 15 jours avant le démarrage, la Région a confirmé la session « ${session.component_title} » (${session.provider_name}), du ${frDate(newStart)} au ${frDate(newEnd)}.`;
    const recipients = new Map<string, string | null>();
    for (const u of await store.providerStaff(tx, session.provider_id)) recipients.set(u.email, u.id);
    if (input.decision === "postponed") for (const p of paths) if (p.email && open.includes(p.id) && !recipients.has(p.email)) recipients.set(p.email, null);
    const seatNote = seats.released.length
      ? `\n\nPlaces en site d'accès annulées faute de PC libre ou parce que la personne est déjà réservée ailleurs aux nouvelles dates (à réserver de nouveau) : ${seats.released.map((r) => `${r.trainee} le ${frDate(r.date)}`).join(", ")}.`
      : "";
    for (const [to, userId] of recipients) await notify(tx, { to, userId, subject, body: userId ? body + seatNote : body, entity: "session", entityId: sessionId });
    return { decision: input.decision, pathsMoved, slotsMoved, seats };
  });
}
