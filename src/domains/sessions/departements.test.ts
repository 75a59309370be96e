// CP-EFORM-REGIONAL-RECRUIT: an e-formation session recruits region-wide — the catalogue shows it
// in every département — and its page counts candidacies and trainees per département of residence.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { newId } from "../../core/time.ts";
import { traineePath } from "../access-sites/testing.ts";
import { actorOf } from "../paths/testing.ts";
import { catalogue, sessionDepartements } from "./use-cases.ts";

describe("CP-EFORM-REGIONAL-RECRUIT: region-wide recruitment of e-formation sessions", () => {
  let t: TestContext;
  let eform: OrderFixture;
  let plain: OrderFixture;
  let eformSession: string;
  let plainSession: string;

  const session = async (fx: OrderFixture) => {
    const id = newId();
    await t.db.insertInto("session").values({ id, provider_id: fx.providerId, order_line_id: fx.orderLineId, site_id: fx.siteId, start_date: "2026-04-06", end_date: "2026-06-30", places: 12, published_at: new Date("2026-03-01T08:00:00Z") }).execute();
    return id;
  };
  const candidacy = async (fx: OrderFixture, sessionId: string, departement: string | null, status: "received" | "entered" | "withdrawn") => {
    const candidateId = newId();
    await t.db.insertInto("candidate").values({ id: candidateId, first_name: "Lina", last_name: `Candidate ${departement}`, birth_date: "1991-01-01", residence_departement_code: departement }).execute();
    const pathId = status === "entered" ? (await traineePath(t.db, fx)).pathId : null;
    await t.db.insertInto("candidacy").values({ id: newId(), candidate_id: candidateId, session_id: sessionId, provider_id: fx.providerId, origin: "direct_eformation", status, path_id: pathId }).execute();
  };

  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    eform = await createOrderFixture(t.db, { eFormation: true, hybrid: "none" }); // its site is in Haute-Garonne (31)
    plain = await createOrderFixture(t.db, { lotId: eform.lotId });
    eformSession = await session(eform);
    plainSession = await session(plain);
    for (const [d, s] of [["46", "entered"], ["46", "entered"], ["12", "received"], ["31", "entered"], [null, "entered"], ["65", "withdrawn"]] as const) await candidacy(eform, eformSession, d, s);
  });
  after(() => t?.close());

  test("CP-EFORM-REGIONAL-RECRUIT: the catalogue filtered on the Lot (46) lists the e-formation session sited in Haute-Garonne, not the classroom one", async () => {
    const { sessions } = await catalogue(t.db, { departement: "46" }, "2026-03-02");
    const ids = sessions.map((s) => s.id);
    assert.ok(ids.includes(eformSession));
    assert.ok(!ids.includes(plainSession));
  });

  test("CP-EFORM-REGIONAL-RECRUIT: the session counts candidacies and trainees per département (withdrawn apart, unknown last); another provider gets 404", async () => {
    const region = await actorOf(t.db, eform.regionEmail);
    const { departements } = await sessionDepartements(t.db, region, eformSession);
    assert.deepEqual(
      departements.map((d) => `${d.code ?? "?"}:${d.candidacies}/${d.trainees}`),
      ["12:1/0", "31:1/1", "46:2/2", "?:1/1"],
    );
    await assert.rejects(sessionDepartements(t.db, await actorOf(t.db, plain.adminEmail), eformSession), (e: { status?: number }) => e.status === 404);
    const page = await (await t.pageSession(eform.adminEmail)).get(`/sessions/${eformSession}/departements`);
    assert.equal(page.status, 200);
    assert.match(page.html, /Lot \(46\)/);
  });

  test("CP-EFORM-REGIONAL-RECRUIT: the Region's e-formation page counts trainees per département of residence over its sessions; another provider sees none of them", async () => {
    const html = (await (await t.pageSession(eform.regionEmail)).get("/eformation")).html;
    const table = html.slice(html.indexOf("Stagiaires e-formation par département de résidence"));
    assert.match(table, /<td>Haute-Garonne \(31\)<\/td><td class="num">1<\/td><td class="num">1<\/td>/);
    assert.match(table, /<td>Lot \(46\)<\/td><td class="num">2<\/td><td class="num">1<\/td>/);
    assert.match(table, /<td>Département non renseigné<\/td><td class="num">1<\/td>/);
    assert.doesNotMatch(table, /Aveyron|Hautes-Pyrénées/, "a candidacy not entered, or withdrawn, is no trainee");
    assert.match(html, new RegExp(`href="/sessions/${eformSession}/departements"`));
    const other = (await (await t.pageSession(plain.adminEmail)).get("/eformation")).html;
    assert.match(other, /Aucun stagiaire entré en e-formation/);
  });
});
