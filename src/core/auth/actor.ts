import type { Role } from "../db/schema.ts";
import { forbidden, notFound } from "../errors.ts";

/** Who is calling: every query is scoped by this (role + organisation). */
export interface Actor {
  userId: string;
  role: Role;
  fullName: string;
  email: string;
  providerId: string | null;
  prescriberOrganisationId: string | null;
  traineeId: string | null;
  /** The access site an 'access_site_staff' account works at (CP-EFORM-SITES); null for every other role. */
  accessSiteId?: string | null;
}

export const PROVIDER_ROLES: Role[] = ["provider_admin", "pedagogical_referent", "trainer"];

export const roleLabels: Record<Role, string> = {
  region_officer: "Chargé·e de mission Région",
  provider_admin: "Référent·e administratif·ve (organisme)",
  pedagogical_referent: "Référent·e pédagogique (organisme)",
  trainer: "Formateur·rice (organisme)",
  prescriber: "Prescripteur·rice",
  trainee: "Stagiaire",
  expert: "Prestataire expert (AMI modernisation)",
  access_site_staff: "Personnel d'un site d'accès e-formation",
};

export const isProviderStaff = (a: Actor) => PROVIDER_ROLES.includes(a.role);

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) throw forbidden("Votre rôle ne permet pas cette action.");
}

/** Provider staff act only on their own organisation's data; the Region sees every provider. */
export function requireProviderAccess(actor: Actor, providerId: string): void {
  if (actor.role === "region_officer") return;
  if (isProviderStaff(actor) && actor.providerId === providerId) return;
  throw forbidden();
}

/** Whether the caller sees a provider's data: the Region every provider's, provider staff their own. */
export const seesProvider = (actor: Actor, providerId: string): boolean =>
  actor.role === "region_officer" || (isProviderStaff(actor) && actor.providerId === providerId);

/**
 * For an object loaded by id: one of a provider the caller does not see answers exactly as an
 * unknown id (`${what} introuvable.`, 404), never 403 — a refusal would tell that it exists (no
 * existence leak). Check it before the role, so a role refusal is not a leak either.
 */
export function requireVisible(actor: Actor, providerId: string, what: string): void {
  if (!seesProvider(actor, providerId)) throw notFound(what);
}

/** The provider whose data a provider-staff caller may touch; throws for anyone else. */
export function ownProviderId(actor: Actor): string {
  if (!isProviderStaff(actor) || !actor.providerId) throw forbidden("Réservé au personnel d'un organisme de formation.");
  return actor.providerId;
}
