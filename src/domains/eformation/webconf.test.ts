// CP-WEBCONF through the pages: the provider's form on the component page (capability checklist,
// learning platform), the Region's review there, and a distance slot's join link shown to the
// trainee in « Mon planning » and in the iCalendar feed.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type PageSession, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { slotFor, traineePath } from "../access-sites/testing.ts";

const FULL = { toolName: "Visio Classe", capabilities: ["audio_video_16", "screen_sharing", "remote_control", "whiteboard", "file_transfer"], platform: "region_moodle" };

describe("CP-WEBCONF pages: the provider's declaration, the Region's review, the join link for the trainee", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let other: OrderFixture;
  let componentId: string;
  let provider: PageSession;
  let region: PageSession;
  let stranger: PageSession;
  let traineeEmail: string;

  before(async () => {
    t = await createTestContext("2026-03-10T09:00:00Z");
    fx = await createOrderFixture(t.db, { eFormation: true });
    other = await createOrderFixture(t.db, { eFormation: true });
    componentId = (await t.db.selectFrom("order_line").select("component_id").where("id", "=", fx.orderLineId).executeTakeFirstOrThrow()).component_id;
    provider = await t.pageSession(fx.adminEmail);
    region = await t.pageSession(fx.regionEmail);
    stranger = await t.pageSession(other.adminEmail);
    const p = await traineePath(t.db, fx, { lastName: "Lacombe" });
    const slotId = await slotFor(t.db, fx, [p.pathId], "2026-03-12", "09:00", "12:00");
    await t.db.updateTable("slot").set({ virtual_room_url: "https://visio.exemple.fr/classe-b1?salle=7" }).where("id", "=", slotId).execute();
    traineeEmail = "ines.lacombe@exemple.fr";
    await createUser(t.db, { email: traineeEmail, role: "trainee", traineeId: p.traineeId, fullName: "Inès Lacombe" });
  });
  after(() => t.close());

  const page = () => `/eformation/composantes/${componentId}`;

  test("CP-WEBCONF: the form lists every capability; an unchecked one is refused (422) and named at its checkbox; own platform without address refused", async () => {
    const form = await provider.get(page());
    assert.equal(form.status, 200);
    for (const label of ["Audio et vidéo pour 16 personnes au moins", "Partage d&#39;écran|Partage d'écran", "Prise en main à distance", "Tableau blanc", "Transfert de fichiers"]) assert.match(form.html, new RegExp(label));
    assert.match(form.html, /Envoyer la déclaration à la Région/);
    const lacking = await provider.post(`${page()}/outils`, { ...FULL, capabilities: FULL.capabilities.filter((k) => k !== "whiteboard") });
    assert.equal(lacking.status, 422);
    assert.match(lacking.html, /CP-WEBCONF/);
    assert.match(lacking.html, /href="#f-cap-whiteboard"/);
    assert.match(lacking.html, /doit offrir : tableau blanc/);
    const ownBare = await provider.post(`${page()}/outils`, { ...FULL, platform: "own", platformName: "Notre LMS" });
    assert.equal(ownBare.status, 422);
    assert.match(ownBare.html, /Nommez votre plateforme/);
    assert.equal(await t.db.selectFrom("eformation_webconf").select("component_id").where("component_id", "=", componentId).executeTakeFirst(), undefined);
  });

  test("CP-WEBCONF: the declaration goes to the Region, which refuses it with a reason, then accepts the new one; the home page shows the status", async () => {
    const sent = await provider.post(`${page()}/outils`, { ...FULL, platform: "own", platformName: "Campus Numérique", platformUrl: "https://campus.exemple.fr" });
    assert.equal(sent.status, 303);
    const seen = await region.get(page());
    assert.match(seen.html, /Visio Classe/);
    assert.match(seen.html, /Campus Numérique/);
    assert.match(seen.html, /À examiner/);
    assert.doesNotMatch(seen.html, /Envoyer la déclaration à la Région/, "the Region reviews, it does not declare");
    const bare = await region.post(`${page()}/outils/decision`, { decision: "refused", reason: "" });
    assert.equal(bare.status, 422);
    assert.match(bare.html, /Un refus est motivé/);
    assert.equal((await region.post(`${page()}/outils/decision`, { decision: "refused", reason: "Prise en main à distance non démontrée" })).status, 303);
    const back = await provider.get(page());
    assert.match(back.html, /Refusée/);
    assert.match(back.html, /Prise en main à distance non démontrée/);
    assert.equal((await provider.post(`${page()}/outils`, FULL)).status, 303);
    assert.equal((await provider.post(`${page()}/outils/decision`, { decision: "accepted" })).status, 403, "the provider does not accept its own tools");
    assert.equal((await region.post(`${page()}/outils/decision`, { decision: "accepted" })).status, 303);
    assert.match((await region.get("/eformation")).html, /Acceptée/);
    assert.match((await provider.get(page())).html, /Moodle de la Région/);
  });

  test("CP-WEBCONF: another provider's component answers 404 like an unknown one, for the page and both forms", async () => {
    assert.equal((await stranger.get(page())).status, 404);
    assert.equal((await stranger.post(`${page()}/outils`, FULL)).status, 404);
    assert.equal((await stranger.post(`${page()}/outils/decision`, { decision: "accepted" })).status, 404);
  });

  test("CP-WEBCONF: a distance slot's join link is on « Mon planning » and is the LOCATION of its iCalendar event", async () => {
    const trainee = await t.pageSession(traineeEmail);
    const mine = await trainee.get("/mon-planning");
    assert.equal(mine.status, 200);
    assert.match(mine.html, /<a class="button big" href="https:\/\/visio\.exemple\.fr\/classe-b1\?salle=7"[^>]*>\s*Rejoindre la classe virtuelle/);
    const issued = await trainee.post("/mon-planning/agenda", {});
    const url = /href="(http[^"]+\.ics)"/.exec(issued.html)?.[1];
    assert.ok(url, "the feed's link is shown");
    const res = await t.app.request(new URL(url).pathname);
    assert.equal(res.status, 200);
    const ics = (await res.text()).replace(/\r\n /g, "");
    const event = ics.split("BEGIN:VEVENT")[1] ?? "";
    assert.match(event, /SUMMARY:À distance \(classe virtuelle\)/);
    assert.match(event, /LOCATION:https:\/\/visio\.exemple\.fr\/classe-b1\?salle=7\r\n/);
  });
});
