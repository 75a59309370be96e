// Who sees and writes what in the exit domain: a path is read by the Region, its provider's staff,
// the trainee themself and the prescriber of the candidacy that led to it; anyone else gets the 404
// of an unknown path (ADR 0012).
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import { may, requireCapability } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { notFound } from "../../core/errors.ts";
import { componentRows } from "../offer/views.ts";
import { orderLineRows, orderRows } from "../orders/views.ts";
import { pathRows, traineeRows } from "../paths/views.ts";
import { candidacyRows } from "../recruitment/views.ts";
import { lotRows, providerRows } from "../region/views.ts";

export type Q = Db;

/** One path with what the exit pages need: trainee, component, order and lot (framework end). */
export function pathHeads(db: Q) {
  return db
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "p.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(orderRows().as("o"), "o.id", "p.order_id")
    .innerJoin(lotRows().as("l"), "l.id", "o.lot_id")
    .innerJoin(providerRows().as("pr"), "pr.id", "p.provider_id")
    .select([
      "p.id",
      "p.status",
      "p.provider_id",
      "p.trainee_id",
      "p.order_id",
      "p.entry_date",
      "p.planned_exit_date",
      "p.actual_exit_date",
      "t.first_name",
      "t.last_name",
      "t.email",
      "t.birth_date",
      "c.id as component_id",
      "c.title as component_title",
      "c.category",
      "c.purpose",
      "c.content",
      "o.number as order_number",
      "o.planned_start as order_start",
      "o.planned_end as order_end",
      "l.framework_end",
      "pr.name as provider_name",
    ]);
}
export type PathHead = NonNullable<Awaited<ReturnType<ReturnType<typeof pathHeads>["executeTakeFirst"]>>>;

async function prescriberOf(db: Q, pathId: string) {
  return db.selectFrom(candidacyRows().as("cd")).select(["prescriber_organisation_id", "prescriber_user_id"]).where("path_id", "=", pathId).executeTakeFirst();
}

/** The path the actor may read; 404 (as unknown) otherwise. */
export async function readablePath(db: Q, actor: Actor, pathId: string): Promise<PathHead> {
  const head = await pathHeads(db).where("p.id", "=", pathId).executeTakeFirst();
  if (!head) throw notFound("Parcours");
  if (actor.role === "region_officer") return head;
  if (isProviderStaff(actor) && actor.providerId === head.provider_id) return head;
  if (actor.role === "trainee" && actor.traineeId === head.trainee_id) return head;
  if (actor.role === "prescriber" && actor.prescriberOrganisationId) {
    const p = await prescriberOf(db, pathId);
    if (p?.prescriber_organisation_id === actor.prescriberOrganisationId) return head;
  }
  throw notFound("Parcours");
}

/** The provider's staff holding `capability` on this path (others: 404 first, then 403). */
export async function staffPath(db: Q, actor: Actor, pathId: string, capability: "paths.write" | "exams.record"): Promise<PathHead> {
  const head = await pathHeads(db).where("p.id", "=", pathId).executeTakeFirst();
  if (!head || !(isProviderStaff(actor) && actor.providerId === head.provider_id)) throw notFound("Parcours");
  requireCapability(actor, capability);
  return head;
}

export const canRecord = (actor: Actor, providerId: string) => isProviderStaff(actor) && actor.providerId === providerId && may(actor, "exams.record");
export const canWrite = (actor: Actor, providerId: string) => isProviderStaff(actor) && actor.providerId === providerId && may(actor, "paths.write");

export { prescriberOf };
