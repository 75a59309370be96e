import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type RawBuilder, sql } from "kysely";
import { createTestDatabase } from "../../test/support/db.ts";
import { login } from "../core/auth/sessions.ts";
import { loadConfig } from "../core/config.ts";
import type { Database } from "../core/db/index.ts";
import { parisDate, systemClock, yearOf } from "../core/time.ts";
import type { Actor } from "../core/auth/actor.ts";
import { CertificateListQuery, pageCertificates } from "../domains/documents/listing.ts";
import { closedOrderNumber, closedOrderYear } from "./closed-order.ts";
import { DEFAULT_DEMO_PASSWORD, type DemoResult, loadDemoIfEmpty } from "./seed.ts";

/** Independent Luhn check (SIRET: 14 digits). */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

describe("reference data migration", () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase(2);
  });
  after(() => database.close());

  test("the 13 départements of Occitanie are present with their names", async () => {
    const rows = await database.db.selectFrom("departement").selectAll().orderBy("code").execute();
    assert.deepEqual(
      rows.map((r) => `${r.code} ${r.name}`),
      [
        "09 Ariège",
        "11 Aude",
        "12 Aveyron",
        "30 Gard",
        "31 Haute-Garonne",
        "32 Gers",
        "34 Hérault",
        "46 Lot",
        "48 Lozère",
        "65 Hautes-Pyrénées",
        "66 Pyrénées-Orientales",
        "81 Tarn",
        "82 Tarn-et-Garonne",
      ],
    );
  });

  test("CP-PRESCRIBERS: every authorised prescriber of CCTP §2.2 is listed and authorised", async () => {
    const rows = await database.db.selectFrom("prescriber_organisation").selectAll().execute();
    assert.ok(rows.every((r) => r.authorised));
    const names = rows.map((r) => r.name);
    const kinds = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.name);
    for (const name of [
      "France Travail",
      "France Travail Toulouse Compans",
      "Missions Locales",
      "Mission Locale de Montpellier",
      "Cap Emploi",
      "Centres d'Information sur le Droit des Femmes et des Familles (CIDFF)",
      "Association Pour l'Emploi des Cadres (APEC)",
      "AKTO Réseau FAFF TT",
      "Espace Rural Emploi Formation (EREF) Quercy Rouergue et des Gorges de l'Aveyron",
      "PLIE Toulouse Métropole",
      "PLIE Béziers Méditerranée",
      "PLIE Est Héraultais",
      "PLIE Haut Languedoc et Vignobles",
      "PLIE Hérault Méditerranée",
      "Service Emploi de la Mairie de Portet-sur-Garonne",
      "Service Emploi de la Communauté de Communes Grand Sud Tarn et Garonne",
      "Espace Emploi Formation de la Communauté d'Agglomération SICOVAL",
    ]) {
      assert.ok(names.includes(name), `missing prescriber ${name}`);
    }
    assert.equal(kinds("conseil_departemental").length, 13, "one Conseil départemental per département");
    assert.equal(kinds("plie").length, 5);
    assert.ok(kinds("france_travail").length >= 2);
    assert.ok(kinds("mission_locale").length >= 2);
  });

  test("the reference rows have fixed ids (the same in every database)", async () => {
    const ft = await database.db.selectFrom("prescriber_organisation").select("id").where("name", "=", "France Travail").executeTakeFirstOrThrow();
    assert.equal(ft.id, "1ac4445b-9ea0-4ec6-aafe-bbca233aeeaf");
  });
});

describe("demo dataset (loadDemoIfEmpty)", () => {
  let database: Database;
  let result: DemoResult;
  const today = parisDate(new Date());
  const year = yearOf(today);
  const q = <T>(query: RawBuilder<T>) => query.execute(database.db).then((r) => r.rows);

  before(async () => {
    database = await createTestDatabase(2);
    result = await loadDemoIfEmpty(database.db, { password: DEFAULT_DEMO_PASSWORD });
  });
  after(() => database.close());

  test("loads into an empty database and returns the shared password and French logins", async () => {
    assert.equal(result.loaded, true);
    assert.equal(result.password, DEFAULT_DEMO_PASSWORD);
    assert.ok(result.logins.some((l) => l.email === "region@demo.competences-plus.fr"));
    assert.ok(result.logins.length >= 15);
    for (const l of result.logins) {
      const user = await database.db.selectFrom("app_user").select("id").where("email", "=", l.email).executeTakeFirst();
      assert.ok(user, `login ${l.email} exists`);
    }
    // One hash for every account, and it is the demo password's.
    const hashes = await q<{ n: number }>(sql`select count(distinct password_hash)::int as n from app_user`);
    assert.equal(hashes[0].n, 1);
    assert.equal((await login(database.db, systemClock, loadConfig({}), "region@demo.competences-plus.fr", DEFAULT_DEMO_PASSWORD, null)).kind, "ok");
  });

  test("counts: 2 lots, 3 providers, ≥ 55 trainees, every path status, staff and prescribers", async () => {
    const count = async (table: "lot" | "provider" | "trainee" | "order" | "component") =>
      Number((await database.db.selectFrom(table).select((e) => e.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    assert.equal(await count("lot"), 2);
    assert.equal(await count("provider"), 3);
    assert.ok((await count("trainee")) >= 55);
    assert.equal(await count("order"), 5, "four running orders and the closed one");
    const statuses = await q<{ status: string }>(sql`select distinct status from path order by status`);
    assert.deepEqual(
      statuses.map((s) => s.status),
      ["closed", "draft", "dropped", "validated"],
    );
    const roles = await q<{ role: string; n: number }>(sql`select role, count(*)::int as n from app_user group by role order by role`);
    assert.deepEqual(Object.fromEntries(roles.map((r) => [r.role, r.n])), {
      access_site_staff: 1,
      expert: 1,
      pedagogical_referent: 6,
      prescriber: 2,
      provider_admin: 3,
      region_officer: 1,
      trainee: 1,
      trainer: 3,
    });
    const lots = await q<{ name: string; deps: string; framework_end: string }>(
      sql`select l.name, string_agg(d.departement_code, ' ' order by d.departement_code) as deps, l.framework_end
          from lot l join lot_departement d on d.lot_id = l.id group by l.id order by l.code`,
    );
    assert.deepEqual(lots, [
      { name: "Ouest Occitanie", deps: "09 31 32 46 65 81 82", framework_end: `${year + 1}-12-31` },
      { name: "Est Occitanie", deps: "11 12 30 34 48 66", framework_end: `${year + 1}-12-31` },
    ]);
  });

  test("CP-SITE-IN-LOT: every site of the offer, of an order and of a path lies in its lot's départements", async () => {
    const offerOutside = await q(sql`
      select s.name from component c join component_site cs on cs.component_id = c.id join site s on s.id = cs.site_id
      where not exists (select 1 from lot_departement ld where ld.lot_id = c.lot_id and ld.departement_code = s.departement_code)`);
    assert.deepEqual(offerOutside, []);
    const orderOutside = await q(sql`
      select s.name from "order" o join order_line ol on ol.order_id = o.id join order_line_site ols on ols.order_line_id = ol.id
      join site s on s.id = ols.site_id
      where not exists (select 1 from lot_departement ld where ld.lot_id = o.lot_id and ld.departement_code = s.departement_code)`);
    assert.deepEqual(orderOutside, []);
    const pathOffOrder = await q(sql`
      select p.id from path p where not exists (select 1 from order_line_site ols where ols.order_line_id = p.order_line_id and ols.site_id = p.site_id)`);
    assert.deepEqual(pathOffOrder, []);
    const notInOffer = await q(sql`
      select ols.site_id from order_line_site ols join order_line ol on ol.id = ols.order_line_id
      where not exists (select 1 from component_site cs where cs.component_id = ol.component_id and cs.site_id = ols.site_id)`);
    assert.deepEqual(notInOffer, [], "CP-ORDER-FROM-OFFER: order sites come from the offer");
  });

  test("CP-PATH-MAX-200H and CP-COMPANY-MAX-70H: every path ≤ 12000 minutes with positioning, ≤ 4200 in company", async () => {
    const paths = await q<{ total: number; company: number }>(sql`
      select pos.minutes + coalesce(sum(pi.planned_minutes), 0)::int as total,
             coalesce(sum(pi.planned_minutes) filter (where pi.modality = 'company'), 0)::int as company
      from path p join positioning pos on pos.path_id = p.id left join path_item pi on pi.path_id = p.id
      group by p.id, pos.minutes`);
    assert.ok(paths.length >= 55, "every path has a positioning");
    assert.ok(paths.every((p) => p.total <= 12_000));
    assert.ok(paths.every((p) => p.company <= 4_200));
    assert.ok(paths.some((p) => p.total === 12_000), "one path sits exactly on the 200 h boundary");
    assert.ok(paths.some((p) => p.company > 0), "some paths have a company period");
  });

  test("CP-ORDER-FUNGIBLE and CP-SELFSTUDY-MAX-20: every order's planned total ≤ ordered total, self-study within budget", async () => {
    const orders = await q<{ number: string; ordered: number; centre: number; eform_centre: number; planned: number; self: number; eform_self: number }>(sql`
      with ordered as (
        select ol.order_id,
               sum(ol.headcount * (ol.average_path_centre_minutes + ol.average_path_company_minutes))::int as ordered,
               sum(ol.headcount * ol.average_path_centre_minutes) filter (where not c.e_formation)::int as centre,
               coalesce(sum(ol.headcount * ol.average_path_centre_minutes) filter (where c.e_formation), 0)::int as eform_centre
        from order_line ol join component c on c.id = ol.component_id group by ol.order_id),
      planned as (
        select p.order_id,
               sum(pos.minutes + (select coalesce(sum(planned_minutes), 0) from path_item where path_id = p.id))::int as planned
        from path p join positioning pos on pos.path_id = p.id group by p.order_id),
      self as (
        select p.order_id,
               coalesce(sum(pi.planned_minutes) filter (where not c.e_formation), 0)::int as self,
               coalesce(sum(pi.planned_minutes) filter (where c.e_formation), 0)::int as eform_self
        from path p join path_item pi on pi.path_id = p.id and pi.modality = 'self_study'
        join order_line ol on ol.id = p.order_line_id join component c on c.id = ol.component_id group by p.order_id)
      select o.number, od.ordered, od.centre, od.eform_centre, coalesce(pl.planned, 0) as planned,
             coalesce(s.self, 0) as self, coalesce(s.eform_self, 0) as eform_self
      from "order" o join ordered od on od.order_id = o.id left join planned pl on pl.order_id = o.id left join self s on s.order_id = o.id
      order by o.number`);
    assert.deepEqual(
      orders.map((o) => o.number),
      [`BC-${year}-031-001`, `BC-${year}-034-001`, `BC-${year}-065-001`, `BC-${year}-065-002`, closedOrderNumber(today)].sort(),
    );
    for (const o of orders) {
      assert.ok(o.planned <= o.ordered, `${o.number}: ${o.planned} planned > ${o.ordered} ordered`);
      assert.ok(5 * o.self <= o.centre, `${o.number}: self-study above 20 %`);
      assert.ok(2 * o.eform_self <= o.eform_centre, `${o.number}: e-formation self-study above 50 %`);
    }
  });

  test("CP-ENTRY-YEAR-N and CP-PATH-WITHIN-ORDER: entries in year Y, on or after the order's start, exits by its end", async () => {
    const paths = await database.db
      .selectFrom("path as p")
      .innerJoin("order as o", "o.id", "p.order_id")
      .select(["p.entry_date", "p.planned_exit_date", "p.actual_exit_date", "p.status", "o.number", "o.planned_start", "o.planned_end"])
      .execute();
    for (const p of paths) {
      // The closed order ran in the first half of this year, or of last year before 30 June.
      const orderYear = p.number === closedOrderNumber(today) ? closedOrderYear(today) : year;
      assert.equal(yearOf(p.entry_date), orderYear);
      assert.equal(yearOf(p.planned_start), orderYear);
      assert.ok(p.entry_date >= p.planned_start);
      assert.ok(p.planned_exit_date <= p.planned_end);
      assert.equal(p.actual_exit_date !== null, p.status === "closed" || p.status === "dropped");
    }
  });

  test("AMI: the seed's call as published (two lots, their experts, 20/02/2023 12:00 Paris, mission 2 by 30/06/2024) and three applications", async () => {
    const call = await database.db.selectFrom("ami_call").selectAll().executeTakeFirstOrThrow();
    assert.equal(call.submission_deadline.toISOString(), "2023-02-20T11:00:00.000Z");
    assert.equal(call.mission2_latest_end, "2024-06-30");
    const lots = await q<{ number: number; deps: string; experts: string }>(
      sql`select l.number, (select string_agg(departement_code, ' ' order by departement_code) from ami_lot_departement d where d.lot_id = l.id) as deps,
                 (select string_agg(e.name, ', ' order by e.name) from ami_lot_expert le join ami_expert_provider e on e.id = le.expert_provider_id where le.lot_id = l.id) as experts
          from ami_lot l order by l.number`,
    );
    assert.deepEqual(lots, [
      { number: 1, deps: "31 32 46 65 81 82", experts: "BIZNESS, LAET'S MIND, MASKOTT" },
      { number: 2, deps: "09 11 12 30 34 48 66", experts: "BIZNESS, KAWALEARN, MASKOTT" },
    ]);
    const statuses = await q<{ status: string }>(sql`select status from ami_application order by status`);
    assert.deepEqual(statuses.map((s) => s.status), ["mission_2", "submitted", "submitted"]);
  });

  test("SIRET and NDA: every SIRET is 14 Luhn-valid digits (its SIREN too); CP-QUALIOPI: one certificate expired", async () => {
    const providers = await database.db.selectFrom("provider").selectAll().execute();
    for (const p of providers) {
      assert.match(p.siret, /^[0-9]{14}$/);
      assert.ok(luhnValid(p.siret), `${p.siret} Luhn`);
      assert.ok(luhnValid(p.siret.slice(0, 9)), `${p.siret} SIREN Luhn`);
      assert.match(p.nda ?? "", /^76[0-9]{9}$/);
    }
    assert.equal(providers.filter((p) => (p.qualiopi_valid_until ?? "") < today).length, 1);
  });

  test("CP-REFERENTS: every provider has its 6 mandatory referents; every trainee a pedagogical referent of its provider", async () => {
    const referents = await q<{ n: number }>(sql`select count(distinct kind)::int as n from provider_referent group by provider_id`);
    assert.deepEqual(
      referents.map((r) => r.n),
      [6, 6, 6],
    );
    const wrong = await q(sql`
      select t.id from trainee t left join app_user u on u.id = t.pedagogical_referent_id
      where u.id is null or u.role <> 'pedagogical_referent' or u.provider_id <> t.provider_id`);
    assert.deepEqual(wrong, []);
  });

  test("CP-TRANSVERSE-CONTENT, CP-TRE-MIN-14H, CP-PREP-WRITTEN-ORAL: every component is compliant", async () => {
    const components = await database.db.selectFrom("component").selectAll().execute();
    const modules = await database.db.selectFrom("module").selectAll().execute();
    for (const c of components) {
      const mine = modules.filter((m) => m.component_id === c.id);
      const tagged = (tag: string) => mine.filter((m) => m.content_tag === tag);
      const total = mine.reduce((s, m) => s + m.minutes, 0);
      assert.equal(c.offer_status, "accepted");
      assert.ok(total >= 7_200 && total <= 12_000, `${c.title}: ${total} minutes`);
      if (c.subcategory !== "digital") assert.ok(tagged("digital").length >= 1, `${c.title}: digital`);
      for (const tag of ["soft_skills", "ecological_transition", "job_search", "refresher"]) assert.ok(tagged(tag).length >= 1, `${c.title}: ${tag}`);
      assert.ok(tagged("job_search").reduce((s, m) => s + m.minutes, 0) >= 840, `${c.title}: TRE ≥ 14 h`);
      if (c.category === "specific_preparation") {
        assert.ok(mine.some((m) => m.prep_part === "written") && mine.some((m) => m.prep_part === "oral"));
        assert.equal(c.level_2019, 3);
      }
      if (mine.some((m) => m.modality === "distance") && !c.e_formation) assert.equal(c.hybrid_status, "approved", "CP-HYBRID-APPROVED");
    }
    const hybrid = components.map((c) => c.hybrid_status);
    assert.ok(hybrid.includes("approved") && hybrid.includes("requested"));
    assert.ok(components.some((c) => c.e_formation));
    assert.ok(components.some((c) => c.category === "regulatory" && c.certification_code));
  });

  test("seeded warnings: CP-POSITIONING-2-14H (1 h 30), CP-TRE-MIN-14H exempted, CP-GROUP-MAX-20 (21 on one day)", async () => {
    const short = await q(sql`select path_id from positioning where minutes < 120 or minutes > 840`);
    assert.equal(short.length, 1);
    const treExempted = await q(sql`
      select pi.path_id from path_item pi join module m on m.id = pi.module_id where m.content_tag = 'job_search' and pi.exempted`);
    assert.equal(treExempted.length, 1);
    const exemptedWithoutReason = await q(sql`select id from path_item where exempted and (exemption_reason is null or planned_minutes <> 0)`);
    assert.deepEqual(exemptedWithoutReason, []);
    assert.ok((await q(sql`select id from path_item where exempted`)).length >= 3, "some modules are exempted");
    const locations = await q<{ self_study_location: string }>(sql`select distinct self_study_location from path_item where modality = 'self_study' order by 1`);
    assert.deepEqual(
      locations.map((l) => l.self_study_location),
      ["centre", "remote"],
    );

    // Trainees of one component at one site whose paths run on the same day.
    const paths = await database.db
      .selectFrom("path as p")
      .innerJoin("order_line as ol", "ol.id", "p.order_line_id")
      .select(["ol.component_id", "p.site_id", "p.entry_date", "p.planned_exit_date", "p.actual_exit_date"])
      .execute();
    const peaks = new Map<string, number>();
    for (const p of paths) {
      const group = paths.filter((o) => o.component_id === p.component_id && o.site_id === p.site_id);
      const day = p.entry_date;
      const running = group.filter((o) => o.entry_date <= day && day <= (o.actual_exit_date ?? o.planned_exit_date)).length;
      const key = `${p.component_id}/${p.site_id}`;
      peaks.set(key, Math.max(peaks.get(key) ?? 0, running));
    }
    const overTwenty = [...peaks.values()].filter((n) => n > 20);
    assert.deepEqual(overTwenty, [21]);
  });

  test("CP-ELIGIBLE-PUBLIC: 3–4 trainees not registered as job seekers, only on draft paths; France Travail ids in both formats", async () => {
    const trainees = await database.db
      .selectFrom("trainee as t")
      .innerJoin("path as p", "p.trainee_id", "t.id")
      .select(["t.job_seeker_registered", "t.france_travail_id", "t.email", "t.birth_date", "p.status"])
      .execute();
    const unregistered = trainees.filter((t) => !t.job_seeker_registered);
    assert.ok(unregistered.length >= 3 && unregistered.length <= 4);
    assert.ok(unregistered.every((t) => t.status === "draft" && t.france_travail_id === null));
    const ids = trainees.flatMap((t) => (t.france_travail_id ? [t.france_travail_id] : []));
    assert.ok(ids.some((id) => /^[0-9]{7}[0-9A-Z]$/.test(id)));
    assert.ok(ids.some((id) => /^[0-9]{11}$/.test(id)));
    assert.ok(trainees.every((t) => t.email?.endsWith("@exemple.fr")));
    assert.ok(trainees.every((t) => t.birth_date >= "1970-01-01" && t.birth_date <= "2005-12-31"));
  });

  test("CP-DEPOSIT-MAX-200: a few deposits, at most 200 € per path, material named; one kept with a reason", async () => {
    const perPath = await q<{ total: number }>(sql`select sum(amount_cents)::int as total from deposit group by path_id`);
    assert.ok(perPath.length >= 3);
    assert.ok(perPath.every((p) => p.total <= 20_000));
    assert.ok(perPath.some((p) => p.total === 20_000), "one path holds exactly 200 €");
    const kept = await q(sql`select id from deposit where kept_reason is not null and refunded_on is null`);
    assert.equal(kept.length, 1);
  });

  test("CP-TRAINER-CHANGE: every provider has trainers with CV and qualifications; one order's team, its notices (one acknowledged, one open)", async () => {
    const perProvider = await q<{ n: number; with_cv: number }>(sql`select count(*)::int as n, count(cv_attachment_id)::int as with_cv from trainer group by provider_id`);
    assert.equal(perProvider.length, 3);
    assert.ok(perProvider.every((p) => p.n >= 3 && p.with_cv >= 2));
    assert.equal(perProvider.filter((p) => p.with_cv < p.n).length, 1, "one trainer without CV shows the rule on /formateurs");
    const team = await q<{ n: number }>(sql`select count(*)::int as n from order_trainer`);
    assert.equal(team[0].n, 2);
    const notices = await q<{ open: boolean }>(sql`select acknowledged_at is null as open from trainer_notice order by filed_at, open`);
    assert.deepEqual(
      notices.map((n) => n.open).sort(),
      [false, true],
    );
  });

  test("CP-CERTIFICATE-OF-COMPLETION: each trainee who left through the exit domain or with the closed order holds a certificate over the whole path, listed on « Certificats » (at any date)", async () => {
    const left = await q<{ n: number; ok: boolean }>(
      sql`select (select count(*)::int from certificate c where c.path_id = p.id and c.replaced_by is null) as n,
                 exists (select 1 from certificate c where c.path_id = p.id and c.period_start = p.entry_date and c.period_end = p.actual_exit_date) as ok
          from path p join "order" o on o.id = p.order_id
          where p.status in ('closed', 'dropped') and p.actual_exit_date >= p.entry_date and p.actual_exit_date <= ${today}
            and (o.status = 'closed' or exists (select 1 from path_exit e where e.path_id = p.id))`,
    );
    assert.ok(left.length >= 4, "the closed order's four at least");
    assert.equal((await q<{ n: number }>(sql`select count(*)::int as n from certificate`))[0].n, left.length, "theirs only");
    assert.ok(left.every((x) => x.n === 1 && x.ok), "one certificate in force each, entry to exit");
    const exited = await q<{ n: number }>(sql`select count(*)::int as n from path_exit e where not exists (select 1 from certificate c where c.path_id = e.path_id)`);
    assert.equal(exited[0].n, 0, "the exit domain's exits included");
    const user = (email: string) => database.db.selectFrom("app_user").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
    const actorOf = (u: Awaited<ReturnType<typeof user>>): Actor => ({ userId: u.id, role: u.role, fullName: u.full_name, email: u.email, providerId: u.provider_id, prescriberOrganisationId: u.prescriber_organisation_id, traineeId: u.trainee_id });
    const region = await pageCertificates(database.db, actorOf(await user("region@demo.competences-plus.fr")), CertificateListQuery.parse({ limit: 100 }));
    assert.equal(region.items.length, left.length, "the Region's list shows them all");
    const issuer = await database.db.selectFrom("certificate").select("issued_by").limit(1).executeTakeFirstOrThrow();
    const provider = await database.db.selectFrom("app_user").selectAll().where("id", "=", issuer.issued_by!).executeTakeFirstOrThrow();
    assert.ok((await pageCertificates(database.db, actorOf(provider), CertificateListQuery.parse({ limit: 50 }))).items.length > 0, "the issuing provider's list is not empty");
  });

  test("a second call loads nothing and changes nothing", async () => {
    const before = await q<{ n: number }>(sql`select (select count(*) from trainee)::int + (select count(*) from app_user)::int as n`);
    const again = await loadDemoIfEmpty(database.db);
    assert.equal(again.loaded, false);
    assert.ok(again.logins.length >= 15, "the existing demo accounts are still listed");
    const after = await q<{ n: number }>(sql`select (select count(*) from trainee)::int + (select count(*) from app_user)::int as n`);
    assert.deepEqual(after, before);
  });
});
