// The dashboard's rollups (kpi_path_figure, kpi_cohort_figure, kpi_satisfaction_figure; ADR 0034, 0041) are exact:
// after random writes — signatures, corrections, absences, deleted rows, cancelled and reopened slots, paper proofs
// countersigned or not, plan and positioning changes, exits, entry dates, sites; exit records and VAE, follow-ups,
// exam registrations and results, survey answers; an order's year or lot, a line's component, a component's
// category, a site's département — the figures read from the rollups equal the live aggregates computed from the
// base tables (the queries the dashboard ran before the rollups).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type RawBuilder, sql } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { newId } from "../../core/time.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { randomWrites, runWrites, seeded } from "../../../test/support/random-writes.ts";
import { provedPresence } from "../attendance/use-cases.ts";
import { actorOf, mod, plan, position, register } from "../paths/testing.ts";
import { exitPath, savePlan, validatePath } from "../paths/use-cases.ts";
import * as store from "./store.ts";

// ——— The live aggregates: the dashboard's queries before the rollups, straight over the base tables ———

function orderSide(f: store.KpiScope): RawBuilder<boolean> {
  const conds: RawBuilder<unknown>[] = [sql`true`];
  if (f.year) conds.push(sql`o.planned_start >= ${`${f.year}-01-01`} and o.planned_start <= ${`${f.year}-12-31`}`);
  if (f.lotId) conds.push(sql`o.lot_id = ${f.lotId}`);
  if (f.providerId) conds.push(sql`o.provider_id = ${f.providerId}`);
  if (f.componentId) conds.push(sql`ol.component_id = ${f.componentId}`);
  if (f.category) conds.push(sql`c.category = ${f.category}`);
  return sql<boolean>`(${sql.join(conds, sql` and `)})`;
}
const scoped = (f: store.KpiScope) => sql`(select p.* from path p join "order" o on o.id = p.order_id join order_line ol on ol.id = p.order_line_id
  join component c on c.id = ol.component_id join site st on st.id = p.site_id
  where p.status <> 'draft' and ${orderSide(f)} ${f.departement ? sql`and st.departement_code = ${f.departement}` : sql``})`;
const num = (v: unknown) => Number(v ?? 0);
const sorted = (rows: store.ModalityRow[]) =>
  rows
    .map((r) => ({ modality: r.modality, location: r.location, minutes: num(r.minutes) }))
    .filter((r) => r.minutes !== 0 || r.modality !== "positioning")
    .sort((a, b) => `${a.modality}|${a.location}`.localeCompare(`${b.modality}|${b.location}`));

async function live(db: Db, f: store.KpiScope, ref: string) {
  const h = (
    await sql<Record<string, string>>`select count(*) as entries, count(*) filter (where sp.status = 'validated' and sp.entry_date <= ${ref}) as in_training,
      count(*) filter (where sp.status = 'closed') as completed, count(*) filter (where sp.status = 'dropped') as dropped from ${scoped(f)} sp`.execute(db)
  ).rows[0];
  const months = (await sql<{ month: string; entries: string }>`select to_char(sp.entry_date, 'YYYY-MM') as month, count(*) as entries from ${scoped(f)} sp group by 1 order by 1`.execute(db)).rows;
  const planned = (
    await sql<store.ModalityRow>`select i.modality, i.self_study_location as location, sum(i.planned_minutes) as minutes from path_item i join ${scoped(f)} sp on sp.id = i.path_id group by 1, 2
      union all select 'positioning', null, sum(pos.minutes) from positioning pos join ${scoped(f)} sp on sp.id = pos.path_id`.execute(db)
  ).rows;
  const realised = (
    await sql<store.ModalityRow>`select s.modality, s.self_study_location as location, sum(a.realised_minutes) as minutes
      from attendance a join slot s on s.id = a.slot_id join ${scoped(f)} sp on sp.id = a.path_id
      where s.status <> 'cancelled' and ${provedPresence("a", "s")} group by 1, 2
      union all select 'positioning', null, sum(pos.minutes) from positioning pos join ${scoped(f)} sp on sp.id = pos.path_id`.execute(db)
  ).rows;
  const lengths = (
    await sql<Record<string, string>>`
      with sp as (select id, status from ${scoped(f)} x),
      per_path as (select sp.id, sp.status,
        coalesce((select sum(i.planned_minutes) from path_item i where i.path_id = sp.id), 0) + coalesce((select minutes from positioning where path_id = sp.id), 0) as planned,
        coalesce((select sum(a.realised_minutes) from attendance a join slot s on s.id = a.slot_id where a.path_id = sp.id and s.status <> 'cancelled' and ${provedPresence("a", "s")}), 0)
          + coalesce((select minutes from positioning where path_id = sp.id), 0) as realised
        from sp)
      select sum(planned) as planned_sum, count(*) as planned_n, sum(realised) filter (where status in ('closed', 'dropped')) as realised_sum,
        count(*) filter (where status in ('closed', 'dropped')) as realised_n from per_path`.execute(db)
  ).rows[0];
  const exits = (await sql<{ reason: string; n: string }>`select pe.reason, count(*) as n from path_exit pe join ${scoped(f)} sp on sp.id = pe.path_id group by 1`.execute(db)).rows;
  const exams = (
    await sql<Record<string, string>>`with best as (
      select er.path_id, max(case er.result when 'passed' then 4 when 'partial' then 3 when 'failed' then 2 else 1 end) as best
      from exam_registration er join ${scoped(f)} sp on sp.id = er.path_id where er.result is not null group by er.path_id)
    select count(*) as base, count(*) filter (where best >= 2) as presented, count(*) filter (where best = 4) as passed, count(*) filter (where best = 3) as partial from best`.execute(db)
  ).rows[0];
  const vae = (
    await sql<Record<string, string>>`select count(*) as engaged, count(*) filter (where pe.vae_result is not null) as decided,
      count(*) filter (where pe.vae_result = 'full') as full, count(*) filter (where pe.vae_result = 'partial') as partial
      from path_exit pe join ${scoped(f)} sp on sp.id = pe.path_id where pe.vae_engaged`.execute(db)
  ).rows[0];
  const followUps = (
    await sql<{ milestone: "exit" | "m3" | "m6"; known: string; employed: string; sector: string }>`select fu.milestone, count(*) filter (where fu.situation <> 'unknown') as known,
      count(*) filter (where fu.situation = 'employment') as employed, count(*) filter (where fu.situation = 'employment' and fu.in_target_sector) as sector
      from follow_up fu join ${scoped(f)} sp on sp.id = fu.path_id group by 1`.execute(db)
  ).rows;
  const employment = { exit: { known: 0, employed: 0, sector: 0 }, m3: { known: 0, employed: 0, sector: 0 }, m6: { known: 0, employed: 0, sector: 0 } };
  for (const r of followUps) employment[r.milestone] = { known: num(r.known), employed: num(r.employed), sector: num(r.sector) };
  const satConds: RawBuilder<unknown>[] = [sql`true`];
  if (f.year) satConds.push(sql`sa.answered_on >= ${`${f.year}-01-01`} and sa.answered_on <= ${`${f.year}-12-31`}`);
  if (f.lotId) satConds.push(sql`c.lot_id = ${f.lotId}`);
  if (f.providerId) satConds.push(sql`sa.provider_id = ${f.providerId}`);
  if (f.componentId) satConds.push(sql`sa.component_id = ${f.componentId}`);
  if (f.category) satConds.push(sql`c.category = ${f.category}`);
  const sat = (
    await sql<Record<string, string>>`select count(distinct sa.id) as respondents, count(v.value) as answers, count(*) filter (where v.value ~ '^[1-5]$' and v.value::int >= 4) as positive
      from satisfaction_answer sa join component c on c.id = sa.component_id left join lateral jsonb_each_text(sa.answers) v on true
      where ${sql.join(satConds, sql` and `)}`.execute(db)
  ).rows[0];
  return {
    exits: Object.fromEntries(exits.map((r) => [r.reason, num(r.n)]).sort(([x], [y]) => String(x).localeCompare(String(y)))),
    exams: { base: num(exams.base), presented: num(exams.presented), passed: num(exams.passed), partial: num(exams.partial) },
    vae: { engaged: num(vae.engaged), decided: num(vae.decided), full: num(vae.full), partial: num(vae.partial) },
    employment,
    satisfaction: { respondents: num(sat.respondents), answers: num(sat.answers), positive: num(sat.positive) },
    headcounts: { entries: num(h.entries), inTraining: num(h.in_training), completed: num(h.completed), dropped: num(h.dropped) },
    months: months.map((m) => ({ month: m.month, entries: num(m.entries) })),
    planned: sorted(planned),
    realised: sorted(realised),
    lengths: { plannedSum: num(lengths.planned_sum), plannedN: num(lengths.planned_n), realisedSum: num(lengths.realised_sum), realisedN: num(lengths.realised_n) },
  };
}

async function fromRollups(db: Db, f: store.KpiScope, ref: string) {
  return {
    exits: Object.fromEntries(Object.entries(await store.exitsByReason(db, f)).sort(([x], [y]) => x.localeCompare(y))),
    exams: await store.examOutcomes(db, f),
    vae: await store.vaeOutcomes(db, f),
    employment: await store.employmentOutcomes(db, f),
    satisfaction: await store.satisfactionOutcomes(db, f),
    headcounts: await store.headcounts(db, f, ref),
    months: await store.entriesByMonth(db, f),
    planned: sorted(await store.plannedByModality(db, f)),
    realised: sorted(await store.realisedByModality(db, f)),
    lengths: await store.pathLengths(db, f),
  };
}

describe("KPI rollups stay exact under random writes (CP-KPI-ORGANISATION, CP-ATTENDANCE-REALISED, CP-KPI-EXAMS, CP-KPI-VAE, CP-KPI-EMPLOYMENT, CP-KPI-SATISFACTION)", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  let tarnSite: string;
  let trainerId: string;
  let certificationId: string;
  const paths: string[] = [];
  const slots: string[] = [];

  before(async () => {
    t = await createTestContext("2026-04-15T09:00:00Z");
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db, { plannedStart: "2025-02-01", plannedEnd: "2025-12-31" });
    tarnSite = newId();
    await t.db.insertInto("site").values({ id: tarnSite, provider_id: b.providerId, name: "Site d'Albi", address: "2 rue du Test", postcode: "81000", commune: "Albi", departement_code: "81" }).execute();
    // The test's power, checked by hand: ROLLUP_TEST_DROP_TRIGGER="kpi_follow_up_insert on follow_up" (any kpi_ trigger) must make it fail.
    const dropped = process.env.ROLLUP_TEST_DROP_TRIGGER;
    if (dropped && /^kpi_\w+ on "?\w+"?$/.test(dropped)) await sql.raw(`drop trigger ${dropped}`).execute(t.db);
    certificationId = newId();
    await t.db.insertInto("certification").values({ id: certificationId, provider_id: a.providerId, component_id: a.componentId, kind: "RS", code: "RS5001", title: "Anglais", skill_blocks: "[]" }).execute();
    for (const [fx, entry, exit] of [[a, "2026-03-02", "2026-06-30"], [b, "2025-03-03", "2025-12-31"]] as const) {
      const admin = await actorOf(t.db, fx.adminEmail);
      trainerId = admin.userId;
      for (let i = 0; i < 5; i++) {
        const { pathId } = await register(t.db, admin, fx, { lastName: `Cumul${i}`, entryDate: entry, plannedExitDate: exit });
        await position(t.db, admin, pathId, 120 + 30 * i, { restitutionOn: entry });
        await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 1000 + 100 * i), mod(fx.moduleIds["Anglais général"], "self_study", 300)], { entryDate: entry, plannedExitDate: exit }));
        if (i < 4) await validatePath(t.db, admin, pathId); // the fifth stays a draft: never counted
        paths.push(pathId);
      }
    }
  });
  after(() => t.close());

  const scopes = (): store.KpiScope[] => [
    {},
    { providerId: a.providerId },
    { providerId: b.providerId },
    { year: 2026 },
    { year: 2025 },
    { departement: "31" },
    { departement: "81" },
    { lotId: a.lotId },
    { componentId: b.componentId },
    { category: "transverse" },
    { year: 2025, departement: "81" },
  ];

  /** The rollups' rows equal a fresh recomputation from the base tables (cheap: after every write). */
  async function assertRows(step: string) {
    // The per-path rollup is what the base tables say now, row for row; the cohorts are its sums.
    const cols = sql`path_id, kind, modality, location, year, lot_id, provider_id, component_id, category, departement, status, entry, minutes::text`;
    const stored = await sql<Record<string, unknown>>`select ${cols} from kpi_path_figure order by 1, 2, 3, 4`.execute(t.db);
    const fresh = await sql<Record<string, unknown>>`select ${cols} from kpi_path_figures(array(select id from path)) order by 1, 2, 3, 4`.execute(t.db);
    assert.deepEqual(stored.rows, fresh.rows, `${step}: kpi_path_figure`);
    const key = sql`year, lot_id, provider_id, component_id, category, departement, status, entry, kind, modality, location`;
    const cohorts = await sql`select ${key}, paths, minutes::text from kpi_cohort_figure order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`.execute(t.db);
    const summed = await sql`select ${key}, count(*)::int as paths, sum(minutes)::text as minutes from kpi_path_figure group by ${key} order by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`.execute(t.db);
    assert.deepEqual(cohorts.rows, summed.rows, `${step}: kpi_cohort_figure`);
    // The survey's sums are the answers' sums now, per provider, component and year.
    const sat = await sql`select provider_id, component_id, year, respondents, answers, positive from kpi_satisfaction_figure order by 1, 2, 3`.execute(t.db);
    const satLive = await sql`select sa.provider_id, sa.component_id, extract(year from sa.answered_on)::int as year, count(distinct sa.id)::int as respondents,
      count(v.value)::int as answers, (count(*) filter (where v.value ~ '^[1-5]$' and v.value::int >= 4))::int as positive
      from satisfaction_answer sa left join lateral jsonb_each_text(sa.answers) v on true group by 1, 2, 3 order by 1, 2, 3`.execute(t.db);
    assert.deepEqual(sat.rows, satLive.rows, `${step}: kpi_satisfaction_figure`);
  }

  /** The rows, and the dashboard's figures under every scope equal to the live aggregates (after every 10 writes). */
  async function assertExact(step: string) {
    await assertRows(step);
    for (const f of scopes()) {
      for (const ref of ["2026-04-15", "2025-12-31"]) assert.deepEqual(await fromRollups(t.db, f, ref), await live(t.db, f, ref), `${step}: ${JSON.stringify(f)} at ${ref}`);
    }
  }

  test("CP-ATTENDANCE-REALISED, CP-KPI-EXAMS, CP-KPI-VAE, CP-KPI-EMPLOYMENT, CP-KPI-SATISFACTION: 200 random writes, rollup rows checked after each, figures after every 10: rollup figures = live aggregates over attendance, plans, paths, exits, follow-ups, exams and answers", async () => {
    const draws = seeded(13);
    const { rnd, pick } = draws;
    const db = t.db;
    const writes: Record<string, () => Promise<unknown>> = {
      // Signatures (excused ones too), corrections, cancellations, paper proofs and plans at a slot's scale; the
      // other corrections only move the minutes (no status changes).
      ...randomWrites(db, draws, {
        paths,
        slots,
        trainerId,
        sign: { slotMinutes: 180, statuses: ["present", "present", "late", "absent", "excused"], signed: 0.75, minutes: { from: 60, span: 150 } },
        correct: {
          absent: 0.3,
          present: 0.6,
          minutes: { from: 30, span: 200 },
          otherwise: (id) => db.updateTable("attendance").set({ realised_minutes: sql`case when status in ('absent', 'excused') then 0 else realised_minutes + 15 end` }).where("id", "=", id).execute(),
        },
        replan: { item: { from: 60, span: 3000 }, stage: 700, positioning: { from: 60, span: 300 } },
      }),
      // The path itself: an exit (closed, dropped), back in training, a new entry date, another site (département).
      async move() {
        const pathId = pick(paths);
        const p = await db.selectFrom("path").select(["status", "provider_id", "entry_date"]).where("id", "=", pathId).executeTakeFirstOrThrow();
        const r = rnd();
        if (p.status === "validated" && r < 0.3 && String(p.entry_date) <= "2026-04-10") {
          const admin: Actor = await actorOf(db, (await db.selectFrom("app_user").select("email").where("provider_id", "=", p.provider_id).where("role", "=", "provider_admin").executeTakeFirstOrThrow()).email);
          await exitPath(db, admin, pathId, rnd() < 0.5 ? { status: "closed", actualExitDate: "2026-04-10" } : { status: "dropped", actualExitDate: "2026-04-10", reason: "Déménagement" });
        } else if (r < 0.5 && p.status !== "draft") await db.updateTable("path").set({ status: "validated", actual_exit_date: null }).where("id", "=", pathId).execute();
        else if (r < 0.75) await db.updateTable("path").set({ entry_date: pick(["2025-03-03", "2025-11-20", "2026-03-02", "2026-05-04"]), planned_exit_date: "2026-12-31" }).where("id", "=", pathId).execute();
        else if (p.provider_id === b.providerId) await db.updateTable("path").set({ site_id: rnd() < 0.5 ? tarnSite : b.siteId }).where("id", "=", pathId).execute();
        else await db.updateTable("path").set({ updated_at: new Date() }).where("id", "=", pathId).execute(); // touches no figure
      },
      // Several statements on the same paths in one transaction (a correction then its undo, a bulk cancel).
      async batch() {
        await db.transaction().execute(async (tx) => {
          const pathId = pick(paths);
          await tx.updateTable("attendance").set({ status: "excused", realised_minutes: 0, signed_at: null, signature: null, method: "trainer" }).where("path_id", "=", pathId).execute();
          if (rnd() < 0.5) await tx.updateTable("attendance").set({ status: "present", realised_minutes: 90, signed_at: new Date(), signature: "<svg/>", method: "qr" }).where("path_id", "=", pathId).execute();
          await tx.updateTable("slot").set({ status: rnd() < 0.5 ? "cancelled" : "closed" }).where("id", "in", slots.length ? slots.slice(0, 3) : [newId()]).execute();
        });
      },
      // The exit record: recorded with a reason, its VAE engaged and decided, its reason changed, erased.
      async exitRecord() {
        const pathId = pick(paths);
        const r = rnd();
        const known = await db.selectFrom("path_exit").select("path_id").where("path_id", "=", pathId).executeTakeFirst();
        const reason = pick(["completed", "employment", "other_training", "dropout", "exclusion"] as const);
        if (!known) await db.insertInto("path_exit").values({ path_id: pathId, reason, cause: "Motif", email: "sortie@example.org", recorded_at: new Date(), vae_engaged: rnd() < 0.6 }).execute();
        else if (r < 0.45) {
          const result = pick(["full", "partial", "none", null] as const);
          await db.updateTable("path_exit").set({ vae_engaged: result !== null || rnd() < 0.5, vae_result: result, vae_decided_on: result ? "2026-04-01" : null }).where("path_id", "=", pathId).execute();
        } else if (r < 0.75) await db.updateTable("path_exit").set({ reason }).where("path_id", "=", pathId).execute();
        else await db.deleteFrom("path_exit").where("path_id", "=", pathId).execute();
      },
      // A follow-up at exit, 3 or 6 months: recorded, its situation or sector changed, erased.
      async followUp() {
        const pathId = pick(paths);
        const milestone = pick(["exit", "m3", "m6"] as const);
        const situation = pick(["employment", "employment", "training", "job_seeking", "other", "unknown"] as const);
        const inTargetSector = situation === "employment" ? pick([true, false, null]) : null;
        if (rnd() < 0.75)
          await db.insertInto("follow_up").values({ id: newId(), path_id: pathId, milestone, situation, in_target_sector: inTargetSector, recorded_at: new Date() })
            .onConflict((oc) => oc.columns(["path_id", "milestone"]).doUpdateSet({ situation, in_target_sector: inTargetSector })).execute();
        else await db.deleteFrom("follow_up").where("path_id", "=", pathId).where("milestone", "=", milestone).execute();
      },
      // An exam registration (a second session too), its result recorded or changed, erased.
      async exam() {
        const regs = (await db.selectFrom("exam_registration").select("id").orderBy("id").execute()).map((x) => x.id);
        const r = rnd();
        const result = pick(["passed", "partial", "failed", "absent", null] as const);
        if (r < 0.5 || !regs.length)
          await db.insertInto("exam_registration").values({ id: newId(), path_id: pick(paths), certification_id: certificationId, internal: true, session_on: "2026-03-25", second_session: rnd() < 0.3, result, created_at: new Date() }).execute();
        else if (r < 0.8) await db.updateTable("exam_registration").set({ result }).where("id", "=", pick(regs)).execute();
        else await db.deleteFrom("exam_registration").where("id", "=", pick(regs)).execute();
      },
      // An anonymous survey answer: given (Likert and other values), changed (answers, day), erased.
      async survey() {
        const ids = (await db.selectFrom("satisfaction_answer").select("id").orderBy("id").execute()).map((x) => x.id);
        const r = rnd();
        const answers = () => JSON.stringify({ q1: 1 + Math.floor(rnd() * 5), q2: 1 + Math.floor(rnd() * 5), q3: pick([4, 5, "oui", null]) });
        if (r < 0.5 || !ids.length) {
          const fx = pick([a, b]);
          await db.insertInto("satisfaction_answer").values({ id: newId(), provider_id: fx.providerId, component_id: fx.componentId, answers: answers(), answered_on: pick(["2025-06-01", "2026-04-01"]) }).execute();
        } else if (r < 0.8) await db.updateTable("satisfaction_answer").set(rnd() < 0.5 ? { answers: answers() } : { answered_on: pick(["2025-12-31", "2026-01-01"]) }).where("id", "=", pick(ids)).execute();
        else await db.deleteFrom("satisfaction_answer").where("id", "=", pick(ids)).execute();
      },
      // What puts paths in a scope: the order's year or lot, the line's component, the component's category, the site's département.
      async reorder() {
        const fx = pick([a, b]);
        if (rnd() < 0.5) await db.updateTable("order").set(rnd() < 0.5 ? { planned_start: "2025-02-01", planned_end: "2026-12-31" } : { planned_start: "2026-01-05", planned_end: "2026-12-31" }).where("id", "=", fx.orderId).execute();
        else await db.updateTable("order").set({ lot_id: pick([a.lotId, b.lotId]) }).where("id", "=", fx.orderId).execute();
      },
      async reline() {
        await db.updateTable("order_line").set({ component_id: pick([a.componentId, b.componentId]) }).where("id", "=", pick([a, b]).orderLineId).execute();
      },
      async recategory() {
        const categories = ["transverse", "regulatory", "specific_preparation"] as const;
        const id = pick([a.componentId, b.componentId]);
        const { category } = await db.selectFrom("component").select("category").where("id", "=", id).executeTakeFirstOrThrow();
        await db.updateTable("component").set({ category: pick(categories.filter((c) => c !== category)) }).where("id", "=", id).execute();
      },
      async redepartement() {
        await db.updateTable("site").set({ departement_code: pick(["31", "81"]) }).where("id", "=", pick([a.siteId, b.siteId, tarnSite])).execute();
      },
    };
    await assertExact("before any write");
    const done = await runWrites(writes, draws, 200, (i, step) => (i % 10 === 0 ? assertExact(step) : assertRows(step)));
    for (const [kind, n] of Object.entries(done)) assert.ok(n > 3, `${kind} written only ${n} times`);
    // The figures are not trivially zero: realised minutes and exits exist.
    const all = await fromRollups(t.db, {}, "2026-04-15");
    assert.ok(all.realised.some((r) => r.modality !== "positioning" && r.minutes > 0));
    assert.ok(all.headcounts.entries === 8);
    assert.ok(Object.keys(all.exits).length > 0 && all.exams.base > 0 && all.employment.exit.known + all.employment.m3.known + all.employment.m6.known > 0);
    assert.ok(all.satisfaction.respondents > 0 && all.vae.engaged > 0);
  });
});
