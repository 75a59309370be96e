// Append-only evidence, hash-chained per slot (one sheet = one chain). Each entry's hash covers the
// previous entry's hash, so editing, deleting or reordering any row breaks every later link.
import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { evidenceSubject, personalSaltRows, saltedDigest, saltsFor } from "../../core/privacy.ts";
import { slotRows } from "../schedule/views.ts";

type Tx = Transaction<DB>;

export const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

/** JSON with keys sorted at every level: the same value always hashes the same (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** Version 1 link (rows written before the whole entry was hashed): prev, payload, seq and time only. */
export const chainHash = (prevHash: string | null, payloadHash: string, seq: number, at: Date) =>
  sha256(`${prevHash ?? ""}|${payloadHash}|${seq}|${at.toISOString()}`);

/** The columns of an evidence row that its link covers. */
export interface EvidenceColumns {
  slot_id: string;
  seq: number;
  kind: string;
  actor_id: string | null;
  actor_role: string;
  path_id: string | null;
  at: Date;
  ip: string | null;
  user_agent: string | null;
  method: string | null;
  reason: string | null;
  payload_hash: string;
  prev_hash: string | null;
}

/**
 * Version 2 link: the hash covers every column of the entry — sheet, number, kind, who (actor and
 * role), which path, when, from where (IP), which device (user agent), how (method), why (reason) —
 * and the payload's hash, chained to the previous link. Editing any of them in SQL breaks the link.
 */
export const chainHashV2 = (r: EvidenceColumns) =>
  sha256(
    `${r.prev_hash ?? ""}|${canonicalJson({
      v: 2,
      slotId: r.slot_id,
      seq: r.seq,
      kind: r.kind,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      pathId: r.path_id,
      at: new Date(r.at).toISOString(),
      ip: r.ip,
      userAgent: r.user_agent,
      method: r.method,
      reason: r.reason,
      payloadHash: r.payload_hash,
    })}`,
  );

/** The columns a version 3 link covers: the IP and device enter only through the salted digest. */
export interface EvidenceColumnsV3 extends EvidenceColumns {
  salt_subject: string | null;
  personal_digest: string | null;
}

/**
 * Version 3 link (ADR 0021): as version 2, except that the personal fields of the entry (the IP
 * address and the device's user agent) are replaced by HMAC(subject's salt, {ip, userAgent}) and
 * the subject whose salt it is. Erasing the person deletes the salt and blanks both fields: the link
 * still verifies, and the digest left says nothing about the erased values.
 */
export const chainHashV3 = (r: EvidenceColumnsV3) =>
  sha256(
    `${r.prev_hash ?? ""}|${canonicalJson({
      v: 3,
      slotId: r.slot_id,
      seq: r.seq,
      kind: r.kind,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      pathId: r.path_id,
      at: new Date(r.at).toISOString(),
      method: r.method,
      reason: r.reason,
      payloadHash: r.payload_hash,
      saltSubject: r.salt_subject,
      personalDigest: r.personal_digest,
    })}`,
  );

/** What the salted digest of a version 3 entry covers: the IP, the device and the other personal fields. */
export const personalText = (r: { ip: string | null; user_agent: string | null; personal?: unknown }) => {
  const other = (typeof r.personal === "string" ? JSON.parse(r.personal) : r.personal) as Record<string, unknown> | null | undefined;
  return canonicalJson({ ip: r.ip, userAgent: r.user_agent, ...(other ?? {}) });
};

/** The hash a stored row should carry under its version. */
export const linkHash = (r: EvidenceColumnsV3 & { hash_version: number }) =>
  r.hash_version === 1 ? chainHash(r.prev_hash, r.payload_hash, r.seq, new Date(r.at)) : r.hash_version === 2 ? chainHashV2(r) : chainHashV3(r);

export interface EvidenceEntry {
  slotId: string;
  kind: "signature" | "countersignature" | "mark" | "absence" | "correction" | "paper" | "attestation" | "opening";
  actorId: string | null;
  actorRole: string;
  pathId?: string | null;
  at: Date;
  ip?: string | null;
  userAgent?: string | null;
  method?: string | null;
  reason?: string | null;
  payload: Record<string, unknown>;
  /** Personal fields beyond the IP and device (a tutor's typed name): kept beside the entry, hashed only through the salt. */
  personal?: Record<string, string | null>;
}

/** The chain's last link of a slot. Read it only while holding the slot lock: it is the next link's parent. */
export type LastLink = { seq: number; hash: string } | undefined;

export async function lastLink(tx: Tx, slotId: string): Promise<LastLink> {
  return tx.selectFrom("evidence").select(["seq", "hash"]).where("slot_id", "=", slotId).orderBy("seq", "desc").limit(1).executeTakeFirst();
}

/** The salt keying an entry's personal fields (drawn on first use, in the caller's transaction). */
export async function saltOf(tx: Tx, e: Pick<EvidenceEntry, "pathId" | "actorId" | "slotId">): Promise<Buffer> {
  const subject = evidenceSubject(e);
  return (await saltsFor(tx, [subject])).get(subject) as Buffer;
}

/**
 * The evidence row following `last` (pure: the hash formulas live here, used by the verifier too).
 * `salt` is the entry's subject's salt (evidenceSubject): the IP and device enter the link only
 * through HMAC(salt, …) (version 3).
 */
export function evidenceRow(last: LastLink, e: EvidenceEntry, salt: Buffer) {
  const columns: EvidenceColumns = {
    slot_id: e.slotId,
    seq: (last?.seq ?? 0) + 1,
    kind: e.kind,
    actor_id: e.actorId,
    actor_role: e.actorRole,
    path_id: e.pathId ?? null,
    at: e.at,
    ip: e.ip ?? null,
    user_agent: e.userAgent?.slice(0, 500) ?? null,
    method: e.method ?? null,
    reason: e.reason ?? null,
    payload_hash: sha256(canonicalJson(e.payload)),
    prev_hash: last?.hash ?? null,
  };
  const personal = e.personal && Object.keys(e.personal).length ? e.personal : null;
  const v3: EvidenceColumnsV3 = { ...columns, salt_subject: evidenceSubject(e), personal_digest: saltedDigest(salt, personalText({ ...columns, personal })) };
  return { ...v3, personal: personal ? JSON.stringify(personal) : null, payload: JSON.stringify(e.payload), hash: chainHashV3(v3), hash_version: 3 };
}

/**
 * Appends the next link. Locks the slot row (the per-sheet counter) unless the caller says it
 * already holds that lock; `last` skips the read when the caller read it under the lock. Callers
 * run it inside the transaction that writes the fact it proves, so fact and proof commit together.
 */
export async function appendEvidence(tx: Tx, e: EvidenceEntry, opts: { slotLocked?: boolean; last?: LastLink } = {}): Promise<{ seq: number; hash: string }> {
  if (!opts.slotLocked) await tx.selectFrom(slotRows().as("slot")).select("id").where("id", "=", e.slotId).forUpdate().executeTakeFirstOrThrow();
  const last = "last" in opts ? opts.last : await lastLink(tx, e.slotId);
  await checkParentLink(tx, e.slotId, last, e.at);
  const row = evidenceRow(last, e, await saltOf(tx, e));
  await tx.insertInto("evidence").values(row).execute();
  return { seq: row.seq, hash: row.hash };
}

export type StoredLink = EvidenceColumnsV3 & { payload: unknown; hash: string; hash_version: number };

/** What is wrong with a stored link given its parent's hash and the number it should carry; undefined when sound. */
export function linkProblem(r: StoredLink, prev: string | null, expectedSeq: number): string | undefined {
  return r.seq !== expectedSeq
    ? `maillon manquant : numéro ${r.seq} au lieu de ${expectedSeq}`
    : r.prev_hash !== prev
      ? "lien rompu : l'empreinte précédente ne correspond pas"
      : r.payload_hash !== sha256(canonicalJson(r.payload))
        ? "contenu modifié : l'empreinte de ce qui a été signé ne correspond plus"
        : r.hash !== linkHash({ ...r, at: new Date(r.at) })
          ? r.hash_version === 1
            ? "empreinte du maillon incorrecte (date, numéro ou chaînage modifié)"
            : "empreinte du maillon incorrecte : auteur, rôle, parcours, date, adresse IP, appareil, méthode, motif, nature ou numéro modifié"
          : undefined;
}

/**
 * A new link is chained to `last`: that parent, read by its key (slot_id, seq), must still hash to
 * what the new link carries — else the tampering is recorded now, in the writer's transaction. The
 * new fact is written all the same: the trainee's signature is not refused for someone else's edit.
 */
export async function checkParentLink(tx: Tx, slotId: string, last: LastLink, now: Date): Promise<void> {
  if (!last) return;
  const parent = await tx
    .selectFrom("evidence as e")
    .leftJoin(personalSaltRows().as("ps"), "ps.subject", "e.salt_subject")
    .selectAll("e")
    .select("ps.salt")
    .where("e.slot_id", "=", slotId)
    .where("e.seq", "=", last.seq)
    .executeTakeFirst();
  const problem = !parent
    ? "maillon précédent introuvable au moment d'y chaîner une nouvelle entrée"
    : parent.hash !== last.hash
      ? "lien rompu : l'empreinte du maillon précédent a changé"
      : (linkProblem(parent, parent.prev_hash, parent.seq) ?? (parent.hash_version >= 3 ? personalProblem(parent) : undefined));
  if (problem) await tx.insertInto("evidence_alert").values({ evidence_id: Number(parent?.id ?? 0), slot_id: slotId, seq: last.seq, problem, detected_at: now }).execute();
}

/**
 * Version 3: the IP and device the row shows must be those its salted digest covers. Once the
 * person is erased (salt destroyed, ADR 0021) both are blank and nothing personal is left to compare.
 */
export function personalProblem(r: { ip: string | null; user_agent: string | null; personal: unknown; personal_digest: string | null; salt: Buffer | null }): string | undefined {
  if (r.salt) return saltedDigest(Buffer.from(r.salt), personalText(r)) === r.personal_digest ? undefined : "adresse IP, appareil ou nom du signataire modifié : l'empreinte salée ne correspond plus";
  return r.ip === null && r.user_agent === null && r.personal === null ? undefined : "adresse IP, appareil ou nom du signataire présents alors que la personne a été effacée (sel détruit)";
}
