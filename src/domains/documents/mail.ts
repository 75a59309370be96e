// A certificate of completion mailed to its trainee (issue 10 point 5): a notification written in
// the command's transaction (sent after commit by the mail sender, docs/notifications.md) carrying
// the PDF's link — its verification code is the key, as on the printed document. One mail per click:
// the form (or the API caller) sends an idempotency key, and the same key never mails twice.
import type { Actor } from "../../core/auth/actor.ts";
import { requireRole } from "../../core/auth/actor.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, invalid, notFound, notFoundAs } from "../../core/errors.ts";
import { notificationsFor, notify } from "../../core/notifications/index.ts";
import { audit } from "../../core/outbox.ts";
import { formatDateFr } from "../../core/time.ts";
import { pathForActor } from "../ledger/use-cases.ts";
import { traineeRows } from "../paths/views.ts";
import * as store from "./store.ts";
import { verifyUrlOf } from "./use-cases.ts";
import { claimIdempotencyKey, storeIdempotentAnswer } from "../../core/db/idempotency.ts";

const SENDERS = rolesFor("documents.issue");
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,100}$/;

export interface MailResult {
  notificationId: string;
  to: string;
  /** True when this key had already sent it: nothing new was written. */
  repeated: boolean;
}

/** Mails the certificate's link to its trainee; the same `key` answers the first result again. */
export async function mailCertificate(db: Db, actor: Actor, certificateId: string, key: string, origin: string): Promise<MailResult> {
  const row = await store.certificateById(db, certificateId);
  if (!row) throw notFound("Certificat");
  const path = await notFoundAs("Certificat", pathForActor(db, actor, row.path_id));
  requireRole(actor, ...SENDERS);
  if (!IDEMPOTENCY_KEY.test(key)) throw invalid("Clé d'idempotence requise (8 à 100 caractères : lettres, chiffres, - et _).");
  if (row.replaced_by) throw new DomainError("CP-CERTIFICATE-OF-COMPLETION", 409, "Ce certificat a été remplacé par une version plus récente : envoyez celle-ci (CP-CERTIFICATE-OF-COMPLETION).");
  const trainee = await db.selectFrom(traineeRows().as("t")).select(["id", "first_name", "email"]).where("id", "=", path.trainee_id).executeTakeFirstOrThrow();
  if (!trainee.email) throw new DomainError("NO_EMAIL", 409, "Le·la stagiaire n'a pas d'adresse électronique : renseignez-la sur sa fiche, ou remettez-lui le PDF.");
  const account = await db.selectFrom(accountRows().as("u")).select("id").where("trainee_id", "=", trainee.id).executeTakeFirst();
  const content = typeof row.minutes === "string" ? JSON.parse(row.minutes) : (row.minutes as { action: { title: string }; provider: { name: string } });
  const idemKey = `certificate-mail:${certificateId}:${key}`;
  return db.transaction().execute(async (tx) => {
    const prior = await claimIdempotencyKey<{ notificationId: string; to: string }>(tx, idemKey, actor.userId);
    if (prior) return { ...prior, repeated: true };
    const link = verifyUrlOf(origin, row.verification_code);
    const notificationId = await notify(tx, {
      to: trainee.email!,
      userId: account?.id ?? null,
      subject: `Votre certificat de réalisation — ${content.action.title}`,
      body: [
        `Bonjour ${trainee.first_name},`,
        "",
        `${content.provider.name} vous transmet votre certificat de réalisation de l'action « ${content.action.title} », du ${formatDateFr(row.period_start)} au ${formatDateFr(row.period_end)} (version ${row.version}).`,
        "",
        `Télécharger le certificat (PDF) : ${link}/pdf`,
        `Vérifier son authenticité : ${link}`,
        "",
        "Ce lien donne accès à votre certificat : ne le transmettez qu'aux personnes à qui vous voulez le montrer (un employeur, France Travail…).",
      ].join("\n"),
      entity: "certificate",
      entityId: certificateId,
    });
    const response = { notificationId, to: trainee.email! };
    await storeIdempotentAnswer(tx, idemKey, response);
    await audit(tx, { actorId: actor.userId, action: "certificate.mailed", entity: "path", entityId: row.path_id, details: { certificateId, notificationId } });
    return { ...response, repeated: false };
  });
}

/** The mails written about each certificate (the certificates page says when it was sent). */
export async function mailsOf(db: Db, certificateIds: string[]) {
  const all = await Promise.all(certificateIds.map(async (id) => [id, await notificationsFor(db, "certificate", id)] as const));
  return new Map(all);
}
