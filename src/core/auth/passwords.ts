// Passwords: changing one's own (the current one required) and resetting a forgotten one through a
// single-use, expiring link sent by mail (only the link token's SHA-256 is stored).
import { z } from "zod";
import type { Config } from "../config.ts";
import type { Db } from "../db/index.ts";
import { DomainError, TooManyAttempts } from "../errors.ts";
import { PASSWORD_MAX, storable } from "../inputs.ts";
import { notify } from "../notifications/index.ts";
import { audit } from "../outbox.ts";
import { type Clock, newId } from "../time.ts";
import type { Actor } from "./actor.ts";
import { accountLimit, endSessions, hashPassword, type LoginSettings, newToken, normaliseEmail, tokenHash, verifyOrWaste } from "./sessions.ts";
import { clear, type Limit, release, take, waitText } from "./throttle.ts";

export const PASSWORD_MIN = 12;

/** A new password: 12 to 256 characters (a passphrase is welcome), storable text. */
export const newPassword = (label = "Nouveau mot de passe") =>
  z
    .string({ error: `${label} : requis.` })
    .min(PASSWORD_MIN, `${label} : ${PASSWORD_MIN} caractères au moins (une phrase de passe convient).`)
    .max(PASSWORD_MAX, `${label} : ${PASSWORD_MAX} caractères au plus.`)
    .refine(storable, `${label} : le texte contient un caractère invalide.`);

export const ChangePasswordInput = z.object({
  currentPassword: z.string({ error: "Mot de passe actuel : requis." }).min(1, "Mot de passe actuel : requis.").max(PASSWORD_MAX, "Mot de passe actuel : trop long."),
  newPassword: newPassword(),
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

const locked = (seconds: number) =>
  new TooManyAttempts("LOGIN_LOCKED", `Trop de tentatives avec un mot de passe incorrect : réessayez dans ${waitText(seconds)}.`, seconds);

const field = (code: string, status: number, message: string, name: string) =>
  new DomainError(code, status, message, [{ code, severity: "error", message, article: "", field: name }]);

/**
 * The signed-in user changes their password. A wrong current password counts as a failed login
 * (same lockout: a stolen session cannot try passwords at will). Every other session of the
 * account ends; the caller's own (`keepToken`) stays; the user is told by mail.
 */
export async function changePassword(db: Db, clock: Clock, s: LoginSettings, actor: Actor, keepToken: string | undefined, input: ChangePasswordInput): Promise<void> {
  const now = clock.now();
  const key = normaliseEmail(actor.email);
  const taken = await take(db, now, [{ limit: accountLimit(s), key }]);
  if (!taken.ok) throw locked(taken.retryAfterSeconds);
  const user = await db.selectFrom("app_user").select(["password_hash"]).where("id", "=", actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyOrWaste(user.password_hash, input.currentPassword))) {
    throw field("WRONG_PASSWORD", 422, "Mot de passe actuel incorrect.", "currentPassword");
  }
  await release(db, taken.ids);
  if (input.newPassword === input.currentPassword) throw field("SAME_PASSWORD", 422, "Le nouveau mot de passe doit différer de l'actuel.", "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("app_user").set({ password_hash: passwordHash }).where("id", "=", actor.userId).execute();
    await endSessions(tx, actor.userId, keepToken);
    await audit(tx, { actorId: actor.userId, action: "user.password_change", entity: "app_user", entityId: actor.userId });
    await notify(tx, {
      to: actor.email,
      userId: actor.userId,
      subject: "Votre mot de passe a été modifié",
      body: `Bonjour ${actor.fullName},\n\nLe mot de passe de votre compte Compétences Plus vient d'être modifié ; vos autres sessions ont été fermées.\n\nSi vous n'êtes pas à l'origine de ce changement, utilisez « Mot de passe oublié » sur la page de connexion et prévenez la Région.`,
      entity: "app_user",
      entityId: actor.userId,
    });
  });
}

/** Forgotten-password requests: per client address (refused, 429) and per recipient (silently not mailed again). */
const resetByAddress: Limit = { bucket: "reset.address", max: 10, windowSeconds: 3600 };
const resetByRecipient: Limit = { bucket: "reset.recipient", max: 3, windowSeconds: 3600 };

/**
 * Sends a reset link to an active account's address. The caller answers the same whether the
 * address has an account or not (and whether a mail went out or the recipient's quota was used up).
 */
export async function requestPasswordReset(db: Db, clock: Clock, config: Pick<Config, "publicUrl" | "passwordResetMinutes">, email: string, address: string | null): Promise<void> {
  const now = clock.now();
  const key = normaliseEmail(email);
  const byAddress = await take(db, now, [{ limit: resetByAddress, key: address ?? "inconnue" }]);
  if (!byAddress.ok) throw new TooManyAttempts("TOO_MANY_REQUESTS", `Trop de demandes depuis votre connexion : réessayez dans ${waitText(byAddress.retryAfterSeconds)}.`, byAddress.retryAfterSeconds);
  if (!(await take(db, now, [{ limit: resetByRecipient, key }])).ok) return;
  const user = await db.selectFrom("app_user").select(["id", "email", "full_name"]).where("email", "=", key).where("active", "=", true).executeTakeFirst();
  if (!user) return;
  const token = newToken();
  const id = newId();
  const minutes = config.passwordResetMinutes;
  await db.transaction().execute(async (tx) => {
    // One live link per account: asking again retires the previous ones.
    await tx.updateTable("password_reset").set({ used_at: now }).where("user_id", "=", user.id).where("used_at", "is", null).execute();
    await tx
      .insertInto("password_reset")
      .values({ id, user_id: user.id, token_hash: tokenHash(token), created_at: now, expires_at: new Date(now.getTime() + minutes * 60_000) })
      .execute();
    await notify(tx, {
      to: user.email,
      userId: user.id,
      subject: "Réinitialisation de votre mot de passe",
      body: `Bonjour ${user.full_name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans les ${minutes} minutes (il ne sert qu'une fois) :\n${config.publicUrl}/mot-de-passe/nouveau/${token}\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.`,
      entity: "password_reset",
      entityId: id,
    });
  });
}

const linkGone = () =>
  new DomainError("RESET_LINK_INVALID", 410, "Ce lien de réinitialisation n'est plus valable (déjà utilisé, remplacé ou expiré) : demandez-en un nouveau.");

/** Whether a reset link can still be used (the page shows the form or says to ask again). */
export async function resetLinkUsable(db: Db, clock: Clock, token: string): Promise<boolean> {
  const row = await db
    .selectFrom("password_reset as r")
    .innerJoin("app_user as u", "u.id", "r.user_id")
    .select("r.id")
    .where("r.token_hash", "=", tokenHash(token))
    .where("r.used_at", "is", null)
    .where("r.expires_at", ">", clock.now())
    .where("u.active", "=", true)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Sets a new password through a reset link: the link is spent by a conditional update (used once,
 * even by two concurrent requests), every session of the account ends and its login lock is lifted.
 */
export async function resetPassword(db: Db, clock: Clock, s: LoginSettings, token: string, password: string): Promise<void> {
  const parsed = newPassword().safeParse(password);
  if (!parsed.success) throw field("VALIDATION", 400, parsed.error.issues[0].message, "newPassword");
  if (!(await resetLinkUsable(db, clock, token))) throw linkGone();
  const passwordHash = await hashPassword(parsed.data);
  const now = clock.now();
  await db.transaction().execute(async (tx) => {
    const spent = await tx
      .updateTable("password_reset")
      .set({ used_at: now })
      .where("token_hash", "=", tokenHash(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .returning("user_id")
      .executeTakeFirst();
    if (!spent) throw linkGone();
    const user = await tx
      .updateTable("app_user")
      .set({ password_hash: passwordHash })
      .where("id", "=", spent.user_id)
      .where("active", "=", true)
      .returning(["id", "email"])
      .executeTakeFirst();
    if (!user) throw linkGone();
    await endSessions(tx, user.id);
    await clear(tx, accountLimit(s).bucket, normaliseEmail(user.email));
    await audit(tx, { actorId: user.id, action: "user.password_reset", entity: "app_user", entityId: user.id });
  });
}
