// Trainees other funders pay for (CP-GROUP-MAX-20: a group counts everyone in the room, any funder).
// The provider records them on a group — a component at a site, for the days they attend — and
// ticks them on the slots they attend; the paths' group count and the slots' room count see them.
import { de } from "../../core/french.ts";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import type { Violation } from "../../core/rules.ts";
import { formatDateFr, newId } from "../../core/time.ts";
import type { OtherFundedInput, SlotFields } from "./schema.ts";
import { otherFundedRows } from "./store.ts";
import { requireScheduleWriter } from "./use-cases.ts";
import { componentRows, componentSiteRows } from "../offer/views.ts";

export interface OtherFundedTrainee {
  id: string;
  componentId: string;
  componentTitle: string;
  siteId: string;
  siteName: string;
  fullName: string;
  funder: string;
  startDate: string;
  endDate: string;
}

const view = (o: Awaited<ReturnType<typeof otherFundedRows>>[number]): OtherFundedTrainee => ({
  id: o.id,
  componentId: o.component_id,
  componentTitle: o.component_title,
  siteId: o.site_id,
  siteName: o.site_name,
  fullName: o.full_name,
  funder: o.funder,
  startDate: o.start_date,
  endDate: o.end_date,
});

const fieldError = (field: string, message: string) => new DomainError("VALIDATION", 422, message, [{ code: "VALIDATION", severity: "error", message, article: "", field }]);

/** Records an other-funded trainee on a group of the provider: a component of its offer at one of the component's sites. */
export async function recordOtherFunded(db: Db, actor: Actor, input: OtherFundedInput): Promise<string> {
  if (!actor.providerId) throw new DomainError("FORBIDDEN", 403, "Réservé aux organismes de formation.");
  requireScheduleWriter(actor, actor.providerId);
  const component = await db.selectFrom(componentRows().as("component")).select(["id", "provider_id"]).where("id", "=", input.componentId).executeTakeFirst();
  if (!component || component.provider_id !== actor.providerId) throw fieldError("componentId", "Choisissez une composante de votre offre.");
  const runsThere = await db.selectFrom(componentSiteRows().as("component_site")).select("site_id").where("component_id", "=", input.componentId).where("site_id", "=", input.siteId).executeTakeFirst();
  if (!runsThere) throw fieldError("siteId", "Cette composante ne se déroule pas sur ce site.");
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("other_funded_trainee")
      .values({ id, provider_id: actor.providerId!, component_id: input.componentId, site_id: input.siteId, full_name: input.fullName, funder: input.funder, start_date: input.startDate, end_date: input.endDate, created_by: actor.userId })
      .execute();
    await audit(tx, { actorId: actor.userId, action: "other_funded_trainee.recorded", entity: "other_funded_trainee", entityId: id, details: { funder: input.funder } });
  });
  return id;
}

/** The provider's other-funded trainees (the Region reads every provider's). */
export async function listOtherFunded(db: Db, actor: Actor): Promise<OtherFundedTrainee[]> {
  if (actor.role === "region_officer") return (await otherFundedRows(db, {})).map(view);
  if (!isProviderStaff(actor) || !actor.providerId) throw new DomainError("FORBIDDEN", 403, "Réservé aux organismes et à la Région.");
  return (await otherFundedRows(db, { providerId: actor.providerId })).map(view);
}

/** Removes a trainee recorded by mistake; one expected on a slot is taken off the slot first. */
export async function deleteOtherFunded(db: Db, actor: Actor, id: string): Promise<void> {
  const row = (await otherFundedRows(db, { ids: [id] }))[0];
  if (!row || !(isProviderStaff(actor) && actor.providerId === row.provider_id)) throw notFound("Stagiaire d'un autre financeur");
  requireScheduleWriter(actor, row.provider_id);
  await db.transaction().execute(async (tx) => {
    const onSlot = await tx.selectFrom("slot_other_funded").select("slot_id").where("other_funded_trainee_id", "=", id).executeTakeFirst();
    if (onSlot) throw new DomainError("OTHER-FUNDED-ON-SLOT", 409, `${row.full_name} est prévu·e sur des créneaux : retirez-l·e d'abord de ces créneaux.`);
    await tx.deleteFrom("other_funded_trainee").where("id", "=", id).execute();
    await audit(tx, { actorId: actor.userId, action: "other_funded_trainee.deleted", entity: "other_funded_trainee", entityId: id });
  });
}

/** Other-funded trainees on a slot are recorded on its group (component, site) for its day. */
export async function judgeOtherFunded(tx: Db, providerId: string, componentId: string, s: SlotFields, ids: string[]): Promise<Violation[]> {
  if (ids.length === 0) return [];
  const rows = await otherFundedRows(tx, { providerId, ids });
  if (rows.length !== ids.length) throw notFound("Stagiaire d'un autre financeur");
  return rows.flatMap((o): Violation[] => {
    if (o.component_id !== componentId || (s.siteId && o.site_id !== s.siteId)) {
      return [{ code: "SLOT-TRAINEE", severity: "error", article: "", field: "otherFundedIds", message: `${o.full_name} (${o.funder}) est inscrit·e sur un autre groupe (${o.component_title}, ${o.site_name}).` }];
    }
    if (s.date < o.start_date || s.date > o.end_date) {
      return [{ code: "SLOT-TRAINEE", severity: "error", article: "", field: "otherFundedIds", message: `Le ${formatDateFr(s.date)} est hors de la présence ${de(o.full_name)} (${o.funder}) dans le groupe, du ${formatDateFr(o.start_date)} au ${formatDateFr(o.end_date)}.` }];
    }
    return [];
  });
}

