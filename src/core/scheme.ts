// The scheme's limits and rules that several domains judge (orders size their lines with them,
// paths plan and realise under them, recruitment warns with them): each exists here once.
import { err, type RuleResult, warn } from "./rules.ts";

/** CP-PATH-MAX-200H (§12.1): every modality of a path, positioning included. */
export const PATH_MAX_MINUTES = 200 * 60;
/** CP-COMPANY-MAX-70H: all company periods of a path together. */
export const COMPANY_MAX_MINUTES = 70 * 60;

/**
 * CP-ELIGIBLE-PUBLIC (CCTP §2.1, §2.2): only registered job seekers enter. Hard at entry; a
 * warning when a candidacy is received or a trainee registered, so the help to register is tracked.
 */
export function eligiblePublic(registered: boolean, at: "candidacy" | "registration" | "entry"): RuleResult {
  if (registered) return undefined;
  const who = at === "candidacy" ? "Le candidat" : "Le stagiaire";
  const message = `${who} n'est pas inscrit comme demandeur d'emploi à France Travail : l'entrée en formation est impossible tant que l'inscription n'est pas faite (CP-ELIGIBLE-PUBLIC, CCTP §2.1).`;
  if (at === "entry") return err("CP-ELIGIBLE-PUBLIC", "CCTP §2.1, §2.2", message, "jobSeekerRegistered");
  const help = at === "candidacy" ? " La candidature est reçue ; notez l'aide apportée pour s'inscrire." : " Aidez-le à s'inscrire.";
  return warn("CP-ELIGIBLE-PUBLIC", "CCTP §2.1, §2.2", `${message}${help}`, "jobSeekerRegistered");
}
