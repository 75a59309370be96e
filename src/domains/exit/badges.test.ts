// Open Badges 3.0 (CP-SOFT-SKILLS): the credential validates against the 1EdTech JSON Schema (copy in
// schemas/), its VC-JWT signature verifies with the published key, one changed byte fails, and a
// revoked badge shows in the status list.
import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import type { Actor } from "../../core/auth/actor.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorFor, actorOf, mod, plan, position, refused, register } from "../paths/testing.ts";
import { savePlan, validatePath } from "../paths/use-cases.ts";
import { loadBadgeKey, publicJwks, verifyJwt } from "./badge-key.ts";
import { isRevokedIn, issueBadge, ob2Assertion, recordSoftSkillStep, revokeBadge, setSoftSkills, softSkillList, statusList, verifyBadge } from "./badges.ts";

const schema = JSON.parse(readFileSync(new URL("../../../schemas/openbadges-3.0-achievementcredential.schema.json", import.meta.url), "utf8"));
const ajv = new (Ajv2019 as unknown as typeof Ajv2019.default)({ strict: false, allErrors: true });
(addFormats as unknown as typeof addFormats.default)(ajv);
const validate = ajv.compile(schema);

describe("Open Badges 3.0 credential of a validated soft skill", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Actor;
  let keyFile: string;
  const base = "https://cp.example";

  before(async () => {
    t = await createTestContext("2026-06-20T09:00:00Z");
    fx = await createOrderFixture(t.db);
    admin = await actorOf(t.db, fx.adminEmail);
    keyFile = join(mkdtempSync(join(tmpdir(), "cp-badge-")), "keys", "badge.pem");
  });
  after(() => t.close());

  test("the key file is generated on first use when absent (mode 0600), then reused", () => {
    const k1 = loadBadgeKey(keyFile);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(loadBadgeKey(keyFile).kid, k1.kid);
    assert.equal(publicJwks(k1).keys[0].kty, "OKP");
  });

  test("CP-SOFT-SKILLS: three steps, a badge only once evaluated and validated; the OpenBadgeCredential validates, verifies, and one byte changed fails; revocation shows in the status list", async () => {
    const region = await actorFor(t.db, "region.badges@example.org", "region_officer");
    await refused(setSoftSkills(t.db, admin, { year: 2026, titles: ["a", "b", "c", "d", "e", "f"] }), 403, "FORBIDDEN");
    await setSoftSkills(t.db, region, { year: 2026, titles: ["Travail en équipe", "Communication", "Adaptabilité", "Autonomie", "Organisation", "Esprit d'initiative"] });
    const skills = await softSkillList(t.db, 2026);
    assert.equal(skills.length, 6);
    const { pathId } = await register(t.db, admin, fx);
    await position(t.db, admin, pathId);
    await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 6000)]));
    await validatePath(t.db, admin, pathId);
    const trainer = await actorFor(t.db, "formateur.badge@example.org", "trainer", fx.providerId);
    const skill = skills[0].id;
    await refused(recordSoftSkillStep(t.db, trainer, t.clock, pathId, { softSkillId: skill, step: "evaluate", observation: "Trop tôt", validated: true }), 422, "CP-SOFT-SKILLS");
    await recordSoftSkillStep(t.db, trainer, t.clock, pathId, { softSkillId: skill, step: "identify", observation: "Repéré en positionnement", validated: false });
    await recordSoftSkillStep(t.db, trainer, t.clock, pathId, { softSkillId: skill, step: "develop", observation: "Projet de groupe", validated: false });
    await refused(issueBadge(t.db, trainer, t.clock, keyFile, base, pathId, skill), 422, "CP-SOFT-SKILLS");
    await recordSoftSkillStep(t.db, trainer, t.clock, pathId, { softSkillId: skill, step: "evaluate", observation: "Grille d'évaluation : acquis", validated: true });
    const badgeId = await issueBadge(t.db, trainer, t.clock, keyFile, base, pathId, skill);
    await refused(issueBadge(t.db, trainer, t.clock, keyFile, base, pathId, skill), 409, "BADGE_ISSUED");

    const row = await t.db.selectFrom("badge").selectAll().where("id", "=", badgeId).executeTakeFirstOrThrow();
    const ok = validate(row.credential);
    assert.equal(ok, true, JSON.stringify(validate.errors));
    // The signature verifies with the PUBLISHED key (the JWK a verifier fetches), not the private one.
    const published = createPublicKey({ key: publicJwks(loadBadgeKey(keyFile)).keys[0] as never, format: "jwk" });
    const payload = verifyJwt(published, row.jwt);
    assert.ok(payload);
    assert.equal(validate(payload), true, JSON.stringify(validate.errors));
    assert.deepEqual(payload.type, ["VerifiableCredential", "OpenBadgeCredential"]);
    assert.equal(payload.jti, `${base}/badges/${badgeId}`);

    // One byte changed anywhere in the JWT: verification fails.
    const [h, p, s] = row.jwt.split(".");
    const body = Buffer.from(p, "base64url");
    body[body.indexOf("Travail")] = "t".charCodeAt(0);
    assert.equal(verifyJwt(published, `${h}.${body.toString("base64url")}.${s}`), undefined);
    const sig = Buffer.from(s, "base64url");
    sig[0] ^= 1;
    assert.equal(verifyJwt(published, `${h}.${p}.${sig.toString("base64url")}`), undefined);
    assert.equal((await verifyBadge(t.db, keyFile, badgeId, `${h}.${body.toString("base64url")}.${s}`)).signatureValid, false);
    assert.deepEqual({ ...(await verifyBadge(t.db, keyFile, badgeId)), credential: undefined, revokedAt: null }, { found: true, signatureValid: true, revoked: false, revokedAt: null, credential: undefined });

    // Revocation: the badge's bit is set in the status list.
    const index = row.status_index;
    assert.equal(isRevokedIn((await statusList(t.db, keyFile, base, t.clock)).credential.credentialSubject.encodedList, index), false);
    const other = await createOrderFixture(t.db);
    await refused(revokeBadge(t.db, await actorOf(t.db, other.adminEmail), t.clock, badgeId, "x"), 404, "NOT_FOUND");
    await revokeBadge(t.db, admin, t.clock, badgeId, "Délivré par erreur");
    const list = await statusList(t.db, keyFile, base, t.clock);
    assert.equal(isRevokedIn(list.credential.credentialSubject.encodedList, index), true);
    assert.ok(verifyJwt(published, list.jwt));
    assert.equal((await verifyBadge(t.db, keyFile, badgeId)).revoked, true);

    // Open Badges 2.0 export: a hosted assertion with the hashed e-mail and the revocation.
    const ob2 = ob2Assertion(await t.db.selectFrom("badge").selectAll().where("id", "=", badgeId).executeTakeFirstOrThrow(), base);
    assert.equal(ob2.type, "Assertion");
    assert.match(ob2.recipient.identity, /^sha256\$[0-9a-f]{64}$/);
    assert.equal(ob2.revoked, true);
  });
});
