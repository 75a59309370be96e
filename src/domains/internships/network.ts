// CP-COMPANY-NETWORK: the provider's partner companies and their tutors, searchable by job (ROME),
// sector and distance; a referent shares a filtered list with a trainee, who sees it in « Mon parcours ».
import { type Actor, isProviderStaff, ownProviderId, requireRole, requireVisible } from "../../core/auth/actor.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check } from "../../core/rules.ts";
import { newId } from "../../core/time.ts";
import { parseInput } from "../../core/validation.ts";
import { traineeRows } from "../paths/views.ts";
import { siretRule } from "../region/rules.ts";
import { CompanyInput, CompanySearch, ShareInput, TutorInput } from "./schema.ts";

const WRITERS = rolesFor("paths.write");

/** The département of an INSEE code or a postcode: 2 characters, 3 overseas (97x). */
export const departementOf = (code: string) => (code.length < 2 ? "" : code.startsWith("97") ? code.slice(0, 3) : code.slice(0, 2).toUpperCase());

/** Great-circle distance in km (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(r(b.lat - a.lat) / 2) ** 2 + Math.cos(r(a.lat)) * Math.cos(r(b.lat)) * Math.sin(r(b.lon - a.lon) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export async function createCompany(db: Db, actor: Actor, raw: unknown) {
  const providerId = ownProviderId(actor);
  requireRole(actor, ...WRITERS);
  const input = parseInput(CompanyInput, raw);
  const v = check(siretRule(input.siret)).map((x) => ({ ...x, field: "siret" }));
  if (v.length) throw DomainError.fromViolations(v);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const taken = await tx.selectFrom("company").select("id").where("provider_id", "=", providerId).where("siret", "=", input.siret).executeTakeFirst();
    if (taken) throw new DomainError("COMPANY-SIRET-TAKEN", 409, "Cette entreprise (même SIRET) figure déjà dans votre réseau.", [{ code: "COMPANY-SIRET-TAKEN", severity: "error", article: "", field: "siret", message: "Cette entreprise (même SIRET) figure déjà dans votre réseau." }]);
    await tx
      .insertInto("company")
      .values({ id, provider_id: providerId, siret: input.siret, name: input.name, address: input.address, postcode: input.postcode, commune: input.commune, commune_insee: input.communeInsee ?? null, latitude: input.latitude ?? null, longitude: input.longitude ?? null, sector: input.sector, rome_codes: input.romeCodes, found_by_trainee: input.foundByTrainee, created_by: actor.userId })
      .execute();
    await audit(tx, { actorId: actor.userId, action: "company.created", entity: "company", entityId: id, details: { siret: input.siret } });
  });
  return { id };
}

async function companyFor(db: Db, actor: Actor, id: string) {
  const c = await db.selectFrom("company").selectAll().where("id", "=", id).executeTakeFirst();
  if (!c) throw notFound("Entreprise");
  requireVisible(actor, c.provider_id, "Entreprise");
  return c;
}

export async function addTutor(db: Db, actor: Actor, companyId: string, raw: unknown) {
  const c = await companyFor(db, actor, companyId);
  requireRole(actor, ...WRITERS);
  const input = parseInput(TutorInput, raw);
  const id = newId();
  await db.insertInto("company_tutor").values({ id, company_id: c.id, provider_id: c.provider_id, full_name: input.fullName, job_title: input.jobTitle, email: input.email ?? null, phone: input.phone ?? null }).execute();
  return { id };
}

/** A company with its tutors and past placements (periods). */
export async function getCompany(db: Db, actor: Actor, id: string) {
  const c = await companyFor(db, actor, id);
  const tutors = await db.selectFrom("company_tutor").selectAll().where("company_id", "=", id).orderBy("full_name").execute();
  const placements = await db
    .selectFrom("company_period as p")
    .innerJoin("company_tutor as t", "t.id", "p.tutor_id")
    .select(["p.id", "p.start_date", "p.end_date", "p.status", "t.full_name as tutor"])
    .where("p.company_id", "=", id)
    .orderBy("p.start_date", "desc")
    .execute();
  return { ...c, tutors, placements };
}

/** The network, filtered by ROME code, sector and distance from a company's commune (staff: their provider's). */
export async function searchCompanies(db: Db, actor: Actor, raw: unknown) {
  const providerId = ownProviderId(actor);
  const f = parseInput(CompanySearch, raw);
  let q = db.selectFrom("company").selectAll().where("provider_id", "=", providerId);
  if (f.rome) q = q.where(({ eb, val }) => eb(val(f.rome!.toUpperCase()), "=", eb.fn.any("rome_codes")));
  if (f.sector) q = q.where("sector", "ilike", `%${f.sector.replace(/[%_\\]/g, (m) => `\\${m}`)}%`);
  const rows = await q.orderBy("name").limit(500).execute();
  const commune = f.commune?.trim();
  let from: { lat: number; lon: number } | null = null;
  if (commune) {
    // The platform holds no reference table of communes' coordinates: a commune's point is the mean of the
    // network's companies located in it (by INSEE code or name). Without one, the search falls back to the
    // commune's département (INSEE code or postcode prefix), without distances (docs/adr/0026).
    const all = await db.selectFrom("company").select(["commune", "commune_insee", "postcode", "latitude", "longitude"]).where("provider_id", "=", providerId).execute();
    const same = (r: { commune: string; commune_insee: string | null }) => r.commune_insee === commune || r.commune.toLowerCase() === commune.toLowerCase();
    const points = all.filter((r) => same(r) && r.latitude !== null && r.longitude !== null);
    if (points.length) from = { lat: points.reduce((n, r) => n + r.latitude!, 0) / points.length, lon: points.reduce((n, r) => n + r.longitude!, 0) / points.length };
    else {
      const known = all.find((r) => same(r));
      const dep = departementOf(/^\d[\dAB]\d{3}$/.test(commune) ? commune : (known?.commune_insee ?? known?.postcode ?? ""));
      return rows.filter((r) => dep !== "" && departementOf(r.commune_insee ?? r.postcode ?? "") === dep).map((r) => ({ ...r, km: null as number | null }));
    }
  }
  if (!from && f.nearCompanyId) {
    const origin = rows.find((r) => r.id === f.nearCompanyId) ?? (await db.selectFrom("company").selectAll().where("id", "=", f.nearCompanyId).where("provider_id", "=", providerId).executeTakeFirst());
    if (origin && origin.latitude !== null && origin.longitude !== null) from = { lat: origin.latitude, lon: origin.longitude };
  }
  if (!from) return rows.map((r) => ({ ...r, km: null as number | null }));
  return rows
    .filter((r) => r.latitude !== null && r.longitude !== null)
    .map((r) => ({ ...r, km: Math.round(distanceKm(from, { lat: r.latitude!, lon: r.longitude! })) }))
    .filter((r) => f.km === undefined || r.km <= f.km)
    .sort((a, b) => a.km - b.km);
}

/** Shares a filtered list of the network with a trainee (CP-COMPANY-NETWORK). */
export async function shareCompanies(db: Db, actor: Actor, raw: unknown) {
  const input = parseInput(ShareInput, raw);
  const trainee = await db.selectFrom(traineeRows().as("t")).select(["t.id", "t.provider_id"]).where("t.id", "=", input.traineeId).executeTakeFirst();
  if (!trainee) throw notFound("Stagiaire");
  requireVisible(actor, trainee.provider_id, "Stagiaire");
  requireRole(actor, ...WRITERS);
  const own = await db.selectFrom("company").select("id").where("provider_id", "=", trainee.provider_id).where("id", "in", input.companyIds).execute();
  if (own.length !== new Set(input.companyIds).size) throw notFound("Entreprise");
  const id = newId();
  await db.insertInto("company_share").values({ id, provider_id: trainee.provider_id, trainee_id: trainee.id, company_ids: [...new Set(input.companyIds)], note: input.note ?? null, shared_by: actor.userId }).execute();
  return { id };
}

/** What a trainee sees in « Mon parcours »: the companies shared with them, with tutors' contact. */
export async function sharedWithTrainee(db: Db, actor: Actor) {
  if (actor.role !== "trainee" || !actor.traineeId) return [];
  const shares = await db.selectFrom("company_share").selectAll().where("trainee_id", "=", actor.traineeId).orderBy("created_at", "desc").execute();
  const ids = [...new Set(shares.flatMap((s) => s.company_ids))];
  const companies = ids.length ? await db.selectFrom("company").select(["id", "name", "address", "postcode", "commune", "sector", "rome_codes"]).where("id", "in", ids).execute() : [];
  return shares.map((s) => ({ ...s, companies: companies.filter((c) => s.company_ids.includes(c.id)) }));
}

/** Staff of the provider for choosing a follow-up trainer. */
export const isStaffOf = (actor: Actor, providerId: string) => isProviderStaff(actor) && actor.providerId === providerId;

/** The provider's trainees, for sharing a list of companies with one of them. */
export const traineesOf = (db: Db, providerId: string) =>
  db.selectFrom(traineeRows().as("t")).select(["t.id", "t.first_name", "t.last_name"]).where("t.provider_id", "=", providerId).orderBy("t.last_name").orderBy("t.first_name").limit(500).execute();
