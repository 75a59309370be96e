// Kysely queries of the recruitment tables (candidate, candidacy, continuation_slip, attachment,
// refusal_reason). Only this domain touches them.
import type { Kysely, Transaction } from "kysely";
import type { CandidacyStatus, DB } from "../../core/db/schema.ts";
import { newId } from "../../core/time.ts";
import type { CandidateInput } from "./schema.ts";
import { sessionRows } from "../sessions/views.ts";
import { orderLineRows, orderRows } from "../orders/views.ts";
import { componentRows } from "../offer/views.ts";
import { providerRows } from "../region/views.ts";
import { prescriberOrganisationRows } from "../prescribers/views.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { transitionLogRows } from "../../core/outbox.ts";

type Q = Kysely<DB> | Transaction<DB>;

export async function insertCandidate(tx: Q, input: CandidateInput): Promise<string> {
  const id = newId();
  await tx
    .insertInto("candidate")
    .values({
      id,
      first_name: input.firstName,
      last_name: input.lastName,
      birth_date: input.birthDate,
      email: input.email || null,
      phone: input.phone || null,
      france_travail_id: input.franceTravailId || null,
      job_seeker_registered: input.jobSeekerRegistered,
      highest_diploma_level: input.highestDiplomaLevel ?? null,
      residence_departement_code: input.residenceDepartementCode || null,
    })
    .execute();
  return id;
}

/** One candidacy with its candidate, session, component, prescriber and slip: what every screen needs. */
export function candidacyQuery(db: Q) {
  return db
    .selectFrom("candidacy as cy")
    .innerJoin("candidate as ca", "ca.id", "cy.candidate_id")
    .innerJoin(sessionRows().as("s"), "s.id", "cy.session_id")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("co"), "co.id", "ol.component_id")
    .innerJoin(providerRows().as("p"), "p.id", "cy.provider_id")
    .leftJoin(prescriberOrganisationRows().as("po"), "po.id", "cy.prescriber_organisation_id")
    .leftJoin("continuation_slip as cs", "cs.candidacy_id", "cy.id")
    .leftJoin("refusal_reason as rr", (j) => j.onRef("rr.code", "=", "cy.refusal_reason_code").onRef("rr.version", "=", "cy.refusal_reason_version"))
    .select([
      "cy.id",
      "cy.status",
      "cy.origin",
      "cy.provider_id",
      "cy.session_id",
      "cy.prescriber_organisation_id",
      "cy.prescriber_user_id",
      "cy.project",
      "cy.support_given",
      "cy.attachment_id",
      "cy.assessment_score",
      "cy.refusal_reason_code",
      "cy.refusal_reason_version",
      "cy.message_to_candidate",
      "cy.message_to_prescriber",
      "cy.continuation_justification",
      "cy.registration_help",
      "cy.summoned_for",
      "cy.path_id",
      "cy.created_at",
      "cy.candidate_id",
      "ca.first_name",
      "ca.last_name",
      "ca.birth_date",
      "ca.email",
      "ca.phone",
      "ca.france_travail_id",
      "ca.job_seeker_registered",
      "ca.highest_diploma_level",
      "s.start_date as session_start",
      "s.end_date as session_end",
      "s.site_id as session_site_id",
      "s.order_line_id",
      "o.id as order_id",
      "o.number as order_number",
      "co.title as component_title",
      "co.category as component_category",
      "co.level_2019 as component_level",
      "co.e_formation",
      "p.name as provider_name",
      "po.name as prescriber_name",
      "rr.label as refusal_reason_label",
      "cs.id as slip_id",
      "cs.from_provider_id",
      "cs.from_provider_name",
      "cs.from_scheme",
      "cs.from_action",
      "cs.entered_by_role as slip_entered_by_role",
      "cs.received_on as slip_received_on",
      "cs.answered_on as slip_answered_on",
      "cs.answer as slip_answer",
      "cs.answer_entry_date as slip_answer_entry_date",
      "cs.answer_reason as slip_answer_reason",
    ]);
}
export type CandidacyRow = Awaited<ReturnType<ReturnType<typeof candidacyQuery>["executeTakeFirstOrThrow"]>>;

export async function loadCandidacy(db: Q, id: string): Promise<CandidacyRow | undefined> {
  return candidacyQuery(db).where("cy.id", "=", id).executeTakeFirst();
}

export async function activeRefusalReasons(db: Q) {
  return db.selectFrom("refusal_reason").select(["code", "version", "label"]).where("active", "=", true).orderBy("label").execute();
}

export async function currentRefusalReason(db: Q, code: string) {
  return db.selectFrom("refusal_reason").select(["code", "version", "label"]).where("code", "=", code).where("active", "=", true).orderBy("version", "desc").executeTakeFirst();
}

export async function history(db: Q, candidacyId: string) {
  return db
    .selectFrom(transitionLogRows().as("t"))
    .leftJoin(accountRows().as("u"), "u.id", "t.actor_id")
    .select(["t.from_status", "t.to_status", "t.reason", "t.at", "u.full_name as actor_name"])
    .where("t.entity", "=", "candidacy")
    .where("t.entity_id", "=", candidacyId)
    .orderBy("t.id")
    .execute();
}

/** Who hears about a candidacy besides the candidate: prescriber advisers and provider 1's staff. */
export async function prescriberRecipients(db: Q, prescriberUserId: string | null, organisationId: string | null) {
  let q = db.selectFrom(accountRows().as("app_user")).select(["id", "email"]).where("active", "=", true).where("role", "=", "prescriber");
  if (prescriberUserId) q = q.where("id", "=", prescriberUserId);
  else if (organisationId) q = q.where("prescriber_organisation_id", "=", organisationId);
  else return [];
  return q.execute();
}

export async function providerAdmins(db: Q, providerId: string) {
  return db.selectFrom(accountRows().as("app_user")).select(["id", "email"]).where("active", "=", true).where("role", "=", "provider_admin").where("provider_id", "=", providerId).execute();
}

/** Conditional on the status read: a concurrent decision makes this return false (nothing written). */
export async function setStatus(tx: Q, id: string, from: CandidacyStatus, to: CandidacyStatus, changes: Record<string, unknown> = {}) {
  const r = await tx
    .updateTable("candidacy")
    .set({ ...changes, status: to, updated_at: new Date() })
    .where("id", "=", id)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const newCandidacyId = newId;
