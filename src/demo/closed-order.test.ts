// The demo's closed order (CP-SELFSTUDY-MAX-20 at close): the pure builder holds the scheme's rules
// every year, and the loaded demo shows the closed order, its stored warning and its page.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { createTestContext, TEST_PASSWORD, type TestContext } from "../../test/support/app.ts";
import { addDays, yearOf } from "../core/time.ts";
import { verifyProofs } from "../domains/attendance/use-cases.ts";
import { realisedTotalsByPath } from "../domains/ledger/use-cases.ts";
import { publicHoliday } from "../domains/schedule/rules.ts";
import { buildClosedOrder, type ClosedOrderInput, closedOrderNumber, closedOrderYear } from "./closed-order.ts";
import { TEMPLATES } from "./offer.ts";
import { REGION_EMAIL, staffEmail } from "./organisations.ts";
import { PATH_MAX_MINUTES } from "../core/scheme.ts";
import { loadDemoIfEmpty } from "./seed.ts";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function input(today: string, busy: ClosedOrderInput["busy"] = []): ClosedOrderInput {
  return {
    today,
    regionUserId: uuid(1),
    lotId: uuid(2),
    providerId: uuid(3),
    siteId: uuid(4),
    componentId: uuid(5),
    modules: TEMPLATES.english.modules.map((m, i) => ({ id: uuid(100 + i), title: m.title, minutes: m.minutes, modality: m.modality, content_tag: m.tag ?? null })),
    referentIds: [uuid(6), uuid(7)],
    trainer: { id: uuid(8), role: "trainer" },
    busy,
  };
}

describe("demo closed order (pure builder)", () => {
  test("its year: this year once 30 June is past, last year before (so it is always over)", () => {
    assert.equal(closedOrderYear("2026-11-22"), 2026);
    assert.equal(closedOrderYear("2026-07-01"), 2026);
    assert.equal(closedOrderYear("2026-06-30"), 2025);
    assert.equal(closedOrderYear("2027-01-04"), 2026);
    assert.equal(closedOrderNumber("2026-11-22"), "BC-2026-031-002");
    assert.equal(closedOrderNumber("2027-01-04"), "BC-2026-031-001");
  });

  test("deterministic: the same day gives exactly the same rows", () => {
    assert.deepEqual(buildClosedOrder(input("2026-11-22")), buildClosedOrder(input("2026-11-22")));
  });

  for (const today of ["2026-07-01", "2026-11-22", "2027-01-04", "2028-03-01", "2029-12-31", "2032-05-15"]) {
    test(`${today}: CP-ENTRY-YEAR-N, CP-PATH-WITHIN-ORDER, CP-PATH-MAX-200H and the self-study budget hold; CP-SELFSTUDY-MAX-20 realised share just above 20 %`, () => {
      // The trainer leads other groups on Monday mornings and Tuesday afternoons: never at the same time.
      const year = closedOrderYear(today);
      const busy = Array.from({ length: 30 }, (_, w) => addDays(`${year}-02-02`, 7 * w)).flatMap((monday) => [
        { date: monday, start: "09:00", end: "12:30" },
        { date: addDays(monday, 1), start: "13:30", end: "17:00" },
      ]);
      const rows = buildClosedOrder(input(today, busy));
      const [order] = rows.order;
      assert.equal(yearOf(order.planned_start), year);
      const orderedCentre = rows.order_line.reduce((s, l) => s + l.headcount * l.average_path_centre_minutes, 0);
      assert.equal(rows.path.length, 4);
      assert.deepEqual(rows.path.map((p) => p.status).sort(), ["closed", "closed", "closed", "dropped"]);
      let plannedSelfStudy = 0;
      for (const p of rows.path) {
        assert.equal(yearOf(p.entry_date), year);
        assert.ok(p.entry_date >= order.planned_start && p.planned_exit_date <= order.planned_end);
        assert.ok(p.actual_exit_date && p.entry_date <= p.actual_exit_date && p.actual_exit_date <= p.planned_exit_date);
        assert.ok(p.planned_exit_date < today, "over before today");
        const items = rows.path_item.filter((i) => i.path_id === p.id);
        const positioning = rows.positioning.find((x) => x.path_id === p.id)!;
        assert.ok(positioning.minutes >= 120 && positioning.minutes <= 840, "CP-POSITIONING-2-14H");
        const selfStudy = items.filter((i) => i.modality === "self_study").reduce((s, i) => s + i.planned_minutes, 0);
        const centre = items.filter((i) => i.modality === "centre").reduce((s, i) => s + i.planned_minutes, 0);
        assert.equal(5 * selfStudy, selfStudy + centre, "self-study is exactly a fifth of the planned sessions");
        assert.ok(positioning.minutes + selfStudy + centre <= PATH_MAX_MINUTES);
        assert.ok(items.every((i) => !i.exempted || (i.exemption_reason && i.planned_minutes === 0)));
        plannedSelfStudy += selfStudy;
      }
      assert.ok(100 * plannedSelfStudy <= 20 * orderedCentre, "CP-SELFSTUDY-MAX-20 budget on the ordered centre hours");

      // Sessions: working days, no public holiday, before today, never over the trainer's other slots.
      for (const s of rows.history.slot) {
        const day = new Date(`${s.slot_date}T00:00:00Z`).getUTCDay();
        assert.ok(day !== 0 && day !== 6 && !publicHoliday(s.slot_date, false), s.slot_date);
        assert.ok(s.slot_date < today);
        assert.ok(!busy.some((b) => b.date === s.slot_date && b.start < s.end_time && b.end > s.start_time), `${s.slot_date} ${s.start_time}`);
      }
      const { selfStudy, centreMinutes } = rows.realised;
      assert.ok(selfStudy * 100 > centreMinutes * 20, `${selfStudy} of ${centreMinutes}`);
      assert.ok(selfStudy * 100 <= centreMinutes * 23, "a little above 20 %, not far above");
      assert.ok(rows.history.attendance.some((a) => a.status === "absent" || a.status === "excused"));
    });
  }
});

describe("demo closed order (loaded demo, Region view)", () => {
  let t: TestContext;
  const now = "2026-11-22T10:00:00Z";
  let order: { id: string; number: string; status: string; closed_at: Date | null; closed_by: string | null; close_findings: unknown };

  before(async () => {
    t = await createTestContext(now);
    await loadDemoIfEmpty(t.db, { now: new Date(now), password: TEST_PASSWORD });
    order = await t.db
      .selectFrom("order")
      .select(["id", "number", "status", "closed_at", "closed_by", "close_findings"])
      .where("number", "=", "BC-2026-031-002")
      .executeTakeFirstOrThrow();
  });
  after(() => t.close());

  test("CP-SELFSTUDY-MAX-20: the demo has one closed order, closed by the Region officer, with the warning stored as the ledger reads it", async () => {
    const closed = await t.db.selectFrom("order").select("number").where("status", "=", "closed").execute();
    assert.deepEqual(
      closed.map((o) => o.number),
      ["BC-2026-031-002"],
    );
    const officer = await t.db.selectFrom("app_user").select("id").where("email", "=", REGION_EMAIL).executeTakeFirstOrThrow();
    assert.equal(order.closed_by, officer.id);
    assert.equal(order.closed_at?.toISOString(), "2026-11-22T10:00:00.000Z");
    const paths = await t.db.selectFrom("path").select(["id", "status"]).where("order_id", "=", order.id).execute();
    assert.deepEqual(paths.map((p) => p.status).sort(), ["closed", "closed", "closed", "dropped"]);

    // The stored figures are the ledger's (signed attendance only).
    const realised = [...(await realisedTotalsByPath(t.db, paths.map((p) => p.id))).values()];
    const selfStudy = realised.reduce((s, r) => s + r.selfStudy, 0);
    const centre = realised.reduce((s, r) => s + r.centreMinutes, 0);
    assert.ok(selfStudy * 100 > centre * 20 && selfStudy * 100 <= centre * 23, `${selfStudy} of ${centre}`);
    const findings = order.close_findings as { code: string; severity: string; details: Record<string, unknown> }[];
    assert.deepEqual(
      findings.map((f) => `${f.code} ${f.severity}`),
      ["CP-SELFSTUDY-MAX-20 warning"],
    );
    assert.deepEqual(findings[0].details, { eFormation: false, selfStudyMinutes: selfStudy, centreMinutes: centre, capPercent: 20, capMinutes: Math.floor(centre / 5) });

    // Its paths break no rule of the scheme: the close warning is the order's only finding.
    const consumption = await t.api("GET", `/api/orders/${order.id}/consumption`, await t.login(REGION_EMAIL));
    assert.equal(consumption.status, 200);
    assert.deepEqual(consumption.body.findings, []);
    assert.deepEqual(
      consumption.body.orderFindings.map((f: { code: string }) => f.code),
      ["CP-SELFSTUDY-MAX-20"],
    );
    assert.deepEqual(
      consumption.body.selfStudy.map((p: { code: string; over: boolean }) => `${p.code} ${p.over}`),
      ["CP-SELFSTUDY-MAX-20 true"],
    );

    // What the use case writes with the close: transition and audit.
    const transition = await t.db.selectFrom("transition_log").selectAll().where("entity", "=", "order").where("entity_id", "=", order.id).executeTakeFirstOrThrow();
    assert.equal(`${transition.from_status}→${transition.to_status} ${transition.actor_id}`, `issued→closed ${officer.id}`);
    const audit = await t.db.selectFrom("audit_log").select(["actor_id", "details"]).where("action", "=", "order.close").where("entity_id", "=", order.id).executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, officer.id);
    assert.equal((audit.details as { warnings: { code: string }[] }).warnings[0].code, "CP-SELFSTUDY-MAX-20");
  });

  test("CP-SELFSTUDY-MAX-20: the closed order's signed history is chained and never overlaps its trainer's other slots", async () => {
    const report = await verifyProofs(t.db);
    assert.deepEqual(report.broken, []);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from slot a
      join order_line ol on ol.id = a.order_line_id and ol.order_id = ${order.id}
      join slot b on b.trainer_id = a.trainer_id and b.id <> a.id and b.slot_date = a.slot_date
       and b.starts_at < a.ends_at and b.ends_at > a.starts_at`.execute(t.db);
    assert.equal(rows[0].n, 0);
    const sessions = await t.db.selectFrom("session as s").innerJoin("order_line as ol", "ol.id", "s.order_line_id").select("s.id").where("ol.order_id", "=", order.id).execute();
    assert.equal(sessions.length, 1, "its line has its (past) session");
  });

  test("CP-SELFSTUDY-MAX-20: the Region's order page shows the order closed, with the warning; no close button left", async () => {
    const region = await t.pageSession(REGION_EMAIL);
    const page = await region.get(`/commandes/${order.id}`);
    assert.equal(page.status, 200);
    assert.match(page.html, /BC-2026-031-002/);
    assert.match(page.html, />Close</);
    assert.match(page.html, /Commande close le 22 novembre 2026 à 11:00/);
    assert.match(page.html, /<li data-code="CP-SELFSTUDY-MAX-20"><strong>Autoformation de 20 % au plus<\/strong> <small class="rule-id">\(CP-SELFSTUDY-MAX-20\)<\/small> — À la clôture, l&#39;autoformation réalisée des composantes hors e-formation atteint /);
    assert.match(page.html, /<tr data-code="CP-SELFSTUDY-MAX-20"><td>La commande \(à sa clôture\)<\/td>/);
    assert.doesNotMatch(page.html, /Clôturer la commande|Modifier la commande/);
    const list = await region.get("/commandes");
    assert.match(list.html, /BC-2026-031-002/);
    // The provider sees its closed order and the warning too.
    const provider = await t.pageSession(staffEmail("garonne", "direction"));
    assert.match((await provider.get(`/commandes/${order.id}`)).html, /<tr data-code="CP-SELFSTUDY-MAX-20">/);
  });
});
