// Certificate batches survive a crash: a batch left "running" by a runner that died (its row and items
// as that runner left them, no runner in this process) is taken up again under a lease and finished,
// with at most one certificate per path of the batch.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { loadConfig } from "../../core/config.ts";
import { startBackgroundJobs } from "../../app/jobs.ts";
import { fixedClock, newId } from "../../core/time.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { actorOf, register } from "../paths/testing.ts";
import { BATCH_LEASE_MS, BATCH_MAX_ATTEMPTS, issueCertificate, resumeCertificateBatches, stopCertificateBatches } from "./use-cases.ts";

const FROM = "2026-03-01";
const TO = "2026-03-31";
const quiet = { log: () => {} };

describe("certificate batches: taken up again after a crash (lease), one certificate per path", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Awaited<ReturnType<typeof actorOf>>;
  let token: string;
  before(async () => {
    t = await createTestContext("2026-03-20T09:00:00Z");
    fx = await createOrderFixture(t.db, { headcount: 40 });
    admin = await actorOf(t.db, fx.adminEmail);
    token = await t.login(fx.adminEmail);
  });
  after(() => t.close());

  const at = (ms: number) => new Date(t.clock.now().getTime() + ms);

  /** Validated paths with signed hours in March: what a batch of the order issues. */
  async function pathsWithHours(n: number, status: "validated" | "draft" = "validated") {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await register(t.db, admin, fx)).pathId);
    await t.db.updateTable("path").set({ status }).where("id", "in", ids).execute();
    const slot = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-10", modality: "centre", pathIds: ids });
    for (const pathId of ids) await addAttendance(t.db, { slotId: slot, pathId });
    return ids;
  }

  /** The rows a runner leaves when its process dies: batch still running, items, the certificates issued so far. */
  async function deadBatch(pathIds: string[], o: { claimedUntil?: Date | null; attempts?: number; issued?: string[] } = {}) {
    const id = newId();
    const issued = new Map<string, string>();
    for (const pathId of o.issued ?? []) issued.set(pathId, (await issueCertificate(t.db, admin, t.clock, pathId, { from: FROM, to: TO })).id);
    await t.db
      .insertInto("document_batch")
      .values({
        id,
        provider_id: fx.providerId,
        order_id: fx.orderId,
        kind: "certificates",
        period_start: FROM,
        period_end: TO,
        total: pathIds.length,
        done: issued.size,
        certificate_ids: [...issued.values()],
        created_by: admin.userId,
        status: "running",
        claimed_by: newId(),
        claimed_until: o.claimedUntil === undefined ? at(-1000) : o.claimedUntil,
        attempts: o.attempts ?? 0,
      })
      .execute();
    await t.db
      .insertInto("document_batch_item")
      .values(pathIds.map((pathId) => ({ batch_id: id, path_id: pathId, certificate_id: issued.get(pathId) ?? null })))
      .execute();
    return id;
  }

  const batch = (id: string) => t.db.selectFrom("document_batch").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  /** Certificates per path (every path here belongs to one batch; the period is clamped to each path's dates). */
  async function certificatesPerPath(pathIds: string[]) {
    const rows = await t.db.selectFrom("certificate").select("path_id").where("path_id", "in", pathIds).execute();
    return pathIds.map((p) => rows.filter((r) => r.path_id === p).length);
  }

  test("a batch left running with an expired lease is finished by the resume; the path issued before the crash is not issued again", async () => {
    const paths = await pathsWithHours(3);
    const id = await deadBatch(paths, { issued: [paths[0]] });
    const before = await batch(id);
    assert.equal(before.done, 1);
    assert.deepEqual(await resumeCertificateBatches(t.db, t.clock, quiet), { resumed: 1 });
    const b = await batch(id);
    assert.equal(b.status, "done");
    assert.equal(b.done, 3);
    assert.equal(b.failed, 0);
    assert.equal(b.certificate_ids.length, 3);
    assert.ok(b.certificate_ids.includes(before.certificate_ids[0]), "the certificate issued before the crash is the batch's");
    assert.equal(b.claimed_until, null, "the lease is given back when the batch ends");
    assert.deepEqual(await certificatesPerPath(paths), [1, 1, 1]);
    const items = await t.db.selectFrom("document_batch_item").select(["certificate_id", "error"]).where("batch_id", "=", id).execute();
    assert.ok(items.every((i) => i.certificate_id && !i.error));
    assert.deepEqual(await resumeCertificateBatches(t.db, t.clock, quiet), { resumed: 0 }, "a finished batch is not taken again");
    const progress = await t.api("GET", `/api/certificate-batches/${id}`, token);
    assert.equal(progress.body.status, "done");
    assert.equal(progress.body.done, 3);
    const pdf = await t.app.request(`/api/certificate-batches/${id}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(pdf.status, 200);
  });

  test("a batch whose runner still holds its lease is not stolen; once the lease has run out it is taken up", async () => {
    const paths = await pathsWithHours(2);
    const id = await deadBatch(paths, { claimedUntil: at(30_000) });
    const held = await batch(id);
    assert.deepEqual(await resumeCertificateBatches(t.db, t.clock, quiet), { resumed: 0 });
    const still = await batch(id);
    assert.equal(still.status, "running");
    assert.equal(still.claimed_by, held.claimed_by);
    assert.equal(still.claimed_until?.toISOString(), held.claimed_until?.toISOString());
    assert.equal(still.done, 0);
    assert.deepEqual(await certificatesPerPath(paths), [0, 0]);
    t.clock.set(at(30_001).toISOString());
    assert.deepEqual(await resumeCertificateBatches(t.db, t.clock, quiet), { resumed: 1 });
    assert.equal((await batch(id)).status, "done");
    assert.deepEqual(await certificatesPerPath(paths), [1, 1]);
  });

  test("CP-CERTIFICATE-OF-COMPLETION: a path that cannot be issued is recorded, the batch ends failed with a French message on the progress page", async () => {
    const [ok] = await pathsWithHours(1);
    const [draft] = await pathsWithHours(1, "draft");
    const id = await deadBatch([ok, draft]);
    assert.deepEqual(await resumeCertificateBatches(t.db, t.clock, quiet), { resumed: 1 });
    const b = await batch(id);
    assert.equal(b.status, "failed");
    assert.equal(b.done, 1);
    assert.equal(b.failed, 1);
    assert.ok(b.finished_at);
    assert.match(b.error ?? "", /1 certificat\(s\) sur 2 n'ont pas pu être émis/);
    assert.match(b.error ?? "", /Le parcours n'est pas encore validé.*\(CP-CERTIFICATE-OF-COMPLETION\)/);
    const item = await t.db.selectFrom("document_batch_item").select(["certificate_id", "error"]).where("batch_id", "=", id).where("path_id", "=", draft).executeTakeFirstOrThrow();
    assert.equal(item.certificate_id, null);
    assert.match(item.error ?? "", /CP-CERTIFICATE-OF-COMPLETION/);
    assert.deepEqual(await certificatesPerPath([ok, draft]), [1, 0]);
    const page = await t.pageSession(fx.adminEmail);
    const fragment = await page.get(`/documents/lots/${id}/progression`);
    assert.equal(fragment.status, 200);
    assert.match(fragment.html, /1 \/ 2 certificat\(s\) émis, 1 en erreur — terminé avec des erreurs/);
    assert.match(fragment.html, /role="alert"[^>]*>\s*Échec du lot : 1 certificat\(s\) sur 2/);
    assert.doesNotMatch(fragment.html, /hx-trigger/, "a failed batch is no longer polled");
    assert.match(fragment.html, /Télécharger les certificats émis/);
    const pdf = await t.app.request(`/api/certificate-batches/${id}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(pdf.status, 200, "the certificates that were issued still download");
  });

  test(`a batch that keeps killing its runner (${BATCH_MAX_ATTEMPTS} claims without progress) ends failed instead of being taken up forever`, async () => {
    const paths = await pathsWithHours(1);
    const id = await deadBatch(paths, { attempts: BATCH_MAX_ATTEMPTS });
    assert.deepEqual(await resumeCertificateBatches(t.db, t.clock, quiet), { resumed: 1 });
    const b = await batch(id);
    assert.equal(b.status, "failed");
    assert.match(b.error ?? "", new RegExp(`interrompu ${BATCH_MAX_ATTEMPTS} fois sans progresser`));
    assert.deepEqual(await certificatesPerPath(paths), [0]);
    // One claim short of the limit, progress resets the count: the batch is finished.
    const again = await deadBatch(await pathsWithHours(1), { attempts: BATCH_MAX_ATTEMPTS - 1 });
    await resumeCertificateBatches(t.db, t.clock, quiet);
    assert.equal((await batch(again)).status, "done");
  });

  test(`two resumers at once: every batch finished once, exactly one certificate per path${usingPostgres ? "" : " (PGlite: one connection, interleaved)"}`, async () => {
    const groups = [await pathsWithHours(3), await pathsWithHours(3), await pathsWithHours(3)];
    const ids = [];
    for (const g of groups) ids.push(await deadBatch(g));
    const [a, b] = await Promise.all([resumeCertificateBatches(t.db, t.clock, quiet), resumeCertificateBatches(t.db, t.clock, quiet)]);
    assert.equal(a.resumed + b.resumed, 3);
    for (const id of ids) {
      const row = await batch(id);
      assert.equal(row.status, "done");
      assert.equal(row.done, 3);
      assert.equal(new Set(row.certificate_ids).size, 3);
    }
    assert.deepEqual(await certificatesPerPath(groups.flat()), Array(9).fill(1));
  });

  test("a runner thought dead that is still working, and the resumer that took its batch over: exactly one certificate per path", async () => {
    const paths = await pathsWithHours(8);
    const id = await deadBatch(paths);
    // Two processes: A sees time as it is; B's clock is past A's lease, so B takes the batch from A while A still runs.
    const clockA = t.clock;
    const later = fixedClock(at(BATCH_LEASE_MS + 60_000).toISOString());
    const runA = resumeCertificateBatches(t.db, clockA, quiet);
    for (let i = 0; i < 200 && (await batch(id)).claimed_until?.getTime() !== at(BATCH_LEASE_MS).getTime(); i++) await new Promise((r) => setTimeout(r, 5));
    const runB = resumeCertificateBatches(t.db, later, quiet);
    const [a, b] = await Promise.all([runA, runB]);
    assert.equal(a.resumed, 1);
    assert.ok(b.resumed <= 1);
    const row = await batch(id);
    assert.equal(row.status, "done");
    assert.equal(row.done, 8);
    assert.equal(new Set(row.certificate_ids).size, 8);
    assert.deepEqual(await certificatesPerPath(paths), Array(8).fill(1));
  });

  test("CP-CERTIFICATE-OF-COMPLETION: a second batch over a period a first batch covered ends done with the same certificates (reused, none issued twice)", async () => {
    const paths = await pathsWithHours(2);
    const first = await deadBatch(paths);
    await resumeCertificateBatches(t.db, t.clock, quiet);
    assert.equal((await batch(first)).status, "done");
    const second = await deadBatch(paths);
    await resumeCertificateBatches(t.db, t.clock, quiet);
    const row = await batch(second);
    assert.equal(row.status, "done", row.error ?? "");
    assert.equal(row.done, 2);
    assert.deepEqual([...row.certificate_ids].sort(), [...(await batch(first)).certificate_ids].sort());
    assert.deepEqual(await certificatesPerPath(paths), [1, 1]);
  });

  test("the background loop takes up a dead batch at startup and another on a later tick; stop() gives a running batch back", async () => {
    const until = async (id: string) => {
      for (let i = 0; i < 400 && (await batch(id)).status === "running"; i++) await new Promise((r) => setTimeout(r, 25));
      return (await batch(id)).status;
    };
    const jobs = (pollMs: string) => startBackgroundJobs({ db: t.db, clock: t.clock, config: loadConfig({ WORKER_POLL_MS: pollMs }), log: () => {} });
    const first = await deadBatch(await pathsWithHours(2));
    const atStartup = jobs("600000"); // no tick within the test: only the startup resume can finish it
    try {
      assert.equal(await until(first), "done");
    } finally {
      await atStartup.stop();
    }
    const ticking = jobs("50");
    try {
      await new Promise((r) => setTimeout(r, 100)); // the startup resume found nothing
      const second = await deadBatch(await pathsWithHours(2));
      assert.equal(await until(second), "done");
    } finally {
      await ticking.stop();
    }
    // A batch started through the API, its runner stopped at once (shutdown): whatever it had
    // issued stays, the batch is either finished or given back (no lease) and the resume ends it.
    const paths = await pathsWithHours(4);
    const start = await t.api("POST", `/api/orders/${fx.orderId}/certificate-batches`, token, { from: "2026-03-10", to: "2026-03-10" });
    assert.equal(start.status, 202);
    await stopCertificateBatches();
    const stopped = await batch(start.body.id);
    if (stopped.status === "running") assert.equal(stopped.claimed_until, null, "a stopped runner gives its batch back");
    await resumeCertificateBatches(t.db, t.clock, quiet);
    const end = await batch(start.body.id);
    assert.equal(end.status, "done");
    assert.equal(end.done, end.total);
    const rows = await t.db.selectFrom("certificate").select("path_id").where("id", "in", end.certificate_ids).execute();
    assert.equal(new Set(rows.map((r) => r.path_id)).size, end.total, "one certificate per path of the batch");
    assert.ok(paths.every((p) => rows.some((r) => r.path_id === p)));
  });
});
