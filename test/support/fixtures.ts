// Builds the offer and order a test needs, straight into the tables (the tests of the offer and
// orders domains cover how those rows are made through their use cases).
import type { Db } from "../../src/core/db/index.ts";
import type { ContentTag, Modality } from "../../src/core/db/schema.ts";
import { newId } from "../../src/core/time.ts";
import { createUser } from "./app.ts";

export interface ModuleSpec {
  title: string;
  minutes: number;
  modality: Modality;
  tag?: ContentTag;
  prep?: "written" | "oral";
}

/** A component of about 190 h: every transverse content, TRE 14 h, a distance and a self-study module. */
export const standardModules: ModuleSpec[] = [
  { title: "Anglais général", minutes: 6000, modality: "centre" },
  { title: "Anglais à distance (tutorat)", minutes: 1800, modality: "distance" },
  { title: "Autoformation guidée", minutes: 1200, modality: "self_study" },
  { title: "Usages numériques", minutes: 600, modality: "centre", tag: "digital" },
  { title: "Savoir-être professionnels", minutes: 420, modality: "centre", tag: "soft_skills" },
  { title: "Transition écologique", minutes: 240, modality: "centre", tag: "ecological_transition" },
  { title: "Techniques de recherche d'emploi", minutes: 840, modality: "centre", tag: "job_search" },
  { title: "Remise à niveau", minutes: 300, modality: "centre", tag: "refresher" },
];

export interface OrderFixture {
  providerId: string;
  lotId: string;
  siteId: string;
  componentId: string;
  moduleIds: Record<string, string>;
  orderId: string;
  orderLineId: string;
  adminEmail: string;
  referentId: string;
  regionEmail: string;
}

const departements = [["31", "Haute-Garonne"], ["81", "Tarn"], ["34", "Hérault"]];

let counter = 0;
const siretFor = (n: number) => {
  // 13 digits + a Luhn check digit
  const base = String(10_000_000_000_00 + n).padStart(13, "0").slice(0, 13);
  for (let d = 0; d < 10; d++) {
    const s = base + d;
    let sum = 0;
    for (let i = 0; i < 14; i++) {
      let x = Number(s[13 - i]);
      if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error("unreachable");
};

export async function createOrderFixture(
  db: Db,
  opts: {
    eFormation?: boolean;
    hybrid?: "none" | "requested" | "approved" | "refused";
    plannedStart?: string;
    plannedEnd?: string;
    frameworkEnd?: string;
    headcount?: number;
    centreMinutes?: number;
    companyMinutes?: number;
    unitPriceCents?: number;
    modules?: ModuleSpec[];
    lotId?: string;
  } = {},
): Promise<OrderFixture> {
  const n = ++counter + Math.floor(Math.random() * 100000) * 100;
  for (const [code, name] of departements) {
    await db.insertInto("departement").values({ code, name }).onConflict((oc) => oc.doNothing()).execute();
  }
  let lotId = opts.lotId;
  if (!lotId) {
    lotId = newId();
    await db.insertInto("lot").values({ id: lotId, code: `LOT-${n}`, name: `Lot ${n}`, framework_end: opts.frameworkEnd ?? "2027-12-31" }).execute();
    await db.insertInto("lot_departement").values([{ lot_id: lotId, departement_code: "31" }, { lot_id: lotId, departement_code: "81" }]).execute();
  }
  const providerId = newId();
  await db.insertInto("provider").values({ id: providerId, name: `Organisme ${n}`, siret: siretFor(n) }).execute();
  const siteId = newId();
  await db.insertInto("site").values({ id: siteId, provider_id: providerId, name: `Site ${n}`, address: "1 rue du Test", postcode: "31000", commune: "Toulouse", departement_code: "31" }).execute();
  const componentId = newId();
  await db
    .insertInto("component")
    .values({
      id: componentId,
      provider_id: providerId,
      lot_id: lotId,
      title: "Anglais professionnel (CECRL B1)",
      category: "transverse",
      e_formation: opts.eFormation ?? false,
      offer_status: "accepted",
      hybrid_status: opts.hybrid ?? "approved",
    })
    .execute();
  await db.insertInto("component_site").values({ component_id: componentId, site_id: siteId }).execute();
  const moduleIds: Record<string, string> = {};
  const modules = opts.modules ?? standardModules;
  await db
    .insertInto("module")
    .values(
      modules.map((m, i) => {
        const id = newId();
        moduleIds[m.title] = id;
        return { id, component_id: componentId, title: m.title, minutes: m.minutes, modality: m.modality, content_tag: m.tag ?? null, prep_part: m.prep ?? null, position: i };
      }),
    )
    .execute();
  const orderId = newId();
  await db
    .insertInto("order")
    .values({
      id: orderId,
      number: `BC-${n}`,
      lot_id: lotId,
      provider_id: providerId,
      planned_start: opts.plannedStart ?? "2026-02-01",
      planned_end: opts.plannedEnd ?? "2026-12-31",
      headcount: opts.headcount ?? 10,
      unit_price_cents: opts.unitPriceCents ?? 1200,
    })
    .execute();
  const orderLineId = newId();
  await db
    .insertInto("order_line")
    .values({
      id: orderLineId,
      order_id: orderId,
      component_id: componentId,
      headcount: opts.headcount ?? 10,
      average_path_centre_minutes: opts.centreMinutes ?? 9000,
      average_path_company_minutes: opts.companyMinutes ?? 3000,
    })
    .execute();
  await db.insertInto("order_line_site").values({ order_line_id: orderLineId, site_id: siteId }).execute();
  const adminEmail = `admin${n}@organisme.test`;
  await createUser(db, { email: adminEmail, role: "provider_admin", providerId, fullName: `Admin ${n}` });
  const referentId = await createUser(db, { email: `referent${n}@organisme.test`, role: "pedagogical_referent", providerId, fullName: `Référent ${n}` });
  const regionEmail = `region${n}@region.test`;
  await createUser(db, { email: regionEmail, role: "region_officer" });
  return { providerId, lotId, siteId, componentId, moduleIds, orderId, orderLineId, adminEmail, referentId, regionEmail };
}
