// A provider's own file changed by an accepted change request (CP-MODIFICATION-REQUESTS): bank details,
// contacts, SIRET, legal representative, address, certificate. Runs in the caller's transaction (the
// change request's decision), with the same checks as the Region's own edit of the provider.
import type { Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";

type Tx = Transaction<DB>;
import { DomainError, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check, type Violation } from "../../core/rules.ts";
import { siretRule } from "./rules.ts";
import * as store from "./store.ts";

/** The columns of the provider a change request may set. */
export interface ProviderFilePatch {
  siret?: string;
  legal_representative?: string | null;
  address?: string | null;
  iban?: string | null;
  bic?: string | null;
  bank_account_holder?: string | null;
  contact_email?: string | null;
  contact_phone?: string | null;
  qualiopi_kind?: "qualiopi" | "certif_region" | null;
  qualiopi_issuer?: string | null;
  qualiopi_number?: string | null;
  qualiopi_valid_from?: string | null;
  qualiopi_valid_until?: string | null;
}

/**
 * Applies `patch` to the provider (row locked) and returns the values it replaced, for the request's
 * history. A SIRET is checked (key, not taken by another provider) exactly as in the Region's edit.
 */
export async function applyProviderPatch(tx: Tx, actorId: string, providerId: string, patch: ProviderFilePatch, reference: string): Promise<Record<string, unknown>> {
  const provider = await tx.selectFrom("provider").selectAll().where("id", "=", providerId).forUpdate().executeTakeFirst();
  if (!provider) throw notFound("Organisme");
  if (patch.siret !== undefined) {
    const violations = check(siretRule(patch.siret));
    if (violations.length > 0) throw DomainError.fromViolations(violations);
    if (await store.siretTaken(tx, patch.siret, providerId)) {
      const message = `Un autre organisme est déjà enregistré avec le SIRET ${patch.siret}.`;
      throw new DomainError("SIRET_TAKEN", 409, message, [{ code: "SIRET_TAKEN", severity: "error", message, article: "", field: "siret" }]);
    }
  }
  const before: Record<string, unknown> = {};
  for (const k of Object.keys(patch) as (keyof ProviderFilePatch)[]) before[k] = provider[k];
  await tx.updateTable("provider").set(patch).where("id", "=", providerId).execute();
  await audit(tx, { actorId, action: "provider.change", entity: "provider", entityId: providerId, details: { reference, before, after: patch } });
  return before;
}

/** A SIRET as a change request files it: its key (Luhn), and not another provider's. */
export async function judgeSiret(db: Db, providerId: string, siret: string): Promise<Violation[]> {
  const violations = check(siretRule(siret));
  if (violations.length > 0) return violations;
  if (await store.siretTaken(db, siret, providerId)) {
    return [{ code: "SIRET_TAKEN", severity: "error", message: `Un autre organisme est déjà enregistré avec le SIRET ${siret}.`, article: "", field: "siret" }];
  }
  return [];
}

/** The provider's current file (bank details, contacts, certificate…), unscoped: callers checked access. */
export const providerFile = (db: Db, providerId: string) => store.findProvider(db, providerId);
