// Closing an order (the Region) and the realised self-study warning at close (CP-SELFSTUDY-MAX-20,
// second sentence; CP-EFORM-SELFSTUDY-MAX-50 for the e-formation part). Realised minutes come from
// signed attendance rows and the recorded positioning (§12.1, realised centre minutes, §12.2), read
// by the ledger, as in src/domains/ledger/ledger.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Actor } from "../../core/auth/actor.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { actorOf, addLine, mod, plan, position, register } from "../paths/testing.ts";
import { exitPath, savePlan, validatePath } from "../paths/use-cases.ts";
import { realisedSelfStudyAtClose, realisedSelfStudyParts } from "./rules.ts";
import { cookieSession } from "./test-fixtures.ts";

const GENERAL = "Anglais général";
const DISTANCE = "Anglais à distance (tutorat)";
const SELF_STUDY = "Autoformation guidée";

describe("CP-SELFSTUDY-MAX-20 at close (pure rule)", () => {
  const part = (selfStudy: number, centre: number, eFormation = false) =>
    realisedSelfStudyParts([{ eFormation, realised: { selfStudy, centreMinutes: centre } }])[0];

  test("CP-SELFSTUDY-MAX-20 exactly 20 % of realised centre minutes passes, 1 minute over warns (warning, never an error)", () => {
    assert.equal(realisedSelfStudyAtClose(part(60, 300)), undefined);
    const over = realisedSelfStudyAtClose(part(61, 301));
    assert.equal(over?.code, "CP-SELFSTUDY-MAX-20");
    assert.equal(over?.severity, "warning");
    assert.match(over?.message ?? "", /CP-SELFSTUDY-MAX-20/);
    // 20 % of 6 004 is 1 200.8: 1 200 passes, 1 201 warns (no rounding either way).
    assert.equal(realisedSelfStudyAtClose(part(1200, 6004)), undefined);
    assert.equal(realisedSelfStudyAtClose(part(1201, 6004))?.code, "CP-SELFSTUDY-MAX-20");
    assert.equal(realisedSelfStudyAtClose(part(0, 0)), undefined, "nothing realised: nothing to say");
  });

  test("CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50: e-formation lines are judged at 50 %, each part on its own figure", () => {
    assert.equal(realisedSelfStudyAtClose(part(100, 200, true)), undefined);
    assert.equal(realisedSelfStudyAtClose(part(101, 201, true))?.code, "CP-EFORM-SELFSTUDY-MAX-50");
    const parts = realisedSelfStudyParts([
      { eFormation: false, realised: { selfStudy: 60, centreMinutes: 300 } },
      { eFormation: true, realised: { selfStudy: 100, centreMinutes: 200 } },
    ]);
    assert.deepEqual(
      parts.map((p) => [p.code, p.capPercent, p.selfStudyMinutes, p.centreMinutes, p.capMinutes, p.over]),
      [
        ["CP-SELFSTUDY-MAX-20", 20, 60, 300, 60, false],
        ["CP-EFORM-SELFSTUDY-MAX-50", 50, 100, 200, 100, false],
      ],
      "pooled, 160 of 500 would be 32 %: each part keeps its own cap",
    );
  });
});

describe("closing an order (POST /api/orders/{id}/close, /commandes/:id/cloturer)", () => {
  let t: TestContext;
  let region: string;
  let regionEmail: string;

  before(async () => {
    t = await createTestContext("2026-07-01T08:00:00Z");
  });
  after(() => t.close());

  /** An order of 1 × 100 h centre (self-study budget 20 h), optionally with an e-formation line of 1 × 50 h. */
  async function newOrder(opts: { eFormation?: boolean } = {}) {
    const fx = await createOrderFixture(t.db, { headcount: 1, centreMinutes: 6000, companyMinutes: 0 });
    const admin = await actorOf(t.db, fx.adminEmail);
    const eLine = opts.eFormation ? await addLine(t.db, fx, { eFormation: true, centreMinutes: 3000 }) : undefined;
    regionEmail = fx.regionEmail;
    region = await t.login(fx.regionEmail);
    return { fx, admin, eLine };
  }

  /**
   * A validated path (real positioning, plan and validation) whose positioning (240 min unless
   * given) and signed attendance realise `realised` minutes, then ends (closed) unless `keepRunning`.
   */
  async function pathWith(
    fx: OrderFixture,
    admin: Actor,
    realised: { positioning?: number; centre?: number; distance?: number; selfStudy: number },
    opts: { eLine?: Awaited<ReturnType<typeof addLine>>; keepRunning?: boolean } = {},
  ) {
    const line = opts.eLine;
    const { pathId } = await register(t.db, admin, fx, line ? { orderLineId: line.orderLineId } : {});
    await position(t.db, admin, pathId, realised.positioning ?? 240);
    const items = line
      ? [mod(line.moduleIds[DISTANCE], "distance", 500), mod(line.moduleIds[SELF_STUDY], "self_study", 300, { selfStudyLocation: "remote" })]
      : [mod(fx.moduleIds[GENERAL], "centre", 1000), mod(fx.moduleIds[SELF_STUDY], "self_study", 300)];
    await savePlan(t.db, admin, pathId, plan(items));
    await validatePath(t.db, admin, pathId);
    const orderLineId = line?.orderLineId ?? fx.orderLineId;
    const sign = async (date: string, modality: "centre" | "distance" | "self_study", minutes: number) => {
      if (minutes === 0) return;
      const slotId = await addSlot(t.db, { providerId: fx.providerId, orderLineId, date, modality, location: "remote", minutes, pathIds: [pathId] });
      await addAttendance(t.db, { slotId, pathId, minutes, method: modality === "self_study" ? "self_study" : modality === "distance" ? "remote" : "qr" });
    };
    await sign("2026-03-10", "centre", realised.centre ?? 0);
    await sign("2026-03-11", "distance", realised.distance ?? 0);
    await sign("2026-03-12", "self_study", realised.selfStudy);
    if (!opts.keepRunning) await exitPath(t.db, admin, pathId, { status: "closed", actualExitDate: "2026-06-30" });
    return pathId;
  }

  const close = (orderId: string, token = region) => t.api("POST", `/api/orders/${orderId}/close`, token);

  test("CP-SELFSTUDY-MAX-20 exactly 20 % realised (60 min of 300): the order closes with no warning", async () => {
    const { fx, admin } = await newOrder();
    await pathWith(fx, admin, { selfStudy: 60 });
    const before = await t.api("GET", `/api/orders/${fx.orderId}/consumption`, region);
    assert.deepEqual(before.body.selfStudy, [
      { eFormation: false, code: "CP-SELFSTUDY-MAX-20", capPercent: 20, selfStudyMinutes: 60, centreMinutes: 300, capMinutes: 60, over: false },
    ]);
    const res = await close(fx.orderId);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.warnings, []);
    assert.equal(res.body.order.status, "closed");
    assert.equal(res.body.order.closedAt, "2026-07-01T08:00:00.000Z");
    assert.deepEqual(res.body.order.closeWarnings, []);
    const audit = await t.db.selectFrom("audit_log").select("entity_id").where("action", "=", "order.close").execute();
    assert.ok(audit.some((a) => a.entity_id === fx.orderId));
  });

  test("CP-SELFSTUDY-MAX-20 one minute over 20 % (61 of 301): warning returned, stored, audited — the close goes through", async () => {
    const { fx, admin } = await newOrder();
    await pathWith(fx, admin, { selfStudy: 61 });
    const res = await close(fx.orderId);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.order.status, "closed");
    assert.deepEqual(
      res.body.warnings.map((w: { code: string; severity: string }) => `${w.code} ${w.severity}`),
      ["CP-SELFSTUDY-MAX-20 warning"],
    );
    assert.deepEqual(res.body.warnings[0].details, { eFormation: false, selfStudyMinutes: 61, centreMinutes: 301, capPercent: 20, capMinutes: 60 });
    // Stored with the order: still there afterwards, on the order and in the consumption's findings.
    const order = await t.api("GET", `/api/orders/${fx.orderId}`, region);
    assert.equal(order.body.closeWarnings[0].code, "CP-SELFSTUDY-MAX-20");
    const providerView = await t.api("GET", `/api/orders/${fx.orderId}/consumption`, await t.login(fx.adminEmail));
    assert.equal(providerView.body.orderFindings[0].code, "CP-SELFSTUDY-MAX-20");
    assert.equal(providerView.body.selfStudy[0].over, true);
    const audit = await t.db.selectFrom("audit_log").select("details").where("action", "=", "order.close").where("entity_id", "=", fx.orderId).executeTakeFirstOrThrow();
    assert.equal((audit.details as { warnings: { code: string }[] }).warnings[0].code, "CP-SELFSTUDY-MAX-20");
    const transition = await t.db.selectFrom("transition_log").selectAll().where("entity", "=", "order").where("entity_id", "=", fx.orderId).executeTakeFirstOrThrow();
    assert.equal(`${transition.from_status}→${transition.to_status}`, "issued→closed");
  });

  test("CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50 mixed order: the e-formation part at 50 %, each part with its own figure", async () => {
    // Normal part 60 of 300 (20 %), e-formation part 100 of 200 (50 %): no warning, although pooled it would be 32 %.
    const exact = await newOrder({ eFormation: true });
    await pathWith(exact.fx, exact.admin, { selfStudy: 60 });
    await pathWith(exact.fx, exact.admin, { positioning: 100, selfStudy: 100 }, { eLine: exact.eLine });
    const ok = await close(exact.fx.orderId);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.warnings, []);
    assert.deepEqual(
      ok.body.selfStudy.map((p: { code: string; selfStudyMinutes: number; centreMinutes: number }) => `${p.code} ${p.selfStudyMinutes}/${p.centreMinutes}`),
      ["CP-SELFSTUDY-MAX-20 60/300", "CP-EFORM-SELFSTUDY-MAX-50 100/200"],
    );
    // One minute over in the e-formation part only: its warning, and none for the normal part.
    const over = await newOrder({ eFormation: true });
    await pathWith(over.fx, over.admin, { selfStudy: 60 });
    await pathWith(over.fx, over.admin, { positioning: 100, selfStudy: 101 }, { eLine: over.eLine });
    const warned = await close(over.fx.orderId);
    assert.equal(warned.status, 200);
    assert.deepEqual(
      warned.body.warnings.map((w: { code: string; severity: string }) => `${w.code} ${w.severity}`),
      ["CP-EFORM-SELFSTUDY-MAX-50 warning"],
    );
    assert.match(warned.body.warnings[0].message, /e-formation/);
  });

  test("CP-SELFSTUDY-MAX-20 only the Region closes: provider staff 403 (own or another provider's order), unknown order 404", async () => {
    const { fx, admin } = await newOrder();
    await pathWith(fx, admin, { selfStudy: 61 });
    const own = await close(fx.orderId, await t.login(fx.adminEmail));
    assert.equal(own.status, 403);
    const other = await createOrderFixture(t.db);
    assert.equal((await close(fx.orderId, await t.login(other.adminEmail))).status, 403);
    assert.equal((await close("00000000-0000-4000-8000-000000000000")).status, 404);
    assert.equal((await t.db.selectFrom("order").select("status").where("id", "=", fx.orderId).executeTakeFirstOrThrow()).status, "issued");
    assert.equal((await t.api("POST", `/api/orders/${fx.orderId}/close`)).status, 401);
  });

  test("CP-SELFSTUDY-MAX-20 closing twice: 409 ORDER_CLOSED, the stored warning and close time unchanged; a closed order refuses edits", async () => {
    const { fx, admin } = await newOrder();
    await pathWith(fx, admin, { selfStudy: 61 });
    assert.equal((await close(fx.orderId)).status, 200);
    t.clock.set("2026-07-02T08:00:00Z");
    const again = await close(fx.orderId);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "ORDER_CLOSED");
    const order = await t.api("GET", `/api/orders/${fx.orderId}`, region);
    assert.equal(order.body.closedAt, "2026-07-01T08:00:00.000Z");
    assert.deepEqual(order.body.closeWarnings.map((w: { code: string }) => w.code), ["CP-SELFSTUDY-MAX-20"]);
    const edit = await t.api("PATCH", `/api/orders/${fx.orderId}`, region, { headcount: 3 });
    assert.equal(edit.body.code, "ORDER_CLOSED");
    // Nor does it take new trainees, even through the API (checked under the order's lock).
    await assert.rejects(register(t.db, admin, fx), (e: { code?: string }) => e.code === "ORDER_CLOSED");
    t.clock.set("2026-07-01T08:00:00Z");
  });

  test("CP-SELFSTUDY-MAX-20 two officers closing at once: one closes, the other gets ORDER_CLOSED", async () => {
    const { fx, admin } = await newOrder();
    await pathWith(fx, admin, { selfStudy: 60 });
    const results = await Promise.all([close(fx.orderId), close(fx.orderId)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    assert.equal(results.find((r) => r.status === 409)?.body.code, "ORDER_CLOSED");
    const transitions = await t.db.selectFrom("transition_log").select("id").where("entity", "=", "order").where("entity_id", "=", fx.orderId).execute();
    assert.equal(transitions.length, 1);
  });

  test("CP-SELFSTUDY-MAX-20 paths still running refuse the close (409 ORDER_PATHS_RUNNING, how many); once they end it closes", async () => {
    const { fx, admin } = await newOrder();
    const validated = await pathWith(fx, admin, { selfStudy: 60 }, { keepRunning: true });
    const { pathId: draft } = await register(t.db, admin, fx);
    const res = await close(fx.orderId);
    assert.equal(res.status, 409);
    assert.equal(res.body.code, "ORDER_PATHS_RUNNING");
    assert.match(res.body.detail, /2 parcours sont encore en cours sur cette commande \(1 validé \(en formation\), 1 en brouillon\)/);
    assert.equal((await t.db.selectFrom("order").select("status").where("id", "=", fx.orderId).executeTakeFirstOrThrow()).status, "issued");
    await exitPath(t.db, admin, validated, { status: "closed", actualExitDate: "2026-06-30" });
    await exitPath(t.db, admin, draft, { status: "dropped", actualExitDate: "2026-03-02", reason: "N'a pas commencé" });
    assert.equal((await close(fx.orderId)).status, 200);
  });

  test("CP-SELFSTUDY-MAX-20 order page: the share is shown before close, the form closes (303) and the warning stays on the page", async () => {
    const { fx, admin } = await newOrder();
    await pathWith(fx, admin, { selfStudy: 61 });
    const officer = await cookieSession(t, regionEmail);
    const provider = await cookieSession(t, fx.adminEmail);
    const page = await (await officer.get(`/commandes/${fx.orderId}`)).text();
    assert.match(page, /<h3 id="autoformation-realisee">Autoformation réalisée et plafond à la clôture<\/h3>/);
    assert.match(page, /<td class="num">1 h 01 min<\/td><td class="num">5 h 01 min<\/td><td class="num">20,2 %<\/td>/);
    assert.match(page, /Au-delà : avertissement <small class="rule-id">CP-SELFSTUDY-MAX-20<\/small> à la clôture/);
    assert.match(page, /<button type="submit">Clôturer la commande<\/button>/);
    assert.doesNotMatch(await (await provider.get(`/commandes/${fx.orderId}`)).text(), /Clôturer la commande/, "provider staff do not close orders");
    assert.equal((await provider.post(`/commandes/${fx.orderId}/cloturer`, [["confirm", "1"]])).status, 403);

    const unconfirmed = await officer.post(`/commandes/${fx.orderId}/cloturer`, []);
    assert.equal(unconfirmed.status, 422);
    assert.match(await unconfirmed.text(), /id="f-confirm-err">Cochez la confirmation pour clôturer la commande\./);

    const done = await officer.post(`/commandes/${fx.orderId}/cloturer`, [["confirm", "1"]]);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), `/commandes/${fx.orderId}?cloturee=1#cloture`);
    const after = await (await officer.get(`/commandes/${fx.orderId}?cloturee=1`)).text();
    assert.match(after, /La commande a été clôturée\. 1 avertissement de conformité a été émis/);
    assert.match(after, /Commande close le 1 juillet 2026 à 10:00/);
    assert.match(after, /<li data-code="CP-SELFSTUDY-MAX-20"><strong>Autoformation de 20 % au plus<\/strong> <small class="rule-id">\(CP-SELFSTUDY-MAX-20\)<\/small> — À la clôture, l&#39;autoformation réalisée des composantes hors e-formation atteint 1 h 01 min/);
    assert.match(after, /<tr data-code="CP-SELFSTUDY-MAX-20"><td>La commande \(à sa clôture\)<\/td>/, "listed with the consumption's findings");
    assert.doesNotMatch(after, /Clôturer la commande|Modifier la commande/);
    const seenByProvider = await (await provider.get(`/commandes/${fx.orderId}`)).text();
    assert.match(seenByProvider, /<tr data-code="CP-SELFSTUDY-MAX-20"><td>La commande \(à sa clôture\)<\/td>/);

    const twice = await officer.post(`/commandes/${fx.orderId}/cloturer`, [["confirm", "1"]]);
    assert.equal(twice.status, 422);
    assert.match(await twice.text(), /role="alert"[\s\S]*déjà close/);
  });

  test("CP-SELFSTUDY-MAX-20 order page: the paths blocking the close are listed with links and the button is hidden while any remain (issue 10, point 8); a forced post still refuses, and its URL reloaded is not a 404", async () => {
    const { fx, admin } = await newOrder();
    const pathId = await pathWith(fx, admin, { selfStudy: 60 }, { keepRunning: true });
    const officer = await cookieSession(t, regionEmail);
    const page = await (await officer.get(`/commandes/${fx.orderId}`)).text();
    assert.match(page, /1 parcours empêche la clôture/);
    assert.match(page, new RegExp(`<a href="/parcours/${pathId}">`));
    assert.doesNotMatch(page, /action="\/commandes\/[^"]+\/cloturer"/);
    assert.doesNotMatch(page, />Clôturer la commande</);
    const refused = await officer.post(`/commandes/${fx.orderId}/cloturer`, [["confirm", "1"]]);
    assert.equal(refused.status, 422);
    const html = await refused.text();
    assert.match(html, /<div class="alert error error-summary" role="alert" tabindex="-1" autofocus=""><h2>La commande n&#39;a pas été clôturée<\/h2>/);
    assert.match(html, /Clôture impossible : 1 parcours est encore en cours sur cette commande \(1 validé \(en formation\)\)/);
    const reloaded = await officer.get(`/commandes/${fx.orderId}/cloturer`);
    assert.equal(reloaded.status, 303);
    assert.equal(reloaded.headers.get("location"), `/commandes/${fx.orderId}`);
  });
});
