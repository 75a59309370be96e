// Personal data (issue 9, point 9; docs/privacy.md, ADR 0021): the archive of one person, the
// erasure that keeps attendance evidence verifiable and leaves the name nowhere in the database,
// the audit of every read of a record, and the retention purge at its boundary (injected clock).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import type { Db } from "../../core/db/index.ts";
import { notify } from "../../core/notifications/index.ts";
import { type AttendanceFixture, attendanceFixture, insertSlot, SIGNATURE } from "../../domains/attendance/testing.ts";
import { verifyProofs } from "../../domains/attendance/use-cases.ts";
import { insertSignedPeriod } from "../../domains/internships/testing.ts";
import { actorOf, register } from "../../domains/paths/testing.ts";
import { runPurge } from "./compose.ts";

const FIRST = "Zéphyrine";
const LAST = "Quintavalle-Ardouin";
const EMAIL = "zephyrine.quintavalle@exemple.fr";
const PHONE = "0611223344";
const TUTOR = "Mme Hortense Tutrice-Wolfsberg";

/** Every text, varchar, json and jsonb column of every table whose value contains `needle` (case-insensitive). */
async function whereIs(db: Db, needle: string): Promise<string[]> {
  const { rows: cols } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public' and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY')
      and c.table_name not like 'kysely_%'`.execute(db);
  const found: string[] = [];
  for (const c of cols) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(c.table_name)} where ${sql.ref(c.column_name)}::text ilike ${`%${needle}%`}`.execute(db);
    if (rows[0].n > 0) found.push(`${c.table_name}.${c.column_name} (${rows[0].n})`);
  }
  // Stored files too: a name in an uploaded file's bytes.
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from attachment where position(convert_to(${needle}, 'UTF8') in bytes) > 0`.execute(db);
  if (rows[0].n > 0) found.push(`attachment.bytes (${rows[0].n})`);
  return found;
}

describe("personal data: archive, erasure keeping the evidence verifiable, read audit, retention", () => {
  let t: TestContext;
  let f: AttendanceFixture;
  let trainer: string;
  let admin: string;
  let region: string;
  let me: { traineeId: string; pathId: string };
  let other: { traineeId: string; pathId: string };
  let meToken: string;

  async function call(method: string, path: string, opts: { token?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = { "user-agent": "Téléphone de Zéphyrine", "x-forwarded-for": "198.51.100.7" };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const res = await t.app.request(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  before(async () => {
    t = await createTestContext("2026-03-02T08:30:00Z");
    f = await attendanceFixture(t.db, 1);
    const a = await actorOf(t.db, f.fx.adminEmail);
    const created = await register(t.db, a, f.fx, { firstName: FIRST, lastName: LAST, email: EMAIL, phone: PHONE });
    me = { traineeId: created.traineeId, pathId: created.pathId };
    other = f.trainees[0];
    f.trainees.push(me);
    await createUser(t.db, { email: EMAIL, role: "trainee", traineeId: me.traineeId, fullName: `${FIRST} ${LAST}` });
    trainer = await t.login(f.trainerEmail);
    admin = await t.login(f.fx.adminEmail);
    region = await t.login(f.fx.regionEmail);
    meToken = await t.login(EMAIL);
  });
  after(() => t.close());

  test("a trainee downloads their own archive (Mes données); another trainee's is a 404 to them, the Region's to the Region", async () => {
    const own = await call("GET", "/api/me/personal-data", { token: meToken });
    assert.equal(own.status, 200);
    assert.equal(own.body.format, "competences-plus/donnees-personnelles");
    assert.equal(own.body.account.account.email, EMAIL);
    assert.equal(own.body.trainee.trainee.last_name, LAST);
    assert.equal(own.body.trainee.paths[0].id, me.pathId);
    assert.equal(own.body.account.account.password_hash, undefined, "never the password hash");
    assert.equal((await call("GET", `/api/privacy/trainees/${other.traineeId}/personal-data`, { token: meToken })).status, 404);
    assert.equal((await call("GET", `/api/privacy/trainees/${me.traineeId}/personal-data`, { token: admin })).status, 404, "a provider is not the DPO");
    const byRegion = await call("GET", `/api/privacy/trainees/${me.traineeId}/personal-data`, { token: region });
    assert.equal(byRegion.status, 200);
    assert.equal(byRegion.body.trainee.trainee.email, EMAIL);
    const page = await t.app.request("/mes-donnees", { headers: { authorization: `Bearer ${meToken}` } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Qui a consulté mon dossier/);
  });

  test("every read of a trainee's or candidate's record (page and API) is audited: who, when, what; the Region sees it", async () => {
    const before = await t.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", "record.read").executeTakeFirstOrThrow();
    assert.equal((await call("GET", `/api/paths/${me.pathId}`, { token: admin })).status, 200);
    assert.equal((await t.app.request(`/parcours/${me.pathId}`, { headers: { authorization: `Bearer ${admin}` } })).status, 200);
    assert.equal((await call("GET", "/api/paths/3f1d2c3b-0000-4000-8000-00000000dead", { token: admin })).status, 404);
    const after = await t.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", "record.read").executeTakeFirstOrThrow();
    assert.equal(Number(after.n) - Number(before.n), 2, "two reads answered 200, the 404 is not a read");
    const reads = await call("GET", `/api/privacy/trainees/${me.traineeId}/reads`, { token: region });
    assert.equal(reads.status, 200);
    const mine = reads.body.filter((r: { reader: string }) => r.reader === "Admin 1" || /^Admin/.test(r.reader));
    assert.ok(mine.some((r: { route: string; entity: string }) => r.route === `/api/paths/${me.pathId}` && r.entity === "path"));
    assert.ok(mine.some((r: { route: string }) => r.route === `/parcours/${me.pathId}`));
    assert.ok(reads.body.some((r: { action: string }) => r.action === "personal-data.export"), "exports are listed too");
    // The trainee sees who read their record.
    const own = await call("GET", "/api/me/personal-data", { token: meToken });
    assert.ok(own.body.reads.some((r: { entity_id: string }) => r.entity_id === me.pathId));
  });

  test("RGPD erasure: a trainee with kiosk, QR-less and tutor signatures is erased — 0 anomalies in the evidence, their name nowhere in the database, realised minutes unchanged", async () => {
    // Signatures: kiosk on a centre slot (countersigned), a tutor's attestation on a company slot.
    const slotId = await insertSlot(t.db, f, { pathIds: [me.pathId, other.pathId] });
    assert.equal((await call("POST", `/api/attendance/slots/${slotId}/kiosk`, { token: trainer, body: { pathId: me.pathId, identityConfirmed: true, signature: SIGNATURE } })).status, 201);
    assert.equal((await call("POST", `/api/attendance/slots/${slotId}/kiosk`, { token: trainer, body: { pathId: other.pathId, identityConfirmed: true, signature: SIGNATURE } })).status, 201);
    assert.equal((await call("POST", `/api/attendance/slots/${slotId}/countersign`, { token: trainer, body: { signature: SIGNATURE } })).status, 200);
    // A company hour needs a signed agreement (CP-INTERNSHIP-AGREEMENT): the trainee signs it by name.
    const periodId = await insertSignedPeriod(t.db, f.fx.providerId, me.pathId);
    await t.db.updateTable("agreement_signature").set({ signer_name: `${FIRST} ${LAST}` }).where("period_id", "=", periodId).where("party", "=", "trainee").execute();
    // The referent's meeting notes and the visit's observations name them too.
    await t.db.insertInto("followup_entry").values({ id: crypto.randomUUID(), provider_id: f.fx.providerId, trainee_id: me.traineeId, met_on: "2026-03-01", notes: `Entretien avec ${FIRST} ${LAST}`, barriers: ["health"] }).execute();
    await t.db.insertInto("company_visit").values({ id: crypto.randomUUID(), period_id: periodId, visited_on: "2026-03-02", met: `${FIRST} ${LAST} et son tuteur`, observations: `${LAST} est ponctuelle.` }).execute();
    const company = await insertSlot(t.db, f, { modality: "company", pathIds: [me.pathId], startsAt: "2026-03-02T07:00:00Z", endsAt: "2026-03-02T15:00:00Z", start: "08:00", end: "16:00" });
    const link = await call("POST", `/api/attendance/slots/${company}/links`, { token: trainer, body: { pathId: me.pathId, purpose: "tutor" } });
    assert.equal(link.status, 201, JSON.stringify(link.body));
    const token = new URL(link.body.url).pathname.split("/").pop();
    const tutorSigned = await call("POST", `/api/attendance/links/${token}/sign`, { body: { signature: SIGNATURE, present: true, signerName: TUTOR } });
    assert.equal(tutorSigned.status, 201, JSON.stringify(tutorSigned.body));
    // Mail about them, to them and to their provider.
    await t.db.transaction().execute((tx) => notify(tx, { to: EMAIL, subject: `Bienvenue ${FIRST} ${LAST}`, body: `Bonjour ${FIRST} ${LAST}, …` }));
    await t.db.transaction().execute((tx) => notify(tx, { to: f.fx.adminEmail, subject: "Nouvelle inscription", body: `${FIRST} ${LAST} (${EMAIL}, ${PHONE}) est inscrit·e.` }));
    const realisedBefore = await t.db.selectFrom("attendance").select(["id", "status", "realised_minutes", "method"]).where("path_id", "=", me.pathId).orderBy("id").execute();
    assert.equal(realisedBefore.length, 2);
    assert.deepEqual((await verifyProofs(t.db)).broken, [], "clean before erasure");
    assert.ok((await whereIs(t.db, LAST)).length > 0, "the name is there before");
    assert.ok((await whereIs(t.db, TUTOR)).includes("evidence.personal (1)"), "the tutor's name is kept beside the entry, not in its hashed payload");

    // Validation and rights first.
    assert.equal((await call("POST", `/api/privacy/trainees/${me.traineeId}/erasure`, { token: admin, body: { reason: "Demande écrite du 1er mars" } })).status, 404);
    assert.equal((await call("POST", `/api/privacy/trainees/${me.traineeId}/erasure`, { token: region, body: { reason: "" } })).status, 400);
    const erased = await call("POST", `/api/privacy/trainees/${me.traineeId}/erasure`, { token: region, body: { reason: "Demande écrite du 1er mars" } });
    assert.equal(erased.status, 200, JSON.stringify(erased.body));

    assert.deepEqual((await verifyProofs(t.db)).broken, [], "verify-evidence: 0 anomalies after the erasure");
    for (const needle of [LAST, `${FIRST} ${LAST}`, EMAIL, PHONE, TUTOR]) {
      assert.deepEqual(await whereIs(t.db, needle), [], `« ${needle} » is nowhere in the database`);
    }
    const entries = await t.db.selectFrom("evidence").select(["ip", "user_agent", "personal", "salt_subject"]).where("path_id", "=", me.pathId).execute();
    assert.equal(entries.length, 2);
    assert.deepEqual(entries.map((e) => [e.ip, e.user_agent, e.personal]), [[null, null, null], [null, null, null]], "their entries' IP, device and tutor's name are blank");
    const realisedAfter = await t.db.selectFrom("attendance").select(["id", "status", "realised_minutes", "method"]).where("path_id", "=", me.pathId).orderBy("id").execute();
    assert.deepEqual(realisedAfter, realisedBefore, "the realised hours (and so billing) are unchanged");
    const salts = await t.db.selectFrom("personal_salt").select("subject").where("subject", "=", `path:${me.pathId}`).execute();
    assert.equal(salts.length, 0, "the path's salt is destroyed");
    // The other trainee's evidence keeps its device data.
    const kept = await t.db.selectFrom("evidence").select(["ip", "user_agent"]).where("path_id", "=", other.pathId).execute();
    assert.ok(kept.length > 0 && kept.every((e) => e.user_agent === "Téléphone de Zéphyrine"));
    // The account can no longer log in; the erasure is recorded, without the erased data.
    assert.equal((await call("GET", "/api/me/personal-data", { token: meToken })).status, 401);
    const record = await t.db.selectFrom("privacy_erasure").selectAll().where("subject_id", "=", me.traineeId).executeTakeFirstOrThrow();
    assert.equal(record.cause, "request");
    // Tampering after the erasure is still caught: the chain covers the digest, not the blanked fields.
    await sql`update evidence set ip = '203.0.113.9' where path_id = ${me.pathId} and kind = 'signature'`.execute(t.db);
    assert.ok((await verifyProofs(t.db)).broken.some((b) => /effacée/.test(b.problem)));
    await sql`update evidence set ip = null where path_id = ${me.pathId} and kind = 'signature'`.execute(t.db);
    await sql`update attendance set realised_minutes = realised_minutes + 60 where path_id = ${me.pathId} and method = 'kiosk'`.execute(t.db);
    assert.ok((await verifyProofs(t.db)).broken.some((b) => /realisedMinutes/.test(b.problem)));
    await sql`update attendance set realised_minutes = realised_minutes - 60 where path_id = ${me.pathId} and method = 'kiosk'`.execute(t.db);
    assert.deepEqual((await verifyProofs(t.db)).broken, []);
  });
});

describe("retention per order (RETENTION_YEARS after its close) and the purge job, with the injected clock", () => {
  let t: TestContext;
  let f: AttendanceFixture;

  before(async () => {
    t = await createTestContext("2026-03-02T08:30:00Z");
    f = await attendanceFixture(t.db, 1);
  });
  after(() => t.close());

  const config = { retentionYears: 3, mailBodyDays: 90, sessionIdleMinutes: 240 };
  const nameOf = async (traineeId: string) => (await t.db.selectFrom("trainee").select("last_name").where("id", "=", traineeId).executeTakeFirstOrThrow()).last_name;

  test("retention: the last day (close + 3 years, Paris) keeps the trainee; the next day the purge pseudonymises them; an order still open keeps them forever", async () => {
    const traineeId = f.trainees[0].traineeId;
    const name = await nameOf(traineeId);
    // Closed on 2026-07-15 at 23:30 in Paris (21:30 UTC): the close day is the 15th.
    await sql`update "order" set status = 'closed', closed_at = '2026-07-15T21:30:00Z' where id = ${f.fx.orderId}`.execute(t.db);
    t.clock.set("2029-07-15T21:59:00Z"); // 23:59 in Paris on 15 July 2029: the last day kept
    assert.equal((await runPurge(t.db, t.clock, config)).trainees, 0);
    assert.equal(await nameOf(traineeId), name);
    t.clock.set("2029-07-15T22:00:00Z"); // midnight in Paris: 16 July 2029
    assert.equal((await runPurge(t.db, t.clock, config)).trainees, 1);
    assert.match(await nameOf(traineeId), /^effacée /);
    assert.equal((await t.db.selectFrom("privacy_erasure").select("cause").where("subject_id", "=", traineeId).executeTakeFirstOrThrow()).cause, "retention");
    assert.equal((await runPurge(t.db, t.clock, config)).trainees, 0, "once only");
  });

  test("retention: a trainee with a path on an order still open is kept whatever the date", async () => {
    await sql`update "order" set status = 'issued', closed_at = null where id = ${f.fx.orderId}`.execute(t.db);
    const a = await actorOf(t.db, f.fx.adminEmail);
    const open = await register(t.db, a, f.fx, { lastName: "Toujours-Ouvert" });
    t.clock.set("2040-01-01T12:00:00Z");
    await runPurge(t.db, t.clock, config);
    assert.equal(await nameOf(open.traineeId), "Toujours-Ouvert");
  });

  test("purge: sessions past their end, reset links expired, signing links expired, mail bodies older than MAIL_BODY_DAYS — the day before kept, the day after gone", async () => {
    t.clock.set("2026-04-01T10:00:00Z");
    const userId = await createUser(t.db, { email: "purge@exemple.fr", role: "trainee", traineeId: f.trainees[0].traineeId });
    await t.db.insertInto("user_session").values([
      { id: "a".repeat(64), user_id: userId, csrf_token: "x", created_at: "2026-03-25T10:00:00Z", expires_at: "2026-04-01T09:59:00Z", last_seen_at: "2026-04-01T09:00:00Z" },
      { id: "b".repeat(64), user_id: userId, csrf_token: "x", created_at: "2026-03-25T10:00:00Z", expires_at: "2026-04-01T10:01:00Z", last_seen_at: "2026-04-01T09:00:00Z" },
    ]).execute();
    await t.db.insertInto("password_reset").values([
      { id: "3f1d2c3b-0000-4000-8000-000000000001", user_id: userId, token_hash: "h1", created_at: "2026-04-01T09:00:00Z", expires_at: "2026-04-01T09:59:00Z", used_at: null },
      { id: "3f1d2c3b-0000-4000-8000-000000000002", user_id: userId, token_hash: "h2", created_at: "2026-04-01T09:30:00Z", expires_at: "2026-04-01T10:30:00Z", used_at: null },
    ]).execute();
    await t.db.transaction().execute(async (tx) => {
      await notify(tx, { to: "vieux@exemple.fr", subject: "Ancien", body: "Corps ancien" });
      await notify(tx, { to: "recent@exemple.fr", subject: "Récent", body: "Corps récent" });
    });
    await sql`update notification set status = 'sent', created_at = '2026-01-01T09:59:00Z' where recipient_email = 'vieux@exemple.fr'`.execute(t.db); // 90 days + 1 minute before
    await sql`update notification set status = 'sent', created_at = '2026-01-01T10:01:00Z' where recipient_email = 'recent@exemple.fr'`.execute(t.db); // 1 minute inside
    const report = await runPurge(t.db, t.clock, config);
    assert.equal(report.sessions, 1);
    assert.deepEqual((await t.db.selectFrom("user_session").select("id").where("user_id", "=", userId).execute()).map((s) => s.id), ["b".repeat(64)]);
    assert.equal(report.passwordResets, 1);
    assert.deepEqual((await t.db.selectFrom("password_reset").select("token_hash").where("user_id", "=", userId).execute()).map((s) => s.token_hash), ["h2"]);
    const bodies = await t.db.selectFrom("notification").select(["recipient_email", "body_text"]).where("recipient_email", "in", ["vieux@exemple.fr", "recent@exemple.fr"]).orderBy("recipient_email").execute();
    assert.deepEqual(bodies, [
      { recipient_email: "recent@exemple.fr", body_text: "Corps récent" },
      { recipient_email: "vieux@exemple.fr", body_text: "" },
    ]);
  });
});
