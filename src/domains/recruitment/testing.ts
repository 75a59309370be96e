// Helpers of the recruitment tests (test-only: nothing in src imports this).
import type { Db } from "../../core/db/index.ts";
import { newId } from "../../core/time.ts";
import { createUser } from "../../../test/support/app.ts";
import type { OrderFixture } from "../../../test/support/fixtures.ts";

/** Authorised organisations of the reference data (migrations/20261122030000_reference_data.ts). */
export const FT_TOULOUSE = "2e536e39-06cc-4536-bc80-ce82685684ce";
export const ML_TOULOUSE = "7ed36b4d-09fe-4aed-bc7a-e96a6d560b48";

/** A session row as the sessions domain would publish it (fixture: straight into the table). */
export async function createSessionRow(db: Db, fx: OrderFixture, over: Partial<{ recruitment_open: boolean; published: boolean; start_date: string; end_date: string; recruitment_end: string | null; site: boolean; order_line_id: string }> = {}) {
  const id = newId();
  await db
    .insertInto("session")
    .values({
      id,
      provider_id: fx.providerId,
      order_line_id: over.order_line_id ?? fx.orderLineId,
      site_id: over.site === false ? null : fx.siteId,
      start_date: over.start_date ?? "2026-04-01",
      end_date: over.end_date ?? "2026-06-30",
      places: 12,
      recruitment_open: over.recruitment_open ?? true,
      recruitment_start: null,
      recruitment_end: over.recruitment_end ?? null,
      published_at: over.published === false ? null : new Date("2026-02-15T09:00:00Z"),
    })
    .execute();
  return id;
}

let n = 0;
export async function createPrescriber(db: Db, organisationId = FT_TOULOUSE) {
  const email = `conseiller${++n}-${newId().slice(0, 6)}@prescripteur.test`;
  await createUser(db, { email, role: "prescriber", prescriberOrganisationId: organisationId, fullName: `Conseiller ${n}` });
  return email;
}

export const candidate = (over: Record<string, unknown> = {}) => ({
  firstName: "Inès",
  lastName: "Martin",
  birthDate: "1995-02-14",
  email: "ines.martin@exemple.test",
  phone: "0601020304",
  franceTravailId: "1234567A",
  jobSeekerRegistered: true,
  highestDiplomaLevel: 3,
  project: "Devenir assistante commerciale export",
  supportGiven: "Bilan de compétences réalisé",
  ...over,
});
