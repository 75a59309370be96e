// Personal signing links (CP-INTERNSHIP-AGREEMENT, CP-PROTOCOL): a random token mailed once, stored
// only hashed, expiring, revoked when a newer one is issued. Each domain keeps its own link table; the
// token, the hash, the state check and the signer's form are this one piece.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { DomainError } from "./errors.ts";
import { text } from "./inputs.ts";

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
export const newToken = () => randomBytes(32).toString("base64url");

/** A fresh token, its hash (the only thing stored) and its expiry `days` from `now`. */
export function freshLink(now: Date, days: number) {
  const token = newToken();
  return { token, tokenHash: sha256(token), expiresAt: new Date(now.getTime() + days * 86_400_000) };
}

/** Unknown: 404; revoked (a newer one exists) or expired: 410. */
export function requireLiveLink<L extends { revoked_at: Date | string | null; expires_at: Date | string }>(link: L | undefined, now: Date): L {
  if (!link) throw new DomainError("LINK_INVALID", 404, "Ce lien n'existe pas.");
  if (link.revoked_at) throw new DomainError("LINK_REPLACED", 410, "Ce lien a été remplacé par un plus récent : utilisez le dernier lien reçu par e-mail.");
  if (new Date(link.expires_at).getTime() < now.getTime()) throw new DomainError("LINK_EXPIRED", 410, "Ce lien a expiré : demandez-en un nouveau, il vous sera envoyé par e-mail.");
  return link;
}

/** What a signer sends through their link: their name and the explicit consent. */
export const SignInput = z.object({ signerName: text(200).min(1, "Indiquez votre nom."), accept: z.literal(true, { error: "Cochez la case pour signer." }) });
