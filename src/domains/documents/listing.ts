// Every certificate the caller may read, as a list that scales (ADR 0030, issue 10 point 7): search
// on the trainee, the order, the component or the verification code; sorts; filters (in force or
// replaced, order, year of the period's end) — the same query for the page and the API.
import { sql } from "kysely";
import { z } from "zod";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { forbidden } from "../../core/errors.ts";
import { folded, keysetPage, listQuery, type Page, searchIn, type Sorts } from "../../core/listing.ts";
import { componentRows } from "../offer/views.ts";
import { orderLineRows, orderRows } from "../orders/views.ts";
import { pathRows, traineeRows } from "../paths/views.ts";

export const CERTIFICATE_SORTS = {
  issued_desc: { label: "Émission (plus récente d'abord)", expr: sql`ce.issued_at`, dir: "desc" },
  issued: { label: "Émission (plus ancienne d'abord)", expr: sql`ce.issued_at`, dir: "asc" },
  name: { label: "Stagiaire (A → Z)", expr: folded(sql`t.last_name || ' ' || t.first_name`), dir: "asc" },
  period_desc: { label: "Fin de période (plus récente d'abord)", expr: sql`ce.period_end`, dir: "desc" },
} satisfies Sorts;

export const CERTIFICATE_STATES = { in_force: "En vigueur", replaced: "Remplacé" } as const;

export const CertificateListQuery = listQuery(CERTIFICATE_SORTS, "issued_desc").extend({
  state: z.enum(["in_force", "replaced"]).optional().describe("in_force : en vigueur ; replaced : remplacés par une version suivante"),
  orderId: z.uuid().optional().describe("Commande"),
  year: z.coerce.number().int().min(2000).max(2100).optional().describe("Année de la fin de période"),
});
export type CertificateListParams = z.infer<typeof CertificateListQuery>;

export interface CertificateListItem {
  id: string;
  pathId: string;
  traineeFirstName: string;
  traineeLastName: string;
  orderId: string;
  orderNumber: string;
  componentTitle: string;
  periodStart: string;
  periodEnd: string;
  version: number;
  inForce: boolean;
  issuedAt: string;
  verificationCode: string;
}

const dateText = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

/** One keyset page of the certificates the caller sees: the Region all, a provider's staff their own. */
export async function pageCertificates(db: Db, actor: Actor, p: CertificateListParams): Promise<Page<CertificateListItem>> {
  if (actor.role !== "region_officer" && !isProviderStaff(actor)) throw forbidden("Réservé aux organismes et à la Région.");
  let q = db
    .selectFrom("certificate as ce")
    .innerJoin(pathRows().as("p"), "p.id", "ce.path_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .innerJoin(orderRows().as("o"), "o.id", "p.order_id")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "p.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .select([
      "ce.id",
      "ce.path_id",
      "ce.period_start",
      "ce.period_end",
      "ce.version",
      "ce.replaced_by",
      "ce.issued_at",
      "ce.verification_code",
      "t.first_name",
      "t.last_name",
      "o.id as order_id",
      "o.number as order_number",
      "c.title as component_title",
    ]);
  // Scoped first: another provider's certificates never enter the list, whatever the filters.
  if (actor.role !== "region_officer") q = q.where("p.provider_id", "=", actor.providerId ?? "00000000-0000-0000-0000-000000000000");
  if (p.state) q = q.where("ce.replaced_by", p.state === "in_force" ? "is" : "is not", null);
  if (p.orderId) q = q.where("p.order_id", "=", p.orderId);
  if (p.year) q = q.where("ce.period_end", ">=", `${p.year}-01-01`).where("ce.period_end", "<=", `${p.year}-12-31`);
  q = searchIn(q, p.q, [sql`t.last_name || ' ' || t.first_name`, sql`t.first_name || ' ' || t.last_name`, sql`o.number`, sql`c.title`, sql`ce.verification_code`]);
  const page = await keysetPage(q, CERTIFICATE_SORTS, p, sql<string>`ce.id`);
  return {
    next: page.next,
    items: page.items.map((r) => ({
      id: r.id,
      pathId: r.path_id,
      traineeFirstName: r.first_name,
      traineeLastName: r.last_name,
      orderId: r.order_id,
      orderNumber: r.order_number,
      componentTitle: r.component_title,
      periodStart: dateText(r.period_start),
      periodEnd: dateText(r.period_end),
      version: r.version,
      inForce: r.replaced_by === null,
      issuedAt: new Date(r.issued_at as unknown as string).toISOString(),
      verificationCode: r.verification_code,
    })),
  };
}
