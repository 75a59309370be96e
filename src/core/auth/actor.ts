import type { Role } from "../db/schema.ts";
import { forbidden } from "../errors.ts";

/** Who is calling: every query is scoped by this (role + organisation). */
export interface Actor {
  userId: string;
  role: Role;
  fullName: string;
  email: string;
  providerId: string | null;
  prescriberOrganisationId: string | null;
  traineeId: string | null;
}

export const PROVIDER_ROLES: Role[] = ["provider_admin", "pedagogical_referent", "trainer"];

export const roleLabels: Record<Role, string> = {
  region_officer: "Chargé·e de mission Région",
  provider_admin: "Référent·e administratif·ve (organisme)",
  pedagogical_referent: "Référent·e pédagogique (organisme)",
  trainer: "Formateur·rice (organisme)",
  prescriber: "Prescripteur·rice",
  trainee: "Stagiaire",
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

/** The provider whose data a provider-staff caller may touch; throws for anyone else. */
export function ownProviderId(actor: Actor): string {
  if (!isProviderStaff(actor) || !actor.providerId) throw forbidden("Réservé au personnel d'un organisme de formation.");
  return actor.providerId;
}
