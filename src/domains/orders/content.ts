// What an order's lines and co-funders must respect when placed or edited (CP-NO-FSE,
// CP-ORDER-FROM-OFFER, CP-SITE-IN-LOT, CP-COMPANY-MAX-70H, CP-PATH-MAX-200H).
import type { Db } from "../../core/db/index.ts";
import { check, type Violation } from "../../core/rules.ts";
import { siteInLot } from "../../core/territory.ts";
import { acceptedOfferForLot, sitesByIds } from "../offer/use-cases.ts";
import { lotDepartements } from "../region/use-cases.ts";
import * as rules from "./rules.ts";
import type { LineInput } from "./schema.ts";
import type * as store from "./store.ts";

export const fieldError = (field: string, message: string, code = "VALIDATION"): Violation => ({ code, severity: "error", message, article: "", field });

/** Postgres error codes the database raises when a hard rule held there is hit. */
export const pgCode = (e: unknown) => (typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined);

export const lineColumns = (l: LineInput) => ({
  headcount: l.headcount,
  average_path_centre_minutes: l.averagePathCentreMinutes,
  average_path_company_minutes: l.averagePathCompanyMinutes,
});

/**
 * Checks an order's lines and co-funders against the rules. `previous` lines (when editing) stay
 * valid for CP-ORDER-FROM-OFFER even if the offer changed since they were ordered: that rule
 * governs what a line may newly name. The lot's territory is read under its share lock
 * (lotDepartements): a territory edit and this check do not cross.
 */
export async function checkContent(
  db: Db,
  lotId: string,
  providerId: string,
  coFunders: string[],
  lines: LineInput[],
  previous: store.LineRow[] = [],
): Promise<Violation[]> {
  const accepted = await acceptedOfferForLot(db, providerId, lotId);
  const offer: rules.OfferComponent[] = accepted.map((c) => ({ id: c.id, title: c.title, siteIds: c.siteIds }));
  for (const p of previous) {
    const known = offer.find((c) => c.id === p.componentId);
    const kept = p.sites.map((s) => s.id);
    if (known) known.siteIds = [...new Set([...known.siteIds, ...kept])];
    else offer.push({ id: p.componentId, title: p.componentTitle, siteIds: kept });
  }
  const territory = await lotDepartements(db, lotId);
  const sites = await sitesByIds(db, [...new Set(lines.flatMap((l) => l.siteIds))]);
  const violations: Violation[] = [rules.noFse(coFunders)].filter((v) => v !== undefined);
  lines.forEach((line, i) => {
    const first = lines.findIndex((l) => l.componentId === line.componentId);
    if (first !== i) {
      violations.push(fieldError(`lines.${i}.componentId`, `Ligne ${i + 1} : cette composante figure déjà à la ligne ${first + 1} ; une composante n'a qu'une ligne par commande.`));
      return;
    }
    const lineSites = sites.filter((s) => line.siteIds.includes(s.id)).map((s) => ({ id: s.id, name: s.name, departementCode: s.departement_code }));
    violations.push(
      ...check(
        rules.orderFromOffer(line, offer, i),
        siteInLot(lineSites, territory, { prefix: `Ligne ${i + 1} : `, field: `lines.${i}.siteIds` }),
        rules.averageCompanyMax70h(line, i),
        rules.averagePathMax200h(line, i),
      ),
    );
  });
  return violations;
}
