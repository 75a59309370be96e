// CP-PRESCRIPTION-MODES, direct registration to an e-formation session, without login. A public form
// must not become a way to mail anyone: the registration waits (direct_registration) until the
// person confirms it through a link mailed to the address they gave, and only then reaches the
// provider; a client address may send 10 an hour, an address receives at most 5 confirmation mails
// a day (more are silently not sent: the answer stays the same), and the one typed text the mail
// repeats is the person's name (letters only: schema.ts).
import type { Db } from "../../core/db/index.ts";
import { newToken, normaliseEmail, tokenHash } from "../../core/auth/sessions.ts";
import { type Limit, take, waitText } from "../../core/auth/throttle.ts";
import { DomainError, notFound, TooManyAttempts } from "../../core/errors.ts";
import { notify } from "../../core/notifications/index.ts";
import { type Clock, formatDateFr, newId } from "../../core/time.ts";
import { getSession } from "../sessions/use-cases.ts";
import { notifyNewCandidacy } from "./notices.ts";
import * as rules from "./rules.ts";
import { DirectRegistrationInput } from "./schema.ts";
import * as store from "./store.ts";
import { insertCandidacy, intakeWarnings, openSession, requireRecruitment } from "./use-cases.ts";

/** How long the confirmation link of a direct registration stays valid. */
export const CONFIRM_HOURS = 48;
const byAddress: Limit = { bucket: "registration.address", max: 10, windowSeconds: 3600 };
const byRecipient: Limit = { bucket: "registration.recipient", max: 5, windowSeconds: 86_400 };

/** The session takes a direct registration now (published, e-formation, recruitment open), or why not. */
async function openForDirect(db: Db, clock: Clock, sessionId: string) {
  const session = await openSession(db, sessionId);
  if (!session.published_at) throw notFound("Session");
  const referral = rules.directRegistrationAllowed(session.e_formation);
  if (referral) throw new DomainError(referral.code, 422, referral.message, [referral]);
  requireRecruitment(session, "direct_eformation", clock);
  return session;
}

/**
 * Records the request and mails the confirmation link; nothing is created for the provider yet.
 * For any other session than e-formation nothing is created and the person is referred to a prescriber.
 */
export async function registerDirect(db: Db, clock: Clock, publicUrl: string, sessionId: string, input: DirectRegistrationInput, address: string | null) {
  const session = await openForDirect(db, clock, sessionId);
  const now = clock.now();
  const sender = await take(db, now, [{ limit: byAddress, key: address ?? "inconnue" }]);
  if (!sender.ok) {
    throw new TooManyAttempts("TOO_MANY_REQUESTS", `Trop de candidatures envoyées depuis votre connexion : réessayez dans ${waitText(sender.retryAfterSeconds)}.`, sender.retryAfterSeconds);
  }
  const warnings = intakeWarnings(session, input);
  const email = normaliseEmail(input.email);
  if (!(await take(db, now, [{ limit: byRecipient, key: email }])).ok) return { warnings };
  const token = newToken();
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("direct_registration")
      .values({ id, session_id: session.id, email, input: JSON.stringify({ ...input, email }), token_hash: tokenHash(token), created_at: now, expires_at: new Date(now.getTime() + CONFIRM_HOURS * 3_600_000) })
      .execute();
    await notify(tx, {
      to: email,
      subject: `Confirmez votre candidature — ${session.component_title}`,
      body: `Bonjour ${input.firstName} ${input.lastName},\n\nPour transmettre votre candidature à la formation « ${session.component_title} » (${session.provider_name}, session du ${formatDateFr(session.start_date)}), confirmez-la en ouvrant ce lien dans les ${CONFIRM_HOURS} heures :\n${publicUrl}/candidature/confirmer/${token}\n\nSans confirmation, rien n'est transmis à l'organisme de formation. Si vous n'avez rien demandé, ignorez ce message.`,
      entity: "direct_registration",
      entityId: id,
    });
  });
  return { warnings };
}

const linkGone = () =>
  new DomainError("REGISTRATION_LINK_INVALID", 410, "Ce lien de confirmation n'est plus valable (déjà utilisé ou expiré) : si votre candidature n'est pas confirmée, recommencez-la depuis la page de la session.");

/** A registration waiting for its confirmation, with its session's public facts (undefined: used, expired or unknown). */
export async function pendingRegistration(db: Db, clock: Clock, token: string) {
  const row = await db
    .selectFrom("direct_registration")
    .select(["session_id", "input"])
    .where("token_hash", "=", tokenHash(token))
    .where("confirmed_at", "is", null)
    .where("expires_at", ">", clock.now())
    .executeTakeFirst();
  const session = row ? await getSession(db, row.session_id) : undefined;
  if (!row || !session) return undefined;
  const input = row.input as DirectRegistrationInput;
  return { firstName: input.firstName, lastName: input.lastName, componentTitle: session.component_title, providerName: session.provider_name, startDate: session.start_date, sessionId: session.id };
}

/**
 * The person confirms: the link is spent by a conditional update (once, even twice clicked at the
 * same time) and, in the same transaction, the candidacy is created and the provider told — if
 * the session still takes registrations.
 */
export async function confirmDirectRegistration(db: Db, clock: Clock, token: string) {
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    const spent = await tx
      .updateTable("direct_registration")
      .set({ confirmed_at: now })
      .where("token_hash", "=", tokenHash(token))
      .where("confirmed_at", "is", null)
      .where("expires_at", ">", now)
      .returning(["id", "session_id", "input"])
      .executeTakeFirst();
    if (!spent) throw linkGone();
    const session = await openForDirect(tx, clock, spent.session_id);
    const input = DirectRegistrationInput.parse(spent.input);
    const id = await insertCandidacy(tx, { session, candidate: input, origin: "direct_eformation", prescriberOrganisationId: null, prescriberUserId: null, enteredBy: null, project: input.project });
    await tx.updateTable("direct_registration").set({ candidacy_id: id }).where("id", "=", spent.id).execute();
    await notifyNewCandidacy(tx, (await store.loadCandidacy(tx, id))!);
    return { id, warnings: intakeWarnings(session, input) };
  });
}
