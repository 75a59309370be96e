// CP-CONTRIBUTION-RECOVERY (CCTP §2.5): the Region records a forbidden contribution, requires the refund
// (proof kept), may raise a recovery claim; the provider sees its own findings only; the compliance board
// lists a refund not proved the day after its due date.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, register } from "../paths/testing.ts";
import { parseEuros } from "./pages/contributions.tsx";
import { contributionRefundOverdue, contributionRefundProof } from "./rules.ts";

const PDF = Buffer.from("%PDF-1.4\n%test\n").toString("base64");

describe("CP-CONTRIBUTION-RECOVERY rules", () => {
  test("CP-CONTRIBUTION-RECOVERY: a refund due on 31 March is not overdue on the 31st, overdue on 1 April; once refunded never", () => {
    const f = { refund_due_on: "2026-03-31", refunded_on: null };
    assert.equal(contributionRefundOverdue(f, "2026-03-31"), undefined);
    const v = contributionRefundOverdue(f, "2026-04-01");
    assert.equal(v?.code, "CP-CONTRIBUTION-RECOVERY");
    assert.equal(v?.severity, "warning");
    assert.equal(v?.article, "CCTP §2.5");
    assert.equal(contributionRefundOverdue({ ...f, refunded_on: "2026-04-02" }, "2026-05-01"), undefined);
  });

  test("CP-CONTRIBUTION-RECOVERY: a refund without its proof is refused; amounts in euros read as cents", () => {
    assert.equal(contributionRefundProof(false)?.severity, "error");
    assert.equal(contributionRefundProof(true), undefined);
    assert.equal(parseEuros("150"), 15000);
    assert.equal(parseEuros("150,5"), 15050);
    assert.equal(parseEuros("0,01"), 1);
    assert.equal(parseEuros("12,345"), -1);
    assert.equal(parseEuros("abc"), -1);
  });
});

describe("CP-CONTRIBUTION-RECOVERY: findings, refund with proof, recovery claim (API, pages, board)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let other: OrderFixture;
  let region: string;
  let admin: string;
  let otherAdmin: string;
  let traineeId: string;
  let findingId: string;

  before(async () => {
    t = await createTestContext("2026-03-30T09:00:00Z");
    fx = await createOrderFixture(t.db);
    other = await createOrderFixture(t.db);
    region = await t.login(fx.regionEmail);
    admin = await t.login(fx.adminEmail);
    otherAdmin = await t.login(other.adminEmail);
    const { pathId } = await register(t.db, await actorOf(t.db, fx.adminEmail), fx, { lastName: "Payeur" });
    traineeId = (await t.db.selectFrom("path").select("trainee_id").where("id", "=", pathId).executeTakeFirstOrThrow()).trainee_id;
  });
  after(() => t.close());

  test("CP-CONTRIBUTION-RECOVERY: only the Region records a finding; the amount is in cents; a due date before the finding is refused", async () => {
    const body = { traineeId, foundOn: "2026-03-16", amountCents: 15000, description: "Frais de dossier de 150 € demandés à l'inscription", refundDueOn: "2026-03-31" };
    assert.equal((await t.api("POST", "/api/contribution-findings", admin, body)).status, 403);
    const bad = await t.api("POST", "/api/contribution-findings", region, { ...body, refundDueOn: "2026-03-15" });
    assert.equal(bad.status, 400);
    assert.equal((await t.api("POST", "/api/contribution-findings", region, { ...body, amountCents: 0 })).status, 400);
    const res = await t.api("POST", "/api/contribution-findings", region, body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.providerId, fx.providerId);
    assert.equal(res.body.amountCents, 15000);
    findingId = res.body.id;
  });

  test("the provider sees its own finding; another provider gets 404 like an unknown id", async () => {
    const mine = await t.api("GET", "/api/contribution-findings", admin);
    assert.deepEqual(mine.body.map((f: { id: string }) => f.id), [findingId]);
    assert.equal((await t.api("GET", "/api/contribution-findings", otherAdmin)).body.length, 0);
    const unknown = await t.api("GET", "/api/contribution-findings/00000000-0000-4000-8000-000000000000", otherAdmin);
    const theirs = await t.api("GET", `/api/contribution-findings/${findingId}`, otherAdmin);
    assert.equal(theirs.status, 404);
    assert.equal(unknown.status, 404);
    assert.equal(JSON.stringify(theirs.body).replace(findingId, "X"), JSON.stringify(unknown.body).replace("00000000-0000-4000-8000-000000000000", "X"));
  });

  test("CP-CONTRIBUTION-RECOVERY: the board lists the refund not proved on 1 April, not on 31 March", async () => {
    t.clock.set("2026-03-31T09:00:00Z");
    const on = (await t.api("GET", "/api/compliance?rule=CP-CONTRIBUTION-RECOVERY", region)).body as { href: string }[];
    assert.equal(on.length, 0);
    t.clock.set("2026-04-01T09:00:00Z");
    const after = (await t.api("GET", "/api/compliance?rule=CP-CONTRIBUTION-RECOVERY", region)).body as { href: string; since: string; article: string }[];
    assert.equal(after.length, 1);
    assert.equal(after[0].href, `/contributions/${findingId}`);
    assert.equal(after[0].since, "2026-03-31");
    assert.equal(after[0].article, "CCTP §2.5");
  });

  test("CP-CONTRIBUTION-RECOVERY: a refund without proof is refused (422); with its proof it is kept and downloadable; then off the board", async () => {
    const none = await t.api("POST", `/api/contribution-findings/${findingId}/refund`, admin, { refundedOn: "2026-03-30" });
    assert.equal(none.status, 422);
    assert.equal(none.body.code, "CP-CONTRIBUTION-RECOVERY");
    const ok = await t.api("POST", `/api/contribution-findings/${findingId}/refund`, admin, { refundedOn: "2026-03-30", proof: { filename: "virement.pdf", contentType: "application/pdf", base64: PDF } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.refundedOn, "2026-03-30");
    assert.equal(ok.body.refundProof, true);
    assert.equal((await t.api("POST", `/api/contribution-findings/${findingId}/refund`, admin, { refundedOn: "2026-03-30", proof: { filename: "v.pdf", contentType: "application/pdf", base64: PDF } })).status, 409);
    const s = await t.pageSession(fx.adminEmail);
    const proof = await s.get(`/contributions/${findingId}/preuve`);
    assert.equal(proof.status, 200);
    assert.equal((await t.api("GET", "/api/compliance?rule=CP-CONTRIBUTION-RECOVERY", region)).body.length, 0);
  });

  test("CP-CONTRIBUTION-RECOVERY: the Region records a recovery claim, the provider cannot; the pages show amount and claim in euros", async () => {
    assert.equal((await t.api("POST", `/api/contribution-findings/${findingId}/recovery`, admin, { recoveryCents: 15000, claimedOn: "2026-04-01" })).status, 403);
    const res = await t.api("POST", `/api/contribution-findings/${findingId}/recovery`, region, { recoveryCents: 15000, claimedOn: "2026-04-01" });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.recoveryCents, 15000);
    const s = await t.pageSession(fx.regionEmail);
    const list = await s.get("/contributions");
    assert.equal(list.status, 200);
    assert.match(list.html, /150,00\s€/);
    const page = await s.get(`/contributions/${findingId}`);
    assert.match(page.html, /Titre de recette/);
    assert.match(page.html, /émis le 01\/04\/2026/);
  });

  test("the Region records a finding through the form (amount in euros); a wrong amount is shown next to its field", async () => {
    const s = await t.pageSession(fx.regionEmail);
    const form = await s.get(`/contributions/nouveau?organisme=${fx.providerId}`);
    assert.equal(form.status, 200);
    assert.match(form.html, /Payeur/);
    const bad = await s.post(`/contributions/nouveau?organisme=${fx.providerId}`, { traineeId, foundOn: "2026-04-01", amount: "douze", description: "Carte de bus facturée", refundDueOn: "2026-04-15" });
    assert.equal(bad.status, 422);
    assert.match(bad.html, /Montant payé par le stagiaire/);
    const ok = await s.post(`/contributions/nouveau?organisme=${fx.providerId}`, { traineeId, foundOn: "2026-04-01", amount: "12,50", description: "Carte de bus facturée", refundDueOn: "2026-04-15" });
    assert.equal(ok.status, 303);
    const page = await s.get(ok.location!);
    assert.match(page.html, /12,50\s€/);
  });
});
