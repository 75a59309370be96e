// Gatherings of an e-formation session (CP-EFORM-GATHERINGS), the Region's authorisation of any other
// than the welcome day and exams, and what each trainee received at the welcome day (CP-EFORM-WELCOME-DAY).
import type { Actor } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit, logTransition } from "../../core/outbox.ts";
import { check, errorsOf } from "../../core/rules.ts";
import type { Clock } from "../../core/time.ts";
import { newId } from "../../core/time.ts";
import { parseInput } from "../../core/validation.ts";
import { changedMeanwhile, requireTransition } from "../../core/workflow.ts";
import * as gs from "./gathering-store.ts";
import * as rules from "./rules.ts";
import { DeliveryInput, GatheringDecisionInput, GatheringInput, GatheringRequestInput } from "./schema.ts";
import * as store from "./store.ts";
import { getSession, isUuid, ownSession, parisToday } from "./use-cases.ts";

const refuse = (violations: ReturnType<typeof check>) => {
  if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
};

/** The session's gatherings, requests, and the welcome-day checklist (trainee × item) with its warnings. */
export async function gatheringsView(db: Db, actor: Actor, clock: Clock, sessionId: string) {
  const session = await getSession(db, actor, sessionId);
  const [gatherings, requests, paths] = await Promise.all([gs.gatheringsOf(db, sessionId), gs.requestsOf(db, sessionId), store.pathsOfSession(db, sessionId)]);
  const welcome = gatherings.find((g) => g.kind === "welcome_day") ?? null;
  const delivered = welcome ? await gs.deliveriesOf(db, welcome.id) : [];
  const trainees = paths
    .filter((p) => p.status !== "dropped")
    .map((p) => {
      const got = new Set(delivered.filter((d) => d.path_id === p.id).map((d) => d.item));
      return { pathId: p.id, name: `${p.first_name} ${p.last_name}`, received: rules.DELIVERY_ITEMS.filter((i) => got.has(i)), missing: rules.DELIVERY_ITEMS.filter((i) => !got.has(i)) };
    });
  const warnings = check(
    rules.welcomeDay({ welcomeDate: welcome?.gathering_date ?? null, today: parisToday(clock), missing: trainees.filter((t) => t.missing.length).map((t) => ({ trainee: t.name, items: t.missing })) }),
  );
  return { session, gatherings, requests, welcome, trainees, warnings };
}
export type GatheringsView = Awaited<ReturnType<typeof gatheringsView>>;

/**
 * CP-EFORM-GATHERINGS, CP-EFORM-WELCOME-DAY: the provider records a gathering. An "other" one needs an
 * authorised request of this session, not used yet; the welcome day is the session's first day, once.
 */
export async function addGathering(db: Db, actor: Actor, clock: Clock, sessionId: string, raw: unknown): Promise<string> {
  const session = await ownSession(db, actor, sessionId);
  const input = parseInput(GatheringInput, raw);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const existing = await gs.gatheringsOf(tx, sessionId);
    const request = input.kind === "other" && input.requestId ? await gs.lockRequest(tx, input.requestId) : undefined;
    const authorised = !!request && request.session_id === sessionId && request.status === "authorised" && !existing.some((g) => g.request_id === request.id);
    refuse(
      check(
        rules.gatheringAllowed(input.kind, authorised),
        rules.gatheringDate({ kind: input.kind, date: authorised ? request.gathering_date : input.date, start: session.start_date, end: session.end_date, hasWelcomeDay: existing.some((g) => g.kind === "welcome_day") }),
      ),
    );
    const date = authorised ? request.gathering_date : input.date;
    await gs.insertGathering(tx, { id, session_id: sessionId, provider_id: session.provider_id, kind: input.kind, gathering_date: date, place: authorised ? request.place : input.place, request_id: authorised ? request.id : null, created_by: actor.userId, created_at: clock.now() });
    await audit(tx, { actorId: actor.userId, action: "eformation.gathering", entity: "session", entityId: sessionId, details: { gatheringId: id, kind: input.kind, date, requestId: request?.id ?? null } });
  });
  return id;
}

/** CP-EFORM-GATHERINGS: the provider files an argued request for another gathering, within the session's dates. */
export async function fileGatheringRequest(db: Db, actor: Actor, clock: Clock, sessionId: string, raw: unknown): Promise<string> {
  const session = await ownSession(db, actor, sessionId);
  const input = parseInput(GatheringRequestInput, raw);
  refuse(check(rules.gatheringDate({ kind: "other", date: input.date, start: session.start_date, end: session.end_date, hasWelcomeDay: false })));
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await gs.insertRequest(tx, { id, session_id: sessionId, provider_id: session.provider_id, gathering_date: input.date, place: input.place, argument: input.argument, filed_by: actor.userId, filed_at: clock.now() });
    await logTransition(tx, { entity: "eformation_gathering_request", entityId: id, from: null, to: "filed", actorId: actor.userId });
    await audit(tx, { actorId: actor.userId, action: "eformation.gathering_request", entity: "session", entityId: sessionId, details: { requestId: id, date: input.date } });
  });
  return id;
}

/** CP-EFORM-GATHERINGS: the Region authorises or refuses (with its reason) a request; the provider may withdraw it (GATHERING_REQUEST_TRANSITIONS). */
export async function decideGatheringRequest(db: Db, actor: Actor, clock: Clock, requestId: string, raw: unknown): Promise<{ status: rules.GatheringRequestStatus }> {
  const found = isUuid(requestId) ? await gs.findRequest(db, requestId) : undefined;
  if (!found) throw notFound("Demande de regroupement");
  const session = await getSession(db, actor, found.session_id).catch(() => {
    throw notFound("Demande de regroupement");
  });
  const input = parseInput(GatheringDecisionInput, raw);
  if (input.decision === "withdrawn" && actor.providerId !== session.provider_id) throw forbidden("Réservé à l'organisme de la session.");
  const reason = input.reason ? input.reason : null;
  await db.transaction().execute(async (tx) => {
    const r = await gs.lockRequest(tx, requestId);
    if (!r) throw notFound("Demande de regroupement");
    requireTransition(rules.GATHERING_REQUEST_TRANSITIONS, rules.gatheringRequestWording, r.status, input.decision, actor.role, { reason });
    const moved = await tx
      .updateTable("eformation_gathering_request")
      .set({ status: input.decision, region_reason: reason, decided_by: actor.userId, decided_at: clock.now() })
      .where("id", "=", requestId)
      .where("status", "=", r.status)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) throw changedMeanwhile("GATHERING_REQUEST_STATUS", "La demande");
    await logTransition(tx, { entity: "eformation_gathering_request", entityId: requestId, from: r.status, to: input.decision, reason, actorId: actor.userId });
    await audit(tx, { actorId: actor.userId, action: `eformation.gathering_request_${input.decision}`, entity: "session", entityId: r.session_id, details: { requestId, reason } });
  });
  return { status: input.decision };
}

/** CP-EFORM-WELCOME-DAY: the provider records what a trainee of the session received at the welcome day. */
export async function recordDeliveries(db: Db, actor: Actor, clock: Clock, sessionId: string, raw: unknown): Promise<void> {
  await ownSession(db, actor, sessionId);
  const input = parseInput(DeliveryInput, raw);
  await db.transaction().execute(async (tx) => {
    const welcome = (await gs.gatheringsOf(tx, sessionId)).find((g) => g.kind === "welcome_day");
    if (!welcome) throw new DomainError("CP-EFORM-WELCOME-DAY", 409, "Prévoyez d'abord la journée d'accueil : les remises s'y enregistrent.");
    const paths = await store.pathsOfSession(tx, sessionId);
    if (!paths.some((p) => p.id === input.pathId)) throw notFound("Stagiaire de la session");
    const items = [...new Set(input.items)];
    await gs.setDeliveries(tx, welcome.id, input.pathId, items, actor.userId, clock.now());
    await audit(tx, { actorId: actor.userId, action: "eformation.welcome_delivery", entity: "session", entityId: sessionId, details: { pathId: input.pathId, items } });
  });
}

/** The session of a request the caller sees (not found alike otherwise). */
export async function requestSession(db: Db, actor: Actor, requestId: string): Promise<string> {
  const r = isUuid(requestId) ? await gs.findRequest(db, requestId) : undefined;
  if (!r) throw notFound("Demande de regroupement");
  await getSession(db, actor, r.session_id).catch(() => {
    throw notFound("Demande de regroupement");
  });
  return r.session_id;
}
