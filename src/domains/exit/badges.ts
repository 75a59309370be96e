// Soft skills (CP-SOFT-SKILLS): the Region's yearly top-6 list, each trainee's three steps, and the
// Open Badges 3.0 credential of a validated soft skill (OpenBadgeCredential signed as a VC-JWT),
// verified publicly and revoked through a bitstring status list; an Open Badges 2.0 export.
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Actor } from "../../core/auth/actor.ts";
import { requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check } from "../../core/rules.ts";
import { type Clock, newId, parisDate, yearOf } from "../../core/time.ts";
import { canRecord, readablePath, staffPath } from "./access.ts";
import { type BadgeKey, loadBadgeKey, signJwt, verifyJwt } from "./badge-key.ts";
import * as r from "./rules.ts";
import type { SoftSkillStepInput, SoftSkillsInput } from "./schema.ts";

export const OB3_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"];
/** Bits of the status list: 131 072 (16 KB), the minimum the Bitstring Status List asks for privacy. */
const STATUS_LIST_BITS = 131_072;

export async function softSkillList(db: Db, year: number) {
  return db.selectFrom("soft_skill").select(["id", "year", "position", "title", "description"]).where("year", "=", year).orderBy("position").execute();
}

/** The list in force on a day: that year's, else the latest one before it. */
export async function currentSoftSkills(db: Db, today: string) {
  const y = await db.selectFrom("soft_skill").select("year").where("year", "<=", yearOf(today)).orderBy("year", "desc").limit(1).executeTakeFirst();
  return y ? softSkillList(db, y.year) : [];
}

/** CP-SOFT-SKILLS: the Region edits the year's top 6 (titles by position; positions already used by a trainee keep their id). */
export async function setSoftSkills(db: Db, actor: Actor, input: SoftSkillsInput): Promise<void> {
  requireRole(actor, "region_officer");
  await db.transaction().execute(async (tx) => {
    for (const [i, title] of input.titles.entries()) {
      await tx
        .insertInto("soft_skill")
        .values({ id: newId(), year: input.year, position: i + 1, title })
        .onConflict((oc) => oc.columns(["year", "position"]).doUpdateSet({ title }))
        .execute();
    }
    await audit(tx, { actorId: actor.userId, action: "soft_skills.updated", entity: "soft_skill", entityId: String(input.year), details: { titles: input.titles } });
  });
}

/** CP-SOFT-SKILLS: identify, then develop and follow, then evaluate and value (with its validation). */
export async function recordSoftSkillStep(db: Db, actor: Actor, clock: Clock, pathId: string, input: SoftSkillStepInput): Promise<void> {
  await staffPath(db, actor, pathId, "exams.record");
  const skill = await db.selectFrom("soft_skill").select("id").where("id", "=", input.softSkillId).executeTakeFirst();
  if (!skill) throw DomainError.fromViolations([{ code: "CP-SOFT-SKILLS", severity: "error", article: "CCTP §3.1.4", message: "Savoir-être inconnu de la liste de la Région.", field: "softSkillId" }]);
  const done = (await db.selectFrom("soft_skill_step").select("step").where("path_id", "=", pathId).where("soft_skill_id", "=", input.softSkillId).execute()).map((s) => s.step);
  const violations = check(r.softSkillStepInOrder(done, input.step));
  if (violations.length) throw DomainError.fromViolations(violations);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("soft_skill_step")
      .values({ id: newId(), path_id: pathId, soft_skill_id: input.softSkillId, step: input.step, observation: input.observation, validated: input.step === "evaluate" && input.validated, recorded_by: actor.userId, recorded_at: clock.now() })
      .execute();
    await audit(tx, { actorId: actor.userId, action: "soft_skill.step", entity: "path", entityId: pathId, details: { softSkillId: input.softSkillId, step: input.step } });
  });
}

const hashedEmail = (email: string, salt: string) => `sha256$${createHash("sha256").update(email.trim().toLowerCase() + salt).digest("hex")}`;

/** The OpenBadgeCredential of one badge (unsigned): the same object the JWT carries. */
export function buildCredential(b: { id: string; statusIndex: number; issuedAt: Date; providerId: string; providerName: string; softSkillId: string; title: string; description: string; email: string; traineeName: string }, baseUrl: string) {
  return {
    "@context": OB3_CONTEXT,
    id: `${baseUrl}/badges/${b.id}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: `Savoir-être : ${b.title}`,
    issuer: { id: `${baseUrl}/badges/emetteur/${b.providerId}`, type: ["Profile"], name: b.providerName },
    validFrom: b.issuedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [{ type: "IdentityObject", hashed: true, identityHash: hashedEmail(b.email, b.id), identityType: "emailAddress", salt: b.id }],
      achievement: {
        id: `${baseUrl}/badges/savoir-etre/${b.softSkillId}`,
        type: ["Achievement"],
        achievementType: "Competency",
        name: b.title,
        description: b.description || `Savoir-être « ${b.title} » de la liste de la Région Occitanie (Compétences Plus).`,
        criteria: { narrative: "Savoir-être identifié, développé et suivi, puis évalué et validé par l'organisme de formation au cours du parcours Compétences Plus (CCTP §3.1.4)." },
        inLanguage: "fr",
      },
    },
    credentialStatus: {
      id: `${baseUrl}/badges/statut#${b.statusIndex}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(b.statusIndex),
      statusListCredential: `${baseUrl}/badges/statut`,
    },
    credentialSchema: [{ id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json", type: "1EdTechJsonSchemaValidator2019" }],
  };
}

/** VC-JWT: the credential is the payload, with the JWT claims that mirror it (iss, jti, nbf, iat). */
export function signCredential(key: BadgeKey, credential: ReturnType<typeof buildCredential>, issuedAt: Date): string {
  const seconds = Math.floor(issuedAt.getTime() / 1000);
  return signJwt(key, { ...credential, iss: credential.issuer.id, jti: credential.id, nbf: seconds, iat: seconds });
}

/** CP-SOFT-SKILLS: a badge for a soft skill evaluated and validated; the trainee needs an e-mail (the badge's recipient). */
export async function issueBadge(db: Db, actor: Actor, clock: Clock, keyFile: string, baseUrl: string, pathId: string, softSkillId: string): Promise<string> {
  const head = await staffPath(db, actor, pathId, "exams.record");
  const skill = await db.selectFrom("soft_skill").select(["id", "title", "description"]).where("id", "=", softSkillId).executeTakeFirst();
  const validated = skill ? await db.selectFrom("soft_skill_step").select("id").where("path_id", "=", pathId).where("soft_skill_id", "=", softSkillId).where("validated", "=", true).executeTakeFirst() : undefined;
  const violations = check(r.badgeNeedsValidation(Boolean(validated)));
  if (violations.length || !skill) throw DomainError.fromViolations(violations);
  if (!head.email) throw DomainError.fromViolations([{ code: "CP-SOFT-SKILLS", severity: "error", article: "CCTP §3.1.4", message: "Le stagiaire n'a pas d'adresse e-mail : elle identifie le titulaire du badge.", field: "softSkillId" }]);
  const key = loadBadgeKey(keyFile);
  const id = newId();
  const issuedAt = clock.now();
  await db.transaction().execute(async (tx) => {
    const dup = await tx.selectFrom("badge").select("id").where("path_id", "=", pathId).where("soft_skill_id", "=", softSkillId).executeTakeFirst();
    if (dup) throw new DomainError("BADGE_ISSUED", 409, "Ce badge a déjà été délivré à ce stagiaire.");
    const { n } = await tx.selectNoFrom((eb) => eb.fn<number>("nextval", [eb.val("badge_status_index")]).as("n")).executeTakeFirstOrThrow();
    const credential = buildCredential({ id, statusIndex: Number(n), issuedAt, providerId: head.provider_id, providerName: head.provider_name, softSkillId, title: skill.title, description: skill.description, email: head.email!, traineeName: `${head.first_name} ${head.last_name}` }, baseUrl);
    const jwt = signCredential(key, credential, issuedAt);
    await tx.insertInto("badge").values({ id, path_id: pathId, soft_skill_id: softSkillId, status_index: Number(n), credential: JSON.stringify(credential), jwt, issued_by: actor.userId, issued_at: issuedAt }).execute();
    await audit(tx, { actorId: actor.userId, action: "badge.issued", entity: "path", entityId: pathId, details: { badgeId: id, softSkillId } });
  });
  return id;
}

/** Revocation: the badge's bit is set in the status list; the credential itself is unchanged. */
export async function revokeBadge(db: Db, actor: Actor, clock: Clock, badgeId: string, reason: string): Promise<void> {
  const b = await db.selectFrom("badge").select(["path_id", "revoked_at"]).where("id", "=", badgeId).executeTakeFirst();
  if (!b) throw notFound("Badge");
  await staffPath(db, actor, b.path_id, "paths.write").catch((e) => {
    throw e instanceof DomainError && e.status === 404 ? notFound("Badge") : e;
  });
  if (b.revoked_at) throw new DomainError("BADGE_REVOKED", 409, "Ce badge est déjà révoqué.");
  if (!reason.trim()) throw DomainError.fromViolations([{ code: "VALIDATION", severity: "error", article: "", message: "Indiquez le motif de la révocation.", field: "reason" }]);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("badge").set({ revoked_at: clock.now(), revoked_reason: reason.trim() }).where("id", "=", badgeId).where("revoked_at", "is", null).execute();
    await audit(tx, { actorId: actor.userId, action: "badge.revoked", entity: "path", entityId: b.path_id, details: { badgeId, reason } });
  });
}

/** A badge as its holder (trainee), the provider or the Region reads it. */
export async function badgeFor(db: Db, actor: Actor, badgeId: string) {
  const b = await db.selectFrom("badge").selectAll().where("id", "=", badgeId).executeTakeFirst();
  if (!b) throw notFound("Badge");
  await readablePath(db, actor, b.path_id).catch(() => {
    throw notFound("Badge");
  });
  return b;
}

export interface Verification {
  found: boolean;
  signatureValid: boolean;
  revoked: boolean;
  revokedAt: Date | null;
  credential?: Record<string, unknown>;
}

/** The public verification: the stored JWT (or one pasted) checked against the published key, and the status list. */
export async function verifyBadge(db: Db, keyFile: string, badgeId: string, jwt?: string): Promise<Verification> {
  const b = await db.selectFrom("badge").select(["jwt", "revoked_at", "status_index"]).where("id", "=", badgeId).executeTakeFirst();
  if (!b) return { found: false, signatureValid: false, revoked: false, revokedAt: null };
  const payload = verifyJwt(loadBadgeKey(keyFile).publicKey, jwt ?? b.jwt);
  const sameBadge = payload ? String(payload.jti ?? "").endsWith(`/badges/${badgeId}`) : false;
  return { found: true, signatureValid: Boolean(payload) && sameBadge, revoked: Boolean(b.revoked_at), revokedAt: b.revoked_at, credential: payload };
}

/** The revocation list as a BitstringStatusListCredential (gzip, base64url, multibase 'u'), signed as a VC-JWT too. */
export async function statusList(db: Db, keyFile: string, baseUrl: string, clock: Clock) {
  const bits = Buffer.alloc(STATUS_LIST_BITS / 8);
  for (const { status_index } of await db.selectFrom("badge").select("status_index").where("revoked_at", "is not", null).execute()) {
    if (status_index < STATUS_LIST_BITS) bits[status_index >> 3] |= 0x80 >> (status_index & 7);
  }
  const credential = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    id: `${baseUrl}/badges/statut`,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: `${baseUrl}/badges/emetteur`,
    validFrom: clock.now().toISOString().replace(/\.\d{3}Z$/, "Z"),
    credentialSubject: { id: `${baseUrl}/badges/statut#list`, type: "BitstringStatusList", statusPurpose: "revocation", encodedList: `u${gzipSync(bits).toString("base64url")}` },
  };
  return { credential, jwt: signJwt(loadBadgeKey(keyFile), credential) };
}

/** Is bit `index` set in an encoded list (a verifier's reading, used by the tests)? */
export function isRevokedIn(encodedList: string, index: number): boolean {
  const bits = Buffer.from(encodedList.slice(1), "base64url");
  const raw = gunzipSync(bits);
  return (raw[index >> 3] & (0x80 >> (index & 7))) !== 0;
}

/** The Open Badges 2.0 export (hosted assertion) for Moodle backpacks. */
export function ob2Assertion(b: { id: string; credential: unknown; issued_at: Date; revoked_at: Date | null; revoked_reason: string | null }, baseUrl: string) {
  const c = b.credential as ReturnType<typeof buildCredential>;
  const idn = c.credentialSubject.identifier[0];
  return {
    "@context": "https://w3id.org/openbadges/v2",
    type: "Assertion",
    id: `${baseUrl}/badges/${b.id}/ob2.json`,
    recipient: { type: "email", hashed: true, salt: idn.salt, identity: idn.identityHash },
    badge: {
      type: "BadgeClass",
      id: c.credentialSubject.achievement.id,
      name: c.credentialSubject.achievement.name,
      description: c.credentialSubject.achievement.description,
      image: `${baseUrl}/badges/image.svg`,
      criteria: { narrative: c.credentialSubject.achievement.criteria.narrative },
      issuer: { type: "Profile", id: c.issuer.id, name: c.issuer.name, url: baseUrl },
    },
    issuedOn: b.issued_at.toISOString(),
    verification: { type: "hosted" },
    ...(b.revoked_at ? { revoked: true, revocationReason: b.revoked_reason ?? "" } : {}),
  };
}

export const canIssue = canRecord;
export const todayOf = (clock: Clock) => parisDate(clock.now());
