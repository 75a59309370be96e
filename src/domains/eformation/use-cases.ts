// Occitanie e-formation (CCTP §3.3): validate → load → rules → write (+ audit) in one transaction.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import { requireCapability } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check, errorsOf, type Violation } from "../../core/rules.ts";
import type { Clock } from "../../core/time.ts";
import { parseInput } from "../../core/validation.ts";
import * as rules from "./rules.ts";
import { LotSettingInput, TypicalWeekInput } from "./schema.ts";
import * as store from "./store.ts";

export type ComponentWeekRow = store.ComponentWeekRow;
export type SessionListRow = store.SessionListRow;
export { formatDateFr as frDate } from "../../core/time.ts";

/** The e-formation sessions the caller sees. */
export async function listSessions(db: Db, actor: Actor): Promise<SessionListRow[]> {
  return store.eformationSessions(db, { providerId: readScope(actor) });
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
  return { component, findings: weekFindings(component), pathWarnings: await planSyncWarnings(db, paths, component.sync_min_percent), pathCount: paths.length };
}
