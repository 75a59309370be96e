// CP-SITE-IN-LOT, the one reading shared by the offer (a component's sites, a site moved), the orders
// (an order line's sites) and the lot edit (a territory shrunk under sites in use): a site lies in
// its lot when its département is one of the lot's.
import { err, type RuleResult } from "./rules.ts";

export interface LotSite {
  id: string;
  name: string;
  departementCode: string;
  /** What places the site in the lot ("composante « … »", "commande BC-…"), named in the message. */
  usedBy?: string;
}

/**
 * CP-SITE-IN-LOT (hard, CCTP §4.1.2): every site lies in the lot's départements. `where.prefix`
 * starts the message ("Ligne 2 : "), `where.field` names the input it concerns.
 */
export function siteInLot(sites: LotSite[], lotDepartements: string[], where: { field?: string; prefix?: string } = {}): RuleResult {
  const outside = sites.filter((s) => !lotDepartements.includes(s.departementCode));
  if (outside.length === 0) return undefined;
  const named = outside.map((s) => `le site « ${s.name} » (${s.departementCode})${s.usedBy ? ` — ${s.usedBy}` : ""}`);
  const first = `${where.prefix ?? ""}${named.join(", ")}`;
  return err(
    "CP-SITE-IN-LOT",
    "CCTP §4.1.2",
    `${where.prefix ? first : first.charAt(0).toUpperCase() + first.slice(1)} ${outside.length > 1 ? "sont" : "est"} hors du territoire du lot (départements ${lotDepartements.join(", ") || "aucun"}) (CP-SITE-IN-LOT, CCTP §4.1.2).`,
    where.field ?? "siteIds",
    { siteIds: [...new Set(outside.map((s) => s.id))], departements: lotDepartements },
  );
}
