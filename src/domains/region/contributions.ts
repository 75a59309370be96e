// Forbidden contributions (CP-CONTRIBUTION-RECOVERY, CCTP §2.5): the Region records a finding that a trainee
// paid something, requires the provider to refund the trainee (proof kept as an attachment) and may record a
// recovery claim against the provider. Each act is audited in its transaction.
import { z } from "zod";
import { type Actor, isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import { checkFile, type FileInput, readFile, storeFile } from "../../core/files.ts";
import { calendarDate, text } from "../../core/inputs.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit } from "../../core/outbox.ts";
import { check, formatEuros, type Violation } from "../../core/rules.ts";
import { type Clock, formatDateFr, newId, parisDate } from "../../core/time.ts";
import { parseInput } from "../../core/validation.ts";
import { traineeRows } from "../paths/views.ts";
import { contributionRefundOverdue, contributionRefundProof } from "./rules.ts";
import { providerRows } from "./views.ts";

const WHAT = "Constat";
const cents = (label: string) => z.number({ error: `${label} : montant en centimes attendu.` }).int(`${label} : centimes entiers.`).min(1, `${label} : supérieur à zéro.`).max(100_000_000, `${label} : trop élevé.`);

export const FindingInput = z
  .object({
    traineeId: z.string().uuid("Choisissez le ou la stagiaire."),
    foundOn: calendarDate("Date du constat"),
    amountCents: cents("Montant payé par le stagiaire"),
    description: text(2000, "Ce qui a été payé").pipe(z.string().min(1, "Ce qui a été payé : à renseigner.")),
    refundDueOn: calendarDate("Remboursement exigé au plus tard le"),
  })
  .refine((f) => f.refundDueOn >= f.foundOn, { message: "Le remboursement ne peut pas être exigé avant le constat.", path: ["refundDueOn"] });
export const RefundInput = z.object({ refundedOn: calendarDate("Date du remboursement") });
export const RecoveryInput = z.object({ recoveryCents: cents("Montant du titre de recette"), claimedOn: calendarDate("Date du titre de recette") });

function findings(db: Db) {
  return db
    .selectFrom("contribution_finding as f")
    .innerJoin(traineeRows().as("t"), "t.id", "f.trainee_id")
    .innerJoin(providerRows().as("p"), "p.id", "f.provider_id")
    .select([
      "f.id",
      "f.provider_id",
      "f.trainee_id",
      "f.found_on",
      "f.amount_cents",
      "f.description",
      "f.refund_due_on",
      "f.refunded_on",
      "f.refund_proof_attachment_id",
      "f.recovery_cents",
      "f.recovery_claimed_on",
      "f.created_at",
      "t.first_name",
      "t.last_name",
      "p.name as provider_name",
    ]);
}
export type Finding = Awaited<ReturnType<typeof getFinding>>;

const visible = (actor: Actor, providerId: string) => actor.role === "region_officer" || (isProviderStaff(actor) && actor.providerId === providerId);

/** The Region: every finding; a provider's staff: theirs; anyone else: none. Newest first. */
export async function listFindings(db: Db, actor: Actor, filter: { providerId?: string } = {}) {
  let q = findings(db).orderBy("f.found_on", "desc").orderBy("f.id");
  if (actor.role === "region_officer") {
    if (filter.providerId) q = q.where("f.provider_id", "=", filter.providerId);
  } else if (isProviderStaff(actor) && actor.providerId) q = q.where("f.provider_id", "=", actor.providerId);
  else return [];
  return q.execute();
}

/** One finding; another provider's answers 404 like an unknown one. */
export async function getFinding(db: Db, actor: Actor, id: string) {
  const f = z.string().uuid().safeParse(id).success ? await findings(db).where("f.id", "=", id).executeTakeFirst() : undefined;
  if (!f || !visible(actor, f.provider_id)) throw notFound(WHAT);
  return f;
}

/** CP-CONTRIBUTION-RECOVERY: the Region records what a trainee paid and the date by which the provider must refund it. */
export async function recordFinding(db: Db, actor: Actor, raw: unknown, baseUrl = ""): Promise<string> {
  requireRole(actor, "region_officer");
  const input = parseInput(FindingInput, raw);
  const trainee = await db.selectFrom(traineeRows().as("t")).select(["t.id", "t.provider_id", "t.first_name", "t.last_name"]).where("t.id", "=", input.traineeId).executeTakeFirst();
  if (!trainee) throw notFound("Stagiaire");
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("contribution_finding")
      .values({ id, provider_id: trainee.provider_id, trainee_id: trainee.id, found_on: input.foundOn, amount_cents: input.amountCents, description: input.description, refund_due_on: input.refundDueOn, recorded_by: actor.userId })
      .execute();
    await audit(tx, { actorId: actor.userId, action: "contribution_finding.recorded", entity: "contribution_finding", entityId: id, details: { ...input } });
    // The provider's administrative referents are told in the same transaction (sent after commit).
    const admins = await tx.selectFrom(accountRows().as("u")).select(["u.id", "u.email"]).where("u.provider_id", "=", trainee.provider_id).where("u.role", "=", "provider_admin").where("u.active", "=", true).execute();
    for (const a of admins) {
      await notify(tx, {
        to: a.email,
        userId: a.id,
        entity: "contribution_finding",
        entityId: id,
        subject: `Participation interdite constatée — remboursement exigé avant le ${formatDateFr(input.refundDueOn)}`,
        body: [
          `La Région a constaté le ${formatDateFr(input.foundOn)} que ${trainee.first_name} ${trainee.last_name} a payé ${formatEuros(input.amountCents)} : ${input.description}`,
          "Aucune participation financière ne peut être demandée au stagiaire (CCTP §2.5).",
          `Remboursez le stagiaire au plus tard le ${formatDateFr(input.refundDueOn)} et joignez la preuve (virement, reçu signé) : ${baseUrl}/contributions/${id}`,
          "Faute de remboursement justifié, la Région peut émettre un titre de recette (CP-CONTRIBUTION-RECOVERY).",
        ].join("\n\n"),
      });
    }
  });
  return id;
}

/** CP-CONTRIBUTION-RECOVERY: the provider (or the Region) records the refund to the trainee, with its proof kept. */
export async function recordRefund(db: Db, actor: Actor, id: string, raw: unknown, proof: FileInput | undefined): Promise<void> {
  const f = await getFinding(db, actor, id);
  const input = parseInput(RefundInput, raw);
  const violations = [...check(contributionRefundProof(!!proof)), ...(proof ? checkFile(proof, "proof") : [])];
  if (input.refundedOn < f.found_on) violations.push({ code: "VALIDATION", severity: "error", article: "", message: "Le remboursement ne peut pas précéder le constat.", field: "refundedOn" });
  if (violations.length) throw DomainError.fromViolations(violations);
  if (f.refunded_on) throw new DomainError("ALREADY_REFUNDED", 409, "Le remboursement est déjà enregistré.");
  await db.transaction().execute(async (tx) => {
    const stored = await storeFile(tx, proof!, { providerId: f.provider_id, uploadedBy: actor.userId });
    await tx.updateTable("contribution_finding").set({ refunded_on: input.refundedOn, refund_proof_attachment_id: stored.id }).where("id", "=", f.id).where("refunded_on", "is", null).execute();
    await audit(tx, { actorId: actor.userId, action: "contribution_finding.refunded", entity: "contribution_finding", entityId: f.id, details: { refundedOn: input.refundedOn, proof: stored.id } });
  });
}

/** CP-CONTRIBUTION-RECOVERY: the Region may raise a recovery claim (titre de recette) against the provider. */
export async function recordRecovery(db: Db, actor: Actor, id: string, raw: unknown): Promise<void> {
  const f = await getFinding(db, actor, id);
  requireRole(actor, "region_officer");
  const input = parseInput(RecoveryInput, raw);
  if (input.claimedOn < f.found_on) throw DomainError.fromViolations([{ code: "VALIDATION", severity: "error", article: "", message: "Le titre de recette ne peut pas précéder le constat.", field: "claimedOn" }]);
  if (f.recovery_claimed_on) throw new DomainError("ALREADY_CLAIMED", 409, "Un titre de recette est déjà enregistré pour ce constat.");
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("contribution_finding").set({ recovery_cents: input.recoveryCents, recovery_claimed_on: input.claimedOn }).where("id", "=", f.id).execute();
    await audit(tx, { actorId: actor.userId, action: "contribution_finding.recovery_claimed", entity: "contribution_finding", entityId: f.id, details: { ...input } });
  });
}

/** The refund's proof (its owner or the Region). */
export async function refundProof(db: Db, actor: Actor, id: string) {
  const f = await getFinding(db, actor, id);
  if (!f.refund_proof_attachment_id) throw notFound("Preuve");
  return readFile(db, f.refund_proof_attachment_id);
}

/** CP-CONTRIBUTION-RECOVERY (warn), for the compliance board: refunds not proved by their due date. */
export async function overdueRefunds(db: Db, actor: Actor, clock: Clock, filter: { providerId?: string } = {}): Promise<(Awaited<ReturnType<typeof listFindings>>[number] & { violation: Violation })[]> {
  const today = parisDate(clock.now());
  return (await listFindings(db, actor, filter)).flatMap((f) => {
    const v = contributionRefundOverdue(f, today);
    return v ? [{ ...f, violation: v }] : [];
  });
}
