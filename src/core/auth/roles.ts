// The role table: what each provider role may do, in one place (docs/roles.md). Domains ask
// `may(actor, "offer.write")` or `requireCapability(...)` instead of listing roles themselves.
import type { Role } from "../db/schema.ts";
import { forbidden } from "../errors.ts";
import type { Actor } from "./actor.ts";

export const ROLE_TABLE = {
  /** Sites, components and modules of the provider's offer (trainers teach it, they don't write it). */
  "offer.write": ["provider_admin", "pedagogical_referent"],
  /** Sessions and information meetings. */
  "sessions.write": ["provider_admin", "pedagogical_referent"],
  /** Candidacies: selection, decisions, paper prescriptions, imports. */
  "recruitment.decide": ["provider_admin", "pedagogical_referent"],
  /** Trainees, positioning, individual paths, deposits. */
  "paths.write": ["provider_admin", "pedagogical_referent"],
  /** Slots, closures and the schedule. */
  "schedule.write": ["provider_admin", "pedagogical_referent"],
  /** The attendance sheet of a slot: open, mark, countersign, paper fallback, links. */
  "attendance.keep": ["provider_admin", "pedagogical_referent", "trainer"],
  /** Certificates and billing statements. */
  "documents.issue": ["provider_admin", "pedagogical_referent"],
  /** Mock exams, exam results and soft-skill observations (trainers record them too). */
  "exams.record": ["provider_admin", "pedagogical_referent", "trainer"],
  /** The modernisation call (AMI): fill, save and submit the organisation's application. */
  "ami.apply": ["provider_admin"],
  /** The modernisation call (AMI): an expert provider's consultant records diagnostic, plan, progress, deliverables. */
  "ami.expertise": ["expert"],
  /** Change requests to the Region (bank details, SIRET, sites, order changes…): the administrative referent. */
  "changes.file": ["provider_admin"],
  /** The provider's trainers, their CVs and qualifications (CP-TRAINER-CHANGE). */
  "trainers.write": ["provider_admin", "pedagogical_referent"],
  /** Seats at Occitanie e-formation access sites: book, cancel, move a trainee back home (CP-EFORM-SITES). */
  "accessSites.book": ["provider_admin", "pedagogical_referent"],
  /** Point a booked trainee's arrival or no-show at an access site (with the Region). */
  "accessSites.attend": ["provider_admin", "pedagogical_referent", "trainer", "access_site_staff"],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof ROLE_TABLE;

/** The roles holding a capability (a copy: callers may keep it in their own tables). */
export const rolesFor = (capability: Capability): Role[] => [...ROLE_TABLE[capability]];

export const may = (actor: Pick<Actor, "role">, capability: Capability): boolean => (ROLE_TABLE[capability] as readonly Role[]).includes(actor.role);

/** 403 when the caller's role lacks the capability (checked after visibility: no existence leak). */
export function requireCapability(actor: Actor, capability: Capability): void {
  if (!may(actor, capability)) throw forbidden("Votre rôle ne permet pas cette action.");
}
