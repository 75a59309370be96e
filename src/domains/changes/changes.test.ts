// Change requests end to end through the API (CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES): filed by the
// provider with its attachments, decided by the Region, applied atomically through the owning domains.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Actor } from "../../core/auth/actor.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { insertSite } from "../orders/test-fixtures.ts";
import { actorOf, addLine, mod, plan, position, register } from "../paths/testing.ts";
import { savePlan, validatePath } from "../paths/use-cases.ts";

const PDF = { filename: "rib.pdf", contentType: "application/pdf", base64: Buffer.from("%PDF-1.4 rib").toString("base64") };
const IBAN = "FR7630006000011234567890189";

describe("change requests (CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Actor;
  let provider: string;
  let region: string;

  before(async () => {
    t = await createTestContext();
    fx = await createOrderFixture(t.db, { headcount: 2, centreMinutes: 6000, companyMinutes: 0 });
    admin = await actorOf(t.db, fx.adminEmail);
    provider = await t.login(fx.adminEmail);
    region = await t.login(fx.regionEmail);
  });
  after(() => t.close());

  const file = (token: string, body: Record<string, unknown>) => t.api("POST", "/api/change-requests", token, body);
  const decide = (id: string, body: Record<string, unknown>, token = region) => t.api("POST", `/api/change-requests/${id}/decision`, token, body);
  const mails = (id: string) => t.db.selectFrom("notification").select(["recipient_email", "subject"]).where("entity", "=", "change_request").where("entity_id", "=", id).execute();

  test("CP-MODIFICATION-REQUESTS: bank details with a valid IBAN and BIC are filed with the RIB, accepted, applied with their history; both sides are mailed", async () => {
    const filed = await file(provider, { kind: "bank_details", iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP", accountHolder: "Organisme test", reason: "Changement de banque", attachments: [PDF] });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal(filed.body.status, "filed");
    assert.equal(filed.body.attachments.length, 1);
    assert.equal(filed.body.payload.iban, IBAN);
    const atFiling = await mails(filed.body.id);
    assert.ok(atFiling.some((m) => m.recipient_email === fx.regionEmail && /Nouvelle demande/.test(m.subject)));
    assert.ok(atFiling.some((m) => m.recipient_email === fx.adminEmail));
    const accepted = await decide(filed.body.id, { decision: "accepted" });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.status, "accepted");
    assert.deepEqual(accepted.body.before, { iban: null, bic: null, bank_account_holder: null });
    const p = await t.db.selectFrom("provider").select(["iban", "bic", "bank_account_holder"]).where("id", "=", fx.providerId).executeTakeFirstOrThrow();
    assert.deepEqual(p, { iban: IBAN, bic: "AGRIFRPP", bank_account_holder: "Organisme test" });
    const decided = (await mails(filed.body.id)).filter((m) => /acceptée/.test(m.subject)).map((m) => m.recipient_email).sort();
    assert.deepEqual(decided, [fx.adminEmail, fx.regionEmail].sort());
    const log = await t.db.selectFrom("transition_log").select(["from_status", "to_status"]).where("entity_id", "=", filed.body.id).orderBy("id").execute();
    assert.deepEqual(log.map((l) => `${l.from_status}→${l.to_status}`), ["null→filed", "filed→accepted"]);
    const again = await decide(filed.body.id, { decision: "refused", reason: "non" });
    assert.equal(again.status, 409);
  });

  test("CP-MODIFICATION-REQUESTS: an IBAN one digit off its checksum is refused at filing (IBAN_INVALID), a short BIC too; nothing is stored", async () => {
    const bad = await file(provider, { kind: "bank_details", iban: "FR7630006000011234567890188", bic: "AGRIFRPP", accountHolder: "X", reason: "Banque" });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.code, "IBAN_INVALID");
    const bic = await file(provider, { kind: "bank_details", iban: IBAN, bic: "AGRIFR", accountHolder: "X", reason: "Banque" });
    assert.equal(bic.body.code, "BIC_INVALID");
    const list = await t.api("GET", "/api/change-requests?status=filed", region);
    assert.equal(list.body.filter((r: { kind: string }) => r.kind === "bank_details").length, 0);
  });

  test("CP-MODIFICATION-REQUESTS: a refusal needs its reason; refused, nothing changes and the provider reads why", async () => {
    const filed = await file(provider, { kind: "legal_representative", legalRepresentative: "Jeanne Nouvelle", reason: "Nouvelle présidente" });
    assert.equal(filed.status, 201);
    const bare = await decide(filed.body.id, { decision: "refused" });
    assert.equal(bare.status, 422);
    assert.equal(bare.body.code, "CP-MODIFICATION-REQUESTS");
    const refused = await decide(filed.body.id, { decision: "refused", reason: "Joignez le procès-verbal de l'assemblée." });
    assert.equal(refused.body.status, "refused");
    const seen = await t.api("GET", `/api/change-requests/${filed.body.id}`, provider);
    assert.equal(seen.body.decisionReason, "Joignez le procès-verbal de l'assemblée.");
    const p = await t.db.selectFrom("provider").select("legal_representative").where("id", "=", fx.providerId).executeTakeFirstOrThrow();
    assert.equal(p.legal_representative, null);
  });

  test("CP-SITE-IN-LOT: a new site outside the lot's départements is refused at filing; one inside is added to the component and the order line", async () => {
    const outside = await insertSite(t.db, fx.providerId, "34", "Site de Sète");
    const refused = await file(provider, { kind: "new_site", orderId: fx.orderId, componentId: fx.componentId, siteId: outside, reason: "Nouveaux locaux" });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-SITE-IN-LOT");
    const inside = await insertSite(t.db, fx.providerId, "81", "Site d'Albi");
    const filed = await file(provider, { kind: "new_site", orderId: fx.orderId, componentId: fx.componentId, siteId: inside, reason: "Nouveaux locaux" });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal((await decide(filed.body.id, { decision: "accepted" })).status, 200);
    const order = await t.api("GET", `/api/orders/${fx.orderId}`, region);
    assert.ok(JSON.stringify(order.body).includes(inside), "the order line runs at the new site");
  });

  test("CP-ORDER-CHANGES: dates that would leave a validated path outside the order are refused at acceptance (CP-PATH-WITHIN-ORDER); the request stays filed, nothing written", async () => {
    const { pathId } = await register(t.db, admin, fx, { lastName: "Durand" });
    await position(t.db, admin, pathId, 240);
    await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 1760)]));
    await validatePath(t.db, admin, pathId);
    const filed = await file(provider, { kind: "order_dates", orderId: fx.orderId, plannedStart: "2026-02-01", plannedEnd: "2026-06-29", reason: "Fin avancée" });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const refused = await decide(filed.body.id, { decision: "accepted" });
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(refused.body.code, "CP-PATH-WITHIN-ORDER");
    assert.equal((await t.api("GET", `/api/change-requests/${filed.body.id}`, region)).body.status, "filed");
    const exact = await file(provider, { kind: "order_dates", orderId: fx.orderId, plannedStart: "2026-02-01", plannedEnd: "2026-06-30", reason: "Fin avancée au dernier jour des parcours" });
    assert.equal((await decide(exact.body.id, { decision: "accepted" })).status, 200);
    assert.equal((await t.api("GET", `/api/orders/${fx.orderId}`, region)).body.plannedEnd, "2026-06-30");
  });

  test("CP-ORDER-CHANGES: dropping a component with paths is refused at acceptance; a component without paths is dropped", async () => {
    const extra = await addLine(t.db, fx, { centreMinutes: 3000 });
    const withPaths = await file(provider, { kind: "drop_component", orderId: fx.orderId, componentId: fx.componentId, reason: "Plus de formateur" });
    const refused = await decide(withPaths.body.id, { decision: "accepted" });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "ORDER_LINE_HAS_PATHS");
    const empty = await file(provider, { kind: "drop_component", orderId: fx.orderId, componentId: extra.componentId, reason: "Pas de candidats" });
    assert.equal((await decide(empty.body.id, { decision: "accepted" })).status, 200);
    const order = await t.api("GET", `/api/orders/${fx.orderId}`, region);
    assert.equal(order.body.lines.length, 1);
  });

  test("another provider's request, order or site answers 404 like an unknown id; only the Region decides", async () => {
    const other = await createOrderFixture(t.db);
    const otherToken = await t.login(other.adminEmail);
    const mine = await file(provider, { kind: "address", address: "3 rue Neuve, 31000 Toulouse", reason: "Déménagement" });
    assert.equal((await t.api("GET", `/api/change-requests/${mine.body.id}`, otherToken)).status, 404);
    assert.equal((await decide(mine.body.id, { decision: "accepted" }, otherToken)).status, 404);
    assert.equal((await decide(mine.body.id, { decision: "accepted" }, provider)).status, 403);
    const foreignOrder = await file(provider, { kind: "order_dates", orderId: other.orderId, plannedStart: "2026-02-01", plannedEnd: "2026-12-31", reason: "x" });
    assert.equal(foreignOrder.status, 404);
    const foreignSite = await file(provider, { kind: "new_site", orderId: fx.orderId, componentId: fx.componentId, siteId: other.siteId, reason: "x" });
    assert.equal(foreignSite.status, 404);
    const list = await t.api("GET", "/api/change-requests", otherToken);
    assert.equal(list.body.length, 0);
  });
});

describe("change request pages (CP-MODIFICATION-REQUESTS)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  before(async () => {
    t = await createTestContext();
    fx = await createOrderFixture(t.db);
  });
  after(() => t.close());

  test("CP-MODIFICATION-REQUESTS: the provider files bank details through the form (an invalid IBAN is shown next to its field); the Region accepts on the request's page", async () => {
    const provider = await t.pageSession(fx.adminEmail);
    const form = await provider.get("/demandes/nouvelle?type=bank_details");
    assert.equal(form.status, 200);
    assert.match(form.html, /IBAN/);
    const bad = await provider.post("/demandes/nouvelle", { kind: "bank_details", iban: "FR7630006000011234567890188", bic: "AGRIFRPP", accountHolder: "Organisme", reason: "Nouvelle banque" });
    assert.equal(bad.status, 422);
    assert.match(bad.html, /clé de contrôle incorrecte/);
    const ok = await provider.post("/demandes/nouvelle", { kind: "bank_details", iban: IBAN, bic: "AGRIFRPP", accountHolder: "Organisme", reason: "Nouvelle banque" });
    assert.equal(ok.status, 303, ok.html.slice(0, 500));
    const region = await t.pageSession(fx.regionEmail);
    const list = await region.get("/demandes");
    assert.match(list.html, /Coordonnées bancaires/);
    const page = await region.get(ok.location!);
    assert.match(page.html, /Décision de la Région/);
    const decided = await region.post(`${ok.location}/decision`, { decision: "accepted", reason: "" });
    assert.equal(decided.status, 303);
    assert.match((await region.get(ok.location!)).html, /Acceptée/);
  });
});
