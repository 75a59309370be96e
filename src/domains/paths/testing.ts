// Helpers shared by the paths domain's integration tests (test-only: nothing in src imports this).
import assert from "node:assert/strict";
import type { Actor } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { Modality } from "../../core/db/schema.ts";
import { DomainError } from "../../core/errors.ts";
import { newId } from "../../core/time.ts";
import { createUser } from "../../../test/support/app.ts";
import { standardModules, type ModuleSpec, type OrderFixture } from "../../../test/support/fixtures.ts";
import type { PlanInput, RegistrationInput } from "./schema.ts";
import { recordPositioning, registerTrainee } from "./use-cases.ts";

export async function actorOf(db: Db, email: string): Promise<Actor> {
  const u = await db.selectFrom("app_user").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  return { userId: u.id, role: u.role, fullName: u.full_name, email: u.email, providerId: u.provider_id, prescriberOrganisationId: null, traineeId: null };
}

export async function actorFor(db: Db, email: string, role: Actor["role"], providerId?: string): Promise<Actor> {
  let prescriberOrganisationId: string | undefined;
  if (role === "prescriber") {
    prescriberOrganisationId = newId();
    await db.insertInto("prescriber_organisation").values({ id: prescriberOrganisationId, name: `Agence ${prescriberOrganisationId}`, kind: "france_travail" }).execute();
  }
  await createUser(db, { email, role, providerId, prescriberOrganisationId });
  return { ...(await actorOf(db, email)), prescriberOrganisationId: prescriberOrganisationId ?? null };
}

/** Adds a second component (and its order line) to the fixture's order: mixed or multi-line orders. */
export async function addLine(
  db: Db,
  fx: OrderFixture,
  opts: { eFormation?: boolean; headcount?: number; centreMinutes: number; companyMinutes?: number; modules?: ModuleSpec[] },
) {
  const componentId = newId();
  await db
    .insertInto("component")
    .values({
      id: componentId,
      provider_id: fx.providerId,
      lot_id: fx.lotId,
      title: opts.eFormation ? "Bureautique en e-formation" : "Allemand professionnel",
      category: "transverse",
      e_formation: opts.eFormation ?? false,
      offer_status: "accepted",
      hybrid_status: "none",
    })
    .execute();
  await db.insertInto("component_site").values({ component_id: componentId, site_id: fx.siteId }).execute();
  const moduleIds: Record<string, string> = {};
  await db
    .insertInto("module")
    .values(
      (opts.modules ?? standardModules).map((m, i) => {
        const id = newId();
        moduleIds[m.title] = id;
        return { id, component_id: componentId, title: m.title, minutes: m.minutes, modality: m.modality, content_tag: m.tag ?? null, position: i };
      }),
    )
    .execute();
  const orderLineId = newId();
  await db
    .insertInto("order_line")
    .values({
      id: orderLineId,
      order_id: fx.orderId,
      component_id: componentId,
      headcount: opts.headcount ?? 1,
      average_path_centre_minutes: opts.centreMinutes,
      average_path_company_minutes: opts.companyMinutes ?? 0,
    })
    .execute();
  await db.insertInto("order_line_site").values({ order_line_id: orderLineId, site_id: fx.siteId }).execute();
  return { componentId, orderLineId, moduleIds };
}

let traineeCount = 0;

/** Registers a trainee with a pedagogical referent, registered at France Travail, on the fixture's line. */
export async function register(db: Db, actor: Actor, fx: OrderFixture, over: Partial<RegistrationInput> = {}) {
  traineeCount++;
  return registerTrainee(db, actor, {
    firstName: "Camille",
    lastName: `Stagiaire ${traineeCount}`,
    email: `camille.stagiaire${traineeCount}@example.org`,
    birthDate: "1990-05-12",
    jobSeekerRegistered: true,
    pedagogicalReferentId: fx.referentId,
    orderLineId: fx.orderLineId,
    siteId: fx.siteId,
    entryDate: "2026-03-02",
    plannedExitDate: "2026-06-30",
    ...over,
  });
}

/** A complete positioning (restitution and full deliverable): only its duration varies. */
export async function position(db: Db, actor: Actor, pathId: string, minutes = 240, over: Record<string, unknown> = {}) {
  return recordPositioning(db, actor, pathId, {
    minutes,
    evaluations: "Tests écrits et entretien",
    restitutionOn: "2026-03-03",
    priorLearning: "Niveau A2",
    competences: "Compréhension orale",
    recommendedMinutes: 9000,
    recommendedMethods: "Présentiel",
    ...over,
  });
}

type Item = PlanInput["items"][number];
export const mod = (moduleId: string, modality: Modality, plannedMinutes: number, extra: Partial<Item> = {}): Item => ({
  moduleId,
  modality,
  plannedMinutes,
  exempted: false,
  selfStudyLocation: modality === "self_study" ? "centre" : null,
  ...extra,
});
export const company = (plannedMinutes: number): Item => ({ moduleId: null, modality: "company", plannedMinutes, exempted: false, label: "Stage" });

export const plan = (items: Item[], over: Partial<PlanInput> = {}): PlanInput => ({ entryDate: "2026-03-02", plannedExitDate: "2026-06-30", items, ...over });

/** Awaits a refusal and checks its HTTP status and rule ID. */
export async function refused(promise: Promise<unknown>, status: number, code: string): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    assert.equal(`${e.status} ${e.code}`, `${status} ${code}`, e.detail);
    return e;
  }
  assert.fail(`expected ${status} ${code}, the operation succeeded`);
}

export const codes = (violations: { code: string; severity: string }[], severity?: "error" | "warning") =>
  violations.filter((v) => !severity || v.severity === severity).map((v) => v.code);
