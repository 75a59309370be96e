// Demo: one order the Region has already closed, with the warning of CP-SELFSTUDY-MAX-20 (second
// sentence: realised self-study above 20 % of realised centre hours at close). A small order of
// Garonne Formation — one English line in Toulouse, four trainees entering together, three paths
// closed and one dropped — that ran in the first half of the year and is over. Positioning
// individualised the paths (two exemptions, reinforced self-study) so that self-study is exactly a
// fifth of the planned sessions; the trainees then signed every self-study sequence but missed or
// came late to some centre sessions, so realised self-study ends a little above 20 % of realised
// centre hours. The order's self-study budget (20 % of its *ordered* centre hours) still holds.
// The rows are built here (pure, seeded); the close goes through the real use case (closeOrder)
// with the demo's Region officer, so status, close time, stored warning, audit and outbox rows are
// the application's own.
import type { Insertable, Transaction } from "kysely";
import type { Actor } from "../core/auth/actor.ts";
import type { Db } from "../core/db/index.ts";
import type { ContentTag, DB, Modality } from "../core/db/schema.ts";
import type { Violation } from "../core/rules.ts";
import { addDays, parisDate, yearOf } from "../core/time.ts";
import { closeOrder } from "../domains/orders/use-cases.ts";
import { publicHoliday } from "../domains/schedule/rules.ts";
import { emptyHistory, type History, insertHistory, type Mark, openSlot } from "./attendance.ts";
import { TEMPLATES } from "./offer.ts";
import { LOTS, REGION_EMAIL, staffEmail } from "./organisations.ts";
import { createRng, type Rng } from "./random.ts";
import { type DemoRows, hours, mondayOnOrAfter, morningOf } from "./rows.ts";

type Tx = Transaction<DB>;

const SEED = 20260630;
const HEADCOUNT = 4;
const ORDERED_CENTRE_HOURS = 150; // per path, on average: the self-study budget is 20 % of 4 × 150 h
const HALF_DAYS = [
  { start: "09:00", end: "12:30" },
  { start: "13:30", end: "17:00" },
] as const;
const HALF_DAY_MINUTES = 210;
/** One half-day in five is a self-study sequence (while some remains to do). */
const SELF_STUDY_EVERY = 5;

// Positioning found these trainees at A2 already, with a recent certificate of basic skills.
const EXEMPTIONS: Record<string, string> = {
  "Anglais général : consolidation des bases (A2)": "Acquis validés au positionnement : niveau A2 atteint au test d'entrée",
  "Remise à niveau : français et calcul professionnels": "Compétences déjà attestées par une certification obtenue (CléA)",
};
const REINFORCED_SELF_STUDY = "Autoformation renforcée : compréhension orale sur la plateforme de langues";

interface TraineeSpec {
  first: string;
  last: string;
  birthDate: string;
  phone: string;
  franceTravailId: string;
  positioningMinutes: number;
  priorLearning: string;
  competences: string;
  /** Dropped after this many half-days of the cohort (closed otherwise). */
  leavesAfter?: number;
}

const TRAINEES: TraineeSpec[] = [
  {
    first: "Gaëlle",
    last: "Rivière",
    birthDate: "1991-04-17",
    phone: "06 52 18 40 73",
    franceTravailId: "4127093K",
    positioningMinutes: 180,
    priorLearning: "Baccalauréat professionnel Accueil, 4 ans d'hôtesse d'accueil en hôtellerie",
    competences: "Anglais oral courant en situation d'accueil, écrit à structurer",
  },
  {
    first: "Baptiste",
    last: "Lauret",
    birthDate: "1986-09-02",
    phone: "07 61 25 93 08",
    franceTravailId: "03184527619",
    positioningMinutes: 210,
    priorLearning: "BTS Transport et prestations logistiques, 6 ans d'agent de transit",
    competences: "Bonne compréhension écrite de l'anglais technique, expression orale hésitante",
  },
  {
    first: "Yasmine",
    last: "Khelifi",
    birthDate: "1998-01-25",
    phone: "06 34 87 12 56",
    franceTravailId: "5093316B",
    positioningMinutes: 240,
    priorLearning: "Licence de langues étrangères appliquées non achevée, vendeuse en boutique",
    competences: "Aisance relationnelle, bases grammaticales solides, vocabulaire professionnel à enrichir",
  },
  {
    first: "Arnaud",
    last: "Calvet",
    birthDate: "1979-11-08",
    phone: "07 45 09 61 32",
    franceTravailId: "2768054F",
    positioningMinutes: 150,
    priorLearning: "CAP Cuisine, 12 ans de restauration dont 3 saisons à l'étranger",
    competences: "Anglais oral de service acquis sur le terrain, écrit à reprendre",
    leavesAfter: 12,
  },
];
const DROP_REASON = "Reprise d'emploi (CDD de six mois en restauration)";

/** The year the closed order ran in: this year once its planned end (30 June) is past, last year before. */
export function closedOrderYear(today: string): number {
  const year = yearOf(today);
  return today > `${year}-06-30` ? year : year - 1;
}

/** Its number: the provider's second order of this year, or its only one of last year. */
export function closedOrderNumber(today: string): string {
  const year = closedOrderYear(today);
  return `BC-${year}-031-${year === yearOf(today) ? "002" : "001"}`;
}

export interface ClosedOrderInput {
  today: string;
  regionUserId: string;
  lotId: string;
  providerId: string;
  siteId: string;
  componentId: string;
  /** The component's modules, in their order. */
  modules: { id: string; title: string; minutes: number; modality: Modality; content_tag: ContentTag | null }[];
  referentIds: [string, string];
  trainer: { id: string; role: string };
  /** The trainer's other slots: this order's sessions never overlap them (SCHEDULE-TRAINER-OVERLAP). */
  busy: { date: string; start: string; end: string }[];
}

export type ClosedOrderRows = Pick<DemoRows, "order" | "order_line" | "order_line_site" | "trainee" | "path" | "positioning" | "path_item" | "transition_log"> & {
  session: Insertable<DB["session"]>[];
  history: History;
  /** Realised minutes of the order from the attendance built (what the ledger will read). */
  realised: { selfStudy: number; centreMinutes: number };
};

interface HalfDay {
  date: string;
  start: string;
  end: string;
  minutes: number;
  modality: "centre" | "self_study";
}

/** The cohort's sessions from `from` on: working days, no public holiday, never while the trainer is busy. */
function schedule(from: string, needs: { centre: number; selfStudy: number }, busy: ClosedOrderInput["busy"]): HalfDay[] {
  const busyOn = new Map<string, { start: string; end: string }[]>();
  for (const b of busy) busyOn.set(b.date, [...(busyOn.get(b.date) ?? []), b]);
  const out: HalfDay[] = [];
  let { centre, selfStudy } = needs;
  for (let date = from; centre + selfStudy > 0; date = addDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
    if (weekday === 0 || weekday === 6 || publicHoliday(date, false)) continue;
    for (const half of HALF_DAYS) {
      if (centre + selfStudy === 0) break;
      if ((busyOn.get(date) ?? []).some((b) => b.start < half.end && b.end > half.start)) continue;
      const selfStudyTurn = centre === 0 || (selfStudy > 0 && out.length % SELF_STUDY_EVERY === SELF_STUDY_EVERY - 1);
      const minutes = Math.min(HALF_DAY_MINUTES, selfStudyTurn ? selfStudy : centre);
      if (selfStudyTurn) selfStudy -= minutes;
      else centre -= minutes;
      out.push({ date, start: half.start, end: addMinutes(half.start, minutes), minutes, modality: selfStudyTurn ? "self_study" : "centre" });
    }
  }
  return out;
}

const addMinutes = (time: string, minutes: number) => {
  const total = Number(time.slice(0, 2)) * 60 + Number(time.slice(3)) + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
};

/** Self-study is always signed (CP-SELFSTUDY-PRESENCE); centre sessions see some absences and lateness. */
function markOf(h: HalfDay, startsAt: Date, rng: Rng): Mark {
  const signed = (late: number): Mark => ({ status: late ? "late" : "present", late, minutes: h.minutes - late, signedAt: new Date(startsAt.getTime() + (late + rng.int(0, 4)) * 60_000) });
  if (h.modality === "self_study") return signed(0);
  const roll = rng.next();
  if (roll < 0.06) return { status: "absent", late: 0, minutes: 0, signedAt: null };
  if (roll < 0.12) return { status: "excused", late: 0, minutes: 0, signedAt: null };
  return signed(roll < 0.22 ? rng.pick([5, 10, 15, 20]) : 0);
}

/** Every row of the closed order before its close (pure, deterministic for a given day). */
export function buildClosedOrder(input: ClosedOrderInput): ClosedOrderRows {
  const rng = createRng(SEED);
  const year = closedOrderYear(input.today);
  const plannedStart = `${year}-02-01`;
  const plannedEnd = `${year}-06-30`;
  const orderId = rng.uuid();
  const lineId = rng.uuid();
  const published = `${year}-01-20T09:00:00Z`;
  const rows: ClosedOrderRows = {
    order: [
      {
        id: orderId,
        number: closedOrderNumber(input.today),
        lot_id: input.lotId,
        provider_id: input.providerId,
        planned_start: plannedStart,
        planned_end: plannedEnd,
        headcount: HEADCOUNT,
        unit_price_cents: 1250,
        created_by: input.regionUserId,
        created_at: published,
      },
    ],
    order_line: [
      { id: lineId, order_id: orderId, component_id: input.componentId, headcount: HEADCOUNT, average_path_centre_minutes: hours(ORDERED_CENTRE_HOURS), average_path_company_minutes: 0 },
    ],
    order_line_site: [{ order_line_id: lineId, site_id: input.siteId }],
    trainee: [],
    path: [],
    positioning: [],
    path_item: [],
    transition_log: [],
    session: [],
    history: emptyHistory(),
    realised: { selfStudy: 0, centreMinutes: 0 },
  };

  // The plan shared by the four paths (CP-MODULAR): two exemptions, and self-study reinforced to a fifth of the sessions.
  const plan = input.modules.map((m) => ({ module: m, reason: EXEMPTIONS[m.title] ?? null }));
  if (plan.filter((p) => p.reason).length !== Object.keys(EXEMPTIONS).length) throw new Error("demo: the closed order's exempted modules are missing from the offer");
  const planned = (modality: Modality) => plan.reduce((s, p) => s + (p.reason || p.module.modality !== modality ? 0 : p.module.minutes), 0);
  const centre = planned("centre");
  const reinforced = Math.round(centre / 4) - planned("self_study");
  const selfStudy = planned("self_study") + reinforced;
  if (reinforced <= 0 || plan.some((p) => !p.reason && p.module.modality !== "centre" && p.module.modality !== "self_study")) {
    throw new Error("demo: the closed order's plan expects an in-centre component with a self-study module");
  }

  const entry = mondayOnOrAfter(`${year}-02-16`);
  const halfDays = schedule(addDays(entry, 1), { centre, selfStudy }, input.busy); // positioning and restitution on the entry day
  const plannedExit = halfDays[halfDays.length - 1].date;
  if (plannedExit > plannedEnd || plannedExit >= input.today) throw new Error("demo: the closed order's sessions do not end within the order and before today");

  const paths = TRAINEES.map((who, i) => {
    const pathId = rng.uuid();
    const traineeId = rng.uuid();
    const referentId = input.referentIds[i % 2];
    const dropped = who.leavesAfter !== undefined;
    const actualExit = dropped ? halfDays[who.leavesAfter! - 1].date : plannedExit;
    const items: DemoRows["path_item"] = plan.map(({ module: m, reason }, position) => ({
      id: rng.uuid(),
      path_id: pathId,
      module_id: m.id,
      label: m.title,
      modality: m.modality,
      self_study_location: m.modality === "self_study" ? "centre" : null,
      planned_minutes: reason ? 0 : m.minutes,
      exempted: reason !== null,
      exemption_reason: reason,
      position,
    }));
    items.push({ id: rng.uuid(), path_id: pathId, module_id: null, label: REINFORCED_SELF_STUDY, modality: "self_study", self_study_location: "centre", planned_minutes: reinforced, position: items.length });
    const total = who.positioningMinutes + centre + selfStudy;

    rows.trainee.push({
      id: traineeId,
      provider_id: input.providerId,
      first_name: who.first,
      last_name: who.last,
      birth_date: who.birthDate,
      email: `${ascii(who.first)}.${ascii(who.last)}@exemple.fr`,
      phone: who.phone,
      france_travail_id: who.franceTravailId,
      job_seeker_registered: true,
      pedagogical_referent_id: referentId,
      cv_updated_on: dropped ? null : addDays(entry, 15 + 7 * i),
    });
    rows.path.push({
      id: pathId,
      trainee_id: traineeId,
      order_id: orderId,
      order_line_id: lineId,
      provider_id: input.providerId,
      site_id: input.siteId,
      status: dropped ? "dropped" : "closed",
      entry_date: entry,
      planned_exit_date: plannedExit,
      actual_exit_date: actualExit,
    });
    rows.positioning.push({
      path_id: pathId,
      minutes: who.positioningMinutes,
      evaluations: TEMPLATES.english.evaluations,
      restitution_on: entry,
      prior_learning: who.priorLearning,
      competences: who.competences,
      recommended_exemptions: Object.keys(EXEMPTIONS).join(" ; "),
      recommended_minutes: total,
      recommended_methods: "Présentiel en petit groupe, autoformation renforcée en centre sur la plateforme de langues (une demi-journée sur cinq)",
      recommends_access_site: false,
      recorded_by: referentId,
      recorded_at: morningOf(entry),
    });
    rows.path_item.push(...items);
    const log = { entity: "path", entity_id: pathId, actor_id: referentId };
    rows.transition_log.push(
      { ...log, from_status: "draft", to_status: "validated", reason: "Positionnement restitué au stagiaire", at: morningOf(entry) },
      // Declared the morning after the last session attended.
      dropped
        ? { ...log, from_status: "validated", to_status: "dropped", reason: DROP_REASON, at: morningOf(addDays(actualExit, 1)) }
        : { ...log, from_status: "validated", to_status: "closed", reason: "Fin de parcours", at: morningOf(addDays(actualExit, 1)) },
    );
    return { pathId, traineeId, leavesAfter: who.leavesAfter ?? halfDays.length };
  });

  // The recorded positioning is realised too (§12.1), in the centre minutes of the caps (§12.2).
  for (const pos of rows.positioning) rows.realised.centreMinutes += pos.minutes;

  rows.session.push({
    id: rng.uuid(),
    provider_id: input.providerId,
    order_line_id: lineId,
    site_id: input.siteId,
    start_date: entry,
    end_date: plannedExit,
    places: HEADCOUNT,
    recruitment_open: false,
    published_at: published,
  });

  // Signed history (CP-ATTENDANCE-REALISED), chained like the signing domain's.
  for (const [index, h] of halfDays.entries()) {
    const slot = openSlot(rows.history, { id: rng.uuid(), providerId: input.providerId, orderLineId: lineId, siteId: input.siteId, date: h.date, start: h.start, end: h.end, modality: h.modality, trainer: input.trainer });
    for (const p of paths) {
      if (index >= p.leavesAfter) continue;
      const mark = markOf(h, slot.startsAt, rng);
      slot.record(p, rng.uuid(), mark);
      if (h.modality === "self_study") rows.realised.selfStudy += mark.minutes;
      rows.realised.centreMinutes += mark.minutes; // every non-company minute (§12.2), self-study included
    }
    slot.countersign();
  }
  if (rows.realised.selfStudy * 100 <= rows.realised.centreMinutes * 20) throw new Error("demo: the closed order must end above 20 % of realised self-study (CP-SELFSTUDY-MAX-20)");
  return rows;
}

const ascii = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, "-");

/**
 * `tx` seen as a Db whose `transaction()` runs its callback inside `tx`: a use case's own
 * transaction becomes part of the demo's single one (Kysely refuses nested transactions).
 */
export function withinTransaction(tx: Tx): Db {
  const builder = {
    execute: <T>(callback: (t: Tx) => Promise<T>) => callback(tx),
    setIsolationLevel: () => builder,
    setAccessMode: () => builder,
  };
  return new Proxy(tx, {
    get(target, property) {
      if (property === "transaction") return () => builder;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as Db;
}

/**
 * Inserts the closed order (after the rest of the demo: its trainer's other slots must exist) and
 * closes it as the demo's Region officer would. Returns the warnings raised at close.
 */
export async function loadDemoClosedOrder(tx: Tx, now: Date): Promise<{ orderId: string; number: string; warnings: Violation[] }> {
  const user = (email: string) => tx.selectFrom("app_user").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  const region = await user(REGION_EMAIL);
  const trainer = await user(staffEmail("garonne", "formateur"));
  const referentIds: [string, string] = [(await user(staffEmail("garonne", "referent1"))).id, (await user(staffEmail("garonne", "referent2"))).id];
  const providerId = trainer.provider_id!;
  const lot = await tx.selectFrom("lot").select("id").where("code", "=", LOTS.lot1.code).executeTakeFirstOrThrow();
  const site = await tx.selectFrom("site").select("id").where("provider_id", "=", providerId).where("commune", "=", "Toulouse").executeTakeFirstOrThrow();
  const component = await tx
    .selectFrom("component")
    .select("id")
    .where("provider_id", "=", providerId)
    .where("lot_id", "=", lot.id)
    .where("title", "=", TEMPLATES.english.title)
    .executeTakeFirstOrThrow();
  const modules = await tx.selectFrom("module").select(["id", "title", "minutes", "modality", "content_tag"]).where("component_id", "=", component.id).orderBy("position").execute();
  const busy = await tx
    .selectFrom("slot")
    .select(["slot_date as date", "start_time as start", "end_time as end"])
    .where((eb) => eb.or([eb("trainer_id", "=", trainer.id), eb("replacement_trainer_id", "=", trainer.id)]))
    .where("status", "<>", "cancelled")
    .execute();

  const rows = buildClosedOrder({
    today: parisDate(now),
    regionUserId: region.id,
    lotId: lot.id,
    providerId,
    siteId: site.id,
    componentId: component.id,
    modules,
    referentIds,
    trainer: { id: trainer.id, role: trainer.role },
    busy: busy.map((b) => ({ date: b.date, start: b.start.slice(0, 5), end: b.end.slice(0, 5) })),
  });
  for (const table of ["order", "order_line", "order_line_site", "trainee", "path", "positioning", "path_item", "transition_log", "session"] as const) {
    await tx
      .insertInto(table)
      .values(rows[table] as never)
      .execute();
  }
  await insertHistory(tx, rows.history);

  const officer: Actor = { userId: region.id, role: region.role, fullName: region.full_name, email: region.email, providerId: null, prescriberOrganisationId: null, traineeId: null };
  const orderId = rows.order[0].id;
  const closed = await closeOrder(withinTransaction(tx), officer, { now: () => now }, orderId);
  return { orderId, number: rows.order[0].number, warnings: closed.warnings };
}
