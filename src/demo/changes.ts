// Demo: change requests (CP-MODIFICATION-REQUESTS) filed by a provider through the real use case — new
// bank details awaiting the Region's decision (with the RIB attached), and a contacts change the Region accepted.
import type { Transaction } from "kysely";
import type { Actor } from "../core/auth/actor.ts";
import type { DB } from "../core/db/schema.ts";
import { decideChangeRequest, fileChangeRequest } from "../domains/changes/use-cases.ts";
import { withinTransaction } from "./closed-order.ts";
import { REGION_EMAIL } from "./organisations.ts";

type Tx = Transaction<DB>;

const actorOf = async (tx: Tx, email: string): Promise<Actor> => {
  const u = await tx.selectFrom("app_user").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  return { userId: u.id, role: u.role, fullName: u.full_name, email: u.email, providerId: u.provider_id, prescriberOrganisationId: null, traineeId: null };
};

/** A minimal PDF standing for the scanned RIB. */
const RIB = new TextEncoder().encode("%PDF-1.4\n% RIB de démonstration\n%%EOF\n");

export async function loadDemoChangeRequests(tx: Tx, now: Date): Promise<void> {
  const admin = await tx.selectFrom("app_user").select("email").where("role", "=", "provider_admin").orderBy("email").executeTakeFirst();
  if (!admin) return;
  const db = withinTransaction(tx);
  const provider = await actorOf(tx, admin.email);
  const region = await actorOf(tx, REGION_EMAIL);
  const clock = { now: () => now };
  await fileChangeRequest(
    db,
    provider,
    clock,
    { kind: "bank_details", iban: "FR7630006000011234567890189", bic: "AGRIFRPP", accountHolder: "Organisme de démonstration", reason: "Changement de banque au 1er du mois." },
    [{ filename: "rib.pdf", contentType: "application/pdf", bytes: RIB }],
  );
  const contacts = await fileChangeRequest(db, provider, clock, { kind: "contacts", contactEmail: "contact@organisme.demo", contactPhone: "05 61 00 00 00", reason: "Nouvelle adresse de contact." });
  await decideChangeRequest(db, region, clock, contacts.id, { decision: "accepted" });
}
