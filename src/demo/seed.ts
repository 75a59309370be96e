// `npm run demo`: a realistic French dataset, loaded once into an empty database. Dates are relative
// to the current Europe/Paris year Y so the demo stays valid every year; the data are built by a
// seeded generator, so the same year always gives the same rows.
import { loadDemoInternships } from "./internships.ts";
import { loadDemoChangeRequests } from "./changes.ts";
import { loadDemoTrainers } from "./trainers.ts";
import { sql } from "kysely";
import { hashPassword } from "../core/auth/sessions.ts";
import type { Db } from "../core/db/index.ts";
import { parisDate, yearOf } from "../core/time.ts";
import { buildOffer } from "./offer.ts";
import { buildOrders } from "./orders.ts";
import { buildOrganisations, demoLogins, PRESCRIBER_ORGANISATIONS, REGION_EMAIL, TRAINEE_EMAIL } from "./organisations.ts";
import { buildPaths } from "./paths.ts";
import { createRng } from "./random.ts";
import { DEMO_TABLES, type DemoRows, emptyRows } from "./rows.ts";
import { loadDemoAttendance } from "./attendance.ts";
import { loadDemoClosedOrder } from "./closed-order.ts";
import { loadDemoRecruitment } from "./recruitment.ts";
import { loadDemoSessions } from "./sessions.ts";
import { loadDemoExit } from "./exit.ts";
import { AMI_LOGINS, loadDemoAmi } from "./ami.ts";
import { analyze } from "../core/db/analyze.ts";
import { loadDemoPrivacy } from "./privacy.ts";
import { ACCESS_SITE_LOGINS, loadDemoAccessSites } from "./access-sites.ts";
import { loadDemoEformation } from "./eformation.ts";
import { loadDemoToday, moveCurrentCohort } from "./today.ts";
import { markStartup } from "../core/startup-timing.ts";

export interface DemoResult {
  loaded: boolean;
  password: string;
  logins: { role: string; email: string }[];
}

export const DEFAULT_DEMO_PASSWORD = "Demo-Occitanie-2026";
const SEED = 20261122;
const DEMO_TRAINEE_USER_ID = "5a9b0e7e-0000-4000-8000-000000000001";
const BATCH = 500; // rows per insert statement: well under PostgreSQL's 65 535 parameters

export interface DemoOptions {
  /** "Today" (defaults to now): the demo year is its Europe/Paris year. */
  now?: Date;
  password?: string;
  /** The Open Badges key file (config.badgeKeyFile); default: the configured one. */
  badgeKeyFile?: string;
  /**
   * The caller runs ANALYZE itself after the load (`npm run demo` does once it listens: ADR 0040);
   * by default it runs here, before returning.
   */
  deferAnalyze?: boolean;
}

/** Builds every row of the demo without touching the database (pure, deterministic). */
export function buildDemoRows(ctx: { year: number; passwordHash: string; prescriberOrganisationIds: Record<string, string>; today?: string }): DemoRows {
  const rows = emptyRows();
  const rng = createRng(SEED);
  const orgs = buildOrganisations(rows, rng, ctx);
  const components = buildOffer(rows, rng, orgs, ctx.year);
  const lines = buildOrders(rows, rng, orgs, components, ctx.year);
  buildPaths(rows, rng, orgs, lines, ctx.year);
  if (ctx.today) moveCurrentCohort(rows, lines, ctx.today); // one cohort in training today (today.ts)
  return rows;
}

/** Loads the demo in one transaction if no user exists yet; otherwise loads nothing. */
export async function loadDemoIfEmpty(db: Db, options: DemoOptions = {}): Promise<DemoResult> {
  const password = options.password || process.env.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
  const year = yearOf(parisDate(options.now ?? new Date()));
  const notLoaded = async (): Promise<DemoResult> => ({ loaded: false, password, logins: (await hasDemoUsers(db)) ? [...demoLogins(), ...AMI_LOGINS, ...ACCESS_SITE_LOGINS] : [] });
  if (await hasAnyUser(db)) return notLoaded();

  const passwordHash = await hashPassword(password); // argon2 is slow: one hash shared by every demo account
  markStartup("démo : mot de passe haché");
  const loaded = await db.transaction().execute(async (tx) => {
    // Two processes started together with --demo on one PostgreSQL: the second waits, then sees users.
    await sql`select pg_advisory_xact_lock(20261122)`.execute(tx);
    if (await hasAnyUser(tx)) return false;
    const organisations = await tx.selectFrom("prescriber_organisation").select(["id", "name"]).where("name", "in", PRESCRIBER_ORGANISATIONS).execute();
    const prescriberOrganisationIds = Object.fromEntries(organisations.map((o) => [o.name, o.id]));
    for (const name of PRESCRIBER_ORGANISATIONS) {
      if (!prescriberOrganisationIds[name]) throw new Error(`Démo : l'organisme prescripteur « ${name} » est absent des données de référence.`);
    }
    const rows = buildDemoRows({ year, passwordHash, prescriberOrganisationIds, today: parisDate(options.now ?? new Date()) });
    markStartup("démo : lignes construites");
    for (const table of DEMO_TABLES) {
      const all = rows[table] as Record<string, unknown>[];
      for (let i = 0; i < all.length; i += BATCH) {
        await tx
          .insertInto(table)
          .values(all.slice(i, i + BATCH) as never)
          .execute();
      }
    }
    markStartup("démo : lignes insérées");
    // One trainee account (app_user and trainee reference each other, so it comes after the rows):
    // the first trainee in training today (today.ts), else the first in training, to show the trainee's own screen.
    const today = parisDate(options.now ?? new Date());
    const trainee = await tx
      .selectFrom("trainee as t")
      .innerJoin("path as p", "p.trainee_id", "t.id")
      .select(["t.id", "t.first_name", "t.last_name"])
      .where("p.status", "=", "validated")
      .orderBy((eb) => eb.and([eb("p.entry_date", "<=", today), eb("p.planned_exit_date", ">=", today)]), "desc")
      .orderBy("t.last_name")
      .orderBy("t.first_name")
      .limit(1)
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("app_user")
      .values({ id: DEMO_TRAINEE_USER_ID, email: TRAINEE_EMAIL, password_hash: passwordHash, full_name: `${trainee.first_name} ${trainee.last_name}`, role: "trainee", trainee_id: trainee.id })
      .execute();
    await loadDemoSessions(tx, options.now ?? new Date()); // needs the inserted orders; before recruitment
    markStartup("démo : loadDemoSessions");
    await loadDemoAttendance(tx, options.now ?? new Date()); // needs the inserted paths' ids and plans
    markStartup("démo : loadDemoAttendance");
    await loadDemoToday(tx, options.now ?? new Date()); // today's open sheet: after the history, before the closed order
    markStartup("démo : loadDemoToday");
    await loadDemoRecruitment(tx, options.now ?? new Date()); // needs the inserted sessions and paths
    markStartup("démo : loadDemoRecruitment");
    await loadDemoInternships(tx, options.now ?? new Date()); // company periods in every state, on paths planning company hours
    markStartup("démo : loadDemoInternships");
    await loadDemoPrivacy(tx, trainee.id); // who read the demo trainee's record (« Mes données », /rgpd)
    markStartup("démo : loadDemoPrivacy");
    // An order the Region has closed, with its CP-SELFSTUDY-MAX-20 warning: last, because its sessions
    // avoid its trainer's other slots and its close (the real use case) reads every row of the order.
    await loadDemoClosedOrder(tx, options.now ?? new Date());
    markStartup("démo : loadDemoClosedOrder");
    await loadDemoExit(tx, options.now ?? new Date(), options.badgeKeyFile); // exits, follow-ups, soft skills and badges through the exit domain
    markStartup("démo : loadDemoExit");
    await loadDemoAmi(tx, passwordHash); // the modernisation call (AMI), at its own dates
    markStartup("démo : loadDemoAmi");
    await loadDemoChangeRequests(tx, options.now ?? new Date());
    markStartup("démo : loadDemoChangeRequests");
    await loadDemoTrainers(tx, options.now ?? new Date()); // trainers with CVs, a teaching team and its notices (CP-TRAINER-CHANGE)
    markStartup("démo : loadDemoTrainers");
    await loadDemoAccessSites(tx, options.now ?? new Date(), passwordHash); // e-formation sites, group and seats (needs paths, slots, sessions)
    markStartup("démo : loadDemoAccessSites");
    await loadDemoEformation(tx, options.now ?? new Date()); // welcome day and deliveries, tools accepted, a signed protocol (needs the group)
    markStartup("démo : loadDemoEformation");
    return true;
  });
  if (loaded && !options.deferAnalyze) {
    await analyze(db); // a bulk load: the planner must see the new sizes (docs/adr/0020)
    markStartup("démo : ANALYZE");
  }
  return loaded ? { loaded, password, logins: [...demoLogins(), ...AMI_LOGINS, ...ACCESS_SITE_LOGINS] } : notLoaded();
}

async function hasAnyUser(db: Db): Promise<boolean> {
  return (await db.selectFrom("app_user").select("id").limit(1).executeTakeFirst()) !== undefined;
}

async function hasDemoUsers(db: Db): Promise<boolean> {
  return (await db.selectFrom("app_user").select("id").where("email", "=", REGION_EMAIL).executeTakeFirst()) !== undefined;
}
