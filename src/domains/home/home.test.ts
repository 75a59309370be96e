// The to-do home (issue 10, point 1): exact counts per role over HTTP, another provider's (or
// another prescriber organisation's) objects never counted, each line linking to its object.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { newId } from "../../core/time.ts";
import { createSessionRow, FT_TOULOUSE, ML_TOULOUSE } from "../recruitment/testing.ts";

// Monday 2 March 2026, 10:00 in Paris.
const NOW = "2026-03-02T09:00:00Z";
const TODAY = "2026-03-02";

/** The count shown for a to-do group, and the links of its lines. */
function group(html: string, key: string): { count: number; hrefs: string[] } {
  const start = html.indexOf(`data-todo="${key}"`);
  assert.ok(start >= 0, `group ${key} missing`);
  const next = html.indexOf('data-todo="', start + 10);
  const part = html.slice(start, next > 0 ? next : html.indexOf("</section>", start));
  const count = Number(/data-count="(\d+)"/.exec(part)?.[1]);
  const hrefs = [...part.matchAll(/<li><a href="([^"]+)"/g)].map((m) => m[1]);
  return { count, hrefs };
}

describe("home: a to-do list per role (issue 10, point 1)", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  let late: OrderFixture;
  let ended: OrderFixture;
  const ids: Record<string, string> = {};
  let traineeEmail = "";
  let ftPrescriber = "";

  async function path(fx: OrderFixture, status: "draft" | "validated" | "closed" | "dropped", plannedExit: string, name = "Inès") {
    const traineeId = newId();
    await t.db.insertInto("trainee").values({ id: traineeId, provider_id: fx.providerId, first_name: name, last_name: "Roux", birth_date: "1990-01-01" }).execute();
    const id = newId();
    await t.db
      .insertInto("path")
      .values({ id, trainee_id: traineeId, order_id: fx.orderId, order_line_id: fx.orderLineId, provider_id: fx.providerId, site_id: fx.siteId, status, entry_date: "2026-02-01", planned_exit_date: plannedExit, actual_exit_date: status === "closed" || status === "dropped" ? "2026-02-20" : null })
      .execute();
    return { id, traineeId };
  }

  async function slot(fx: OrderFixture, date: string, status: "planned" | "open" | "closed" | "cancelled", start = "09:00") {
    const id = newId();
    const end = `${String(Number(start.slice(0, 2)) + 2).padStart(2, "0")}${start.slice(2)}`;
    await t.db
      .insertInto("slot")
      .values({ id, provider_id: fx.providerId, order_line_id: fx.orderLineId, site_id: fx.siteId, slot_date: date, start_time: start, end_time: end, starts_at: new Date(`${date}T${start}:00+01:00`), ends_at: new Date(`${date}T${end}:00+01:00`), modality: "centre", status, cancel_reason: status === "cancelled" ? "Formateur absent" : null })
      .execute();
    return id;
  }

  async function candidacy(fx: OrderFixture, sessionId: string, status: string, over: { org?: string; updatedAt?: string; pathId?: string; slip?: { received: string; answered?: string } } = {}) {
    const candidateId = newId();
    await t.db.insertInto("candidate").values({ id: candidateId, first_name: "Léa", last_name: `Candidate-${status}`, birth_date: "1992-05-05" }).execute();
    const id = newId();
    await t.db
      .insertInto("candidacy")
      .values({
        id,
        candidate_id: candidateId,
        session_id: sessionId,
        provider_id: fx.providerId,
        origin: over.slip ? "continuation" : over.org ? "dematerialised" : "paper",
        prescriber_organisation_id: over.org ?? null,
        status: status as "received",
        path_id: over.pathId ?? null,
        updated_at: new Date(over.updatedAt ?? NOW),
      })
      .execute();
    if (over.slip) {
      await t.db
        .insertInto("continuation_slip")
        .values({ id: newId(), candidacy_id: id, from_provider_name: "Organisme précédent", from_scheme: "prf_prequalifying", entered_by_role: "provider", received_on: over.slip.received, answered_on: over.slip.answered ?? null, answer: over.slip.answered ? "entry" : null, answer_entry_date: over.slip.answered ?? null })
        .execute();
    }
    return id;
  }

  before(async () => {
    t = await createTestContext(NOW);
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db, { lotId: a.lotId });
    late = await createOrderFixture(t.db, { lotId: a.lotId, plannedStart: "2026-01-05", plannedEnd: "2026-03-01" });
    ended = await createOrderFixture(t.db, { lotId: a.lotId, plannedStart: "2026-01-05", plannedEnd: "2026-02-27" });
    await createOrderFixture(t.db, { lotId: a.lotId, plannedStart: "2026-01-05", plannedEnd: TODAY }); // ends today: neither

    // Sheets: today planned + open count; closed, cancelled, tomorrow and B's do not.
    ids.planned = await slot(a, TODAY, "planned", "09:00");
    ids.open = await slot(a, TODAY, "open", "14:00");
    await slot(a, TODAY, "closed", "07:00");
    await slot(a, TODAY, "cancelled", "16:00");
    await slot(a, "2026-03-03", "planned");
    await slot(b, TODAY, "planned");

    // Paths: A validated past its exit counts; exit today, draft, closed and B's do not.
    const overdue = await path(a, "validated", "2026-03-01");
    ids.overduePath = overdue.id;
    const current = await path(a, "validated", TODAY);
    await path(a, "draft", "2026-02-15");
    const closedA = await path(a, "closed", "2026-02-20");
    const refundedA = await path(a, "dropped", "2026-02-20");
    await path(b, "validated", "2026-02-01");
    const closedB = await path(b, "closed", "2026-02-20");
    // Deposits: unsettled on an exited path counts; refunded, kept, on a running path, B's do not.
    const deposit = (pathId: string, over: { refunded_on?: string; kept_reason?: string } = {}) =>
      t.db.insertInto("deposit").values({ id: newId(), path_id: pathId, amount_cents: 5000, material: "Ordinateur portable", taken_on: "2026-02-01", ...over }).execute();
    await deposit(closedA.id);
    await deposit(refundedA.id, { refunded_on: "2026-02-21" });
    await deposit(closedA.id, { kept_reason: "Matériel non rendu" });
    await deposit(current.id);
    await deposit(closedB.id);

    // Help requests: A's unanswered counts; answered and B's do not.
    const help = (slotId: string, pathId: string, answered: boolean) =>
      t.db.insertInto("help_request").values({ id: newId(), slot_id: slotId, path_id: pathId, question: "Je n'arrive pas à ouvrir le module", asked_at: new Date(NOW), answered_at: answered ? new Date(NOW) : null, answer: answered ? "Voici le lien" : null }).execute();
    await help(ids.open, current.id, false);
    await help(ids.open, current.id, true);
    const bSlot = await slot(b, TODAY, "open", "13:00");
    await help(bSlot, closedB.id, false);

    // Candidacies: A received ×2 count; selected and B's do not. Sessions open with no meeting: one warning per order.
    const sessionA = await createSessionRow(t.db, a);
    const sessionB = await createSessionRow(t.db, b);
    ids.received1 = await candidacy(a, sessionA, "received");
    ids.received2 = await candidacy(a, sessionA, "received");
    await candidacy(a, sessionA, "selected");
    await candidacy(b, sessionB, "received");
    // Slips (28 days, CP-CONTINUATION-4W): past and 7 days before the deadline count; 8 days before, answered and B's do not.
    ids.slipPast = await candidacy(a, sessionA, "invited", { slip: { received: "2026-01-30" } });
    ids.slipNear = await candidacy(a, sessionA, "invited", { slip: { received: "2026-02-09" } }); // deadline 9 March: 7 days ahead
    await candidacy(a, sessionA, "invited", { slip: { received: "2026-02-10" } }); // deadline 10 March: 8 days ahead
    await candidacy(a, sessionA, "selected", { slip: { received: "2026-01-10", answered: "2026-02-01" } });
    await candidacy(b, sessionB, "invited", { slip: { received: "2026-01-30" } });

    // Region: the order ended on 27 February with a path running is to review; the one ended 1 March with none is ready to close.
    await path(ended, "validated", "2026-02-27");
    await path(late, "closed", "2026-02-20");
    const requestOf = (fx: OrderFixture, status: "filed" | "accepted") =>
      t.db
        .insertInto("change_request")
        .values({ id: newId(), provider_id: fx.providerId, order_id: null, kind: "contacts", payload: JSON.stringify({}), reason: "Nouveau contact", status, filed_by: fx.referentId, filed_at: new Date(NOW), decided_at: status === "filed" ? null : new Date(NOW) })
        .execute();
    await requestOf(a, "filed");
    await requestOf(b, "filed");
    await requestOf(a, "accepted");

    // Prescriber (France Travail Toulouse): a decision of 17 February counts (14 days back: from 16 February), 15 February and a pending one do not, nor another organisation's.
    ftPrescriber = `conseil-${newId().slice(0, 6)}@prescripteur.test`;
    await createUser(t.db, { email: ftPrescriber, role: "prescriber", prescriberOrganisationId: FT_TOULOUSE });
    ids.decided = await candidacy(a, sessionA, "selected", { org: FT_TOULOUSE, updatedAt: "2026-02-17T10:00:00Z" });
    await candidacy(a, sessionA, "waiting_list", { org: FT_TOULOUSE, updatedAt: "2026-02-15T10:00:00Z" });
    ids.received3 = await candidacy(a, sessionA, "received", { org: FT_TOULOUSE }); // to answer for provider A too
    await candidacy(b, sessionB, "selected", { org: ML_TOULOUSE });
    ids.entered = await candidacy(a, sessionA, "entered", { org: FT_TOULOUSE, pathId: overdue.id, updatedAt: "2026-02-01T10:00:00Z" });
    await candidacy(b, sessionB, "entered", { org: ML_TOULOUSE, pathId: closedB.id });
    const alert = (fx: OrderFixture, traineeId: string, at: string) =>
      t.db.insertInto("dropout_alert").values({ id: newId(), provider_id: fx.providerId, trainee_id: traineeId, reason: "absences", details: "Trois absences", raised_by: null, raised_at: new Date(at) }).execute();
    await alert(a, overdue.traineeId, "2026-02-28T10:00:00Z");
    await alert(a, overdue.traineeId, "2026-02-10T10:00:00Z"); // too old
    await alert(b, closedB.traineeId, "2026-02-28T10:00:00Z"); // another organisation's trainee

    // Trainee: expected on today's planned and open slots and tomorrow's; has signed the open one.
    traineeEmail = `stagiaire-${newId().slice(0, 6)}@exemple.test`;
    await createUser(t.db, { email: traineeEmail, role: "trainee", traineeId: current.traineeId });
    const tomorrow = await slot(a, "2026-03-03", "planned", "10:00");
    for (const s of [ids.planned, ids.open, tomorrow]) await t.db.insertInto("slot_trainee").values({ slot_id: s, path_id: current.id }).execute();
    await t.db
      .insertInto("attendance")
      .values({ id: newId(), slot_id: ids.open, path_id: current.id, status: "present", method: "qr", signed_at: new Date(NOW), received_at: new Date(NOW), realised_minutes: 120 })
      .execute();
  });
  after(() => t.close());

  test("provider staff: sheets, help, candidacies, slips (CP-CONTINUATION-4W), overdue paths, deposits (CP-DEPOSIT-MAX-200), info meetings (CP-INFO-REGULAR) — exact, own provider only", async () => {
    const s = await t.pageSession(a.adminEmail);
    const home = await s.get("/");
    assert.equal(home.status, 200);
    const sheets = group(home.html, "sheets");
    assert.equal(sheets.count, 2);
    assert.deepEqual(sheets.hrefs.sort(), [`/emargement/${ids.planned}`, `/emargement/${ids.open}`].sort());
    assert.equal(group(home.html, "help").count, 1);
    const cands = group(home.html, "candidacies");
    assert.equal(cands.count, 3);
    assert.deepEqual(cands.hrefs.sort(), [`/candidatures/${ids.received1}`, `/candidatures/${ids.received2}`, `/candidatures/${ids.received3}`].sort());
    const slips = group(home.html, "slips");
    assert.equal(slips.count, 2);
    assert.deepEqual(slips.hrefs, [`/candidatures/${ids.slipPast}`, `/candidatures/${ids.slipNear}`]);
    assert.deepEqual(group(home.html, "overdue-paths"), { count: 1, hrefs: [`/parcours/${ids.overduePath}`] });
    assert.equal(group(home.html, "deposits").count, 1);
    assert.equal(group(home.html, "info-meetings").count, 1);
    assert.match(home.html, /<h2 id="vos-espaces">Vos espaces<\/h2>/);
    assert.match(home.html, /href="\/emargement">Émargement</);

    // Another provider sees its own: two sheets, one help request, candidacy, slip, path, deposit and meeting warning.
    const other = await (await t.pageSession(b.adminEmail)).get("/");
    const expected = { sheets: 2, help: 1, candidacies: 1, slips: 1, "overdue-paths": 1, deposits: 1, "info-meetings": 1 };
    for (const [key, n] of Object.entries(expected)) assert.equal(group(other.html, key).count, n, key);
  });

  test("Region: orders to review and ready to close, change requests to decide, compliance warnings — exact", async () => {
    const s = await t.pageSession(a.regionEmail);
    const home = await s.get("/");
    assert.equal(home.status, 200);
    assert.deepEqual(group(home.html, "orders-review"), { count: 1, hrefs: [`/commandes/${ended.orderId}#cloture`] });
    assert.deepEqual(group(home.html, "orders-close"), { count: 1, hrefs: [`/commandes/${late.orderId}#cloture`] });
    assert.equal(group(home.html, "requests").count, 2);
    const token = await t.login(a.regionEmail);
    const board = await t.api("GET", "/api/compliance", token);
    assert.equal(board.status, 200);
    assert.ok(board.body.length > 0);
    assert.equal(group(home.html, "compliance").count, board.body.length);
  });

  test("prescriber: decisions received in the last 14 days and drop-out alerts of its organisation's trainees", async () => {
    const home = await (await t.pageSession(ftPrescriber)).get("/");
    assert.equal(home.status, 200);
    assert.deepEqual(group(home.html, "decisions"), { count: 1, hrefs: [`/candidatures/${ids.decided}`] });
    assert.deepEqual(group(home.html, "dropouts"), { count: 1, hrefs: [`/candidatures/${ids.entered}`] });
  });

  test("trainee: today's slots and what is left to sign", async () => {
    const home = await (await t.pageSession(traineeEmail)).get("/");
    assert.equal(home.status, 200);
    assert.deepEqual(group(home.html, "today"), { count: 2, hrefs: [`/signer/${ids.planned}`, `/signer/${ids.open}`] });
    assert.deepEqual(group(home.html, "to-sign"), { count: 1, hrefs: [`/signer/${ids.planned}`] });
  });
});
