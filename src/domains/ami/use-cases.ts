// The modernisation call (AMI, REQUIREMENTS §11): commands and queries, one transaction each.
// Who sees an application: the Region every one, the applicant's staff their own, the consultants
// of the assigned expert provider those they follow; anyone else gets the same 404 as an unknown id.
import type { Transaction } from "kysely";
import { type Actor, isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import { accountRows, createAccount } from "../../core/auth/accounts.ts";
import { may, requireCapability } from "../../core/auth/roles.ts";
import { hashPassword } from "../../core/auth/sessions.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { checkFile, type FileInput, readFile, storeFile } from "../../core/files.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit, logTransition } from "../../core/outbox.ts";
import { check, type Violation } from "../../core/rules.ts";
import { newId, parisDate } from "../../core/time.ts";
import { changedMeanwhile, requireTransition, type WorkflowWording } from "../../core/workflow.ts";
import { formatParis, parisInstant } from "./paris.ts";
import * as r from "./rules.ts";
import {
  ActionInput,
  ApplicationInput,
  CallInput,
  CommitteeInput,
  DecisionInput,
  DeliverableInput,
  DiagnosticInput,
  EligibleInput,
  ExpertAccountInput,
  ExpertAssignInput,
  ExpertProviderInput,
  OverrideInput,
  parseInput,
  ProgressInput,
  RenewInput,
} from "./schema.ts";
import * as store from "./store.ts";

type Tx = Transaction<DB>;
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const refuse = (violations: Violation[]) => {
  if (violations.some((v) => v.severity === "error")) throw DomainError.fromViolations(violations);
};
const invalidField = (field: string, message: string) => new DomainError("VALIDATION", 422, message, [{ code: "VALIDATION", severity: "error", message, article: "", field }]);

// ---- Who may see what ----

/** Region, provider staff and expert consultants take part in the call; prescribers and trainees do not. */
function requireParticipant(actor: Actor) {
  if (actor.role === "region_officer" || actor.role === "expert" || isProviderStaff(actor)) return;
  throw forbidden("Réservé à la Région, aux organismes de formation et aux prestataires experts de l'AMI.");
}

async function visibleApplication(db: Db | Tx, actor: Actor, id: string, lock = false): Promise<store.ApplicationRow> {
  const app = isUuid(id) ? await (lock ? store.lockApplication(db, id) : store.findApplication(db, id)) : undefined;
  if (!app) throw notFound("Candidature");
  if (actor.role === "region_officer") return app;
  if (isProviderStaff(actor) && actor.providerId === app.provider_id) return app;
  if (actor.role === "expert" && app.expert_provider_id && (await store.expertOf(db, actor.userId)) === app.expert_provider_id) return app;
  throw notFound("Candidature");
}

// ---- The call (AMI-CALL, AMI-LOTS, AMI-EXPERT-IN-LOT) ----

export async function listCalls(db: Db, actor: Actor) {
  requireParticipant(actor);
  return store.listCalls(db);
}

export async function getCall(db: Db, actor: Actor, callId: string) {
  requireParticipant(actor);
  const call = isUuid(callId) ? await store.findCall(db, callId) : undefined;
  if (!call) throw notFound("Appel");
  return { ...call, lots: await store.lotsOf(db, callId) };
}
export type CallView = Awaited<ReturnType<typeof getCall>>;

async function checkLots(tx: Tx, lots: CallInput["lots"]) {
  refuse(check(r.lotsPartition(lots.map((l) => ({ number: l.number, departements: [...new Set(l.departements)] })))));
  const departements = [...new Set(lots.flatMap((l) => l.departements))];
  const existing = new Set(await store.existingDepartements(tx, departements));
  const missing = departements.filter((d) => !existing.has(d));
  if (missing.length > 0) throw invalidField("lots", `Département(s) inconnu(s) de la plateforme : ${missing.join(", ")} (AMI-LOTS).`);
  const known = new Set((await store.listExpertProviders(tx)).map((e) => e.id));
  const unknown = lots.flatMap((l) => l.expertProviderIds).filter((e) => !known.has(e));
  if (unknown.length > 0) throw invalidField("lots", "Un prestataire expert choisi n'est pas référencé par la Région (AMI-EXPERT-IN-LOT).");
  if (new Set(lots.map((l) => l.number)).size !== lots.length) throw invalidField("lots", "Deux lots portent le même numéro (AMI-LOTS).");
}

/** AMI-CALL: the Region publishes a call with its lots, the experts referenced per lot and its deadline (Paris). */
export async function publishCall(db: Db, actor: Actor, raw: unknown, now: Date, renewedFrom: string | null = null) {
  requireRole(actor, "region_officer");
  const input = parseInput(CallInput, raw);
  refuse(check(r.callDates(input.deadlineDate, input.mission2LatestEnd)));
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await checkLots(tx, input.lots);
    await store.insertCall(
      tx,
      {
        id,
        title: input.title,
        body: input.body,
        prf_year: input.prfYear,
        submission_deadline: parisInstant(input.deadlineDate, input.deadlineTime),
        mission2_latest_end: input.mission2LatestEnd,
        priorities: input.priorities,
        renewed_from: renewedFrom,
        published_by: actor.userId,
        published_at: now,
      },
      input.lots.map((l) => ({ id: newId(), number: l.number, name: l.name, departements: [...new Set(l.departements)], expertProviderIds: [...new Set(l.expertProviderIds)] })),
    );
    await audit(tx, { actorId: actor.userId, action: renewedFrom ? "ami_call.renew" : "ami_call.publish", entity: "ami_call", entityId: id, details: { title: input.title, renewedFrom } });
  });
  return id;
}

/** AMI-CALL: renewing copies the call (text, lots, experts) for a new period. */
export async function renewCall(db: Db, actor: Actor, callId: string, raw: unknown, now: Date) {
  requireRole(actor, "region_officer");
  const call = await getCall(db, actor, callId);
  const input = parseInput(RenewInput, raw);
  return publishCall(
    db,
    actor,
    {
      title: call.title,
      body: call.body,
      priorities: call.priorities,
      ...input,
      lots: call.lots.map((l) => ({ number: l.number, name: l.name, departements: l.departements, expertProviderIds: l.experts.map((e) => e.id) })),
    },
    now,
    call.id,
  );
}

// ---- The Region's registers: eligible organisations, expert providers and their accounts ----

/** AMI-ELIGIBLE: the Region registers an organisation (an apprentice training centre, say) for a PRF year. */
export async function registerEligible(db: Db, actor: Actor, raw: unknown) {
  requireRole(actor, "region_officer");
  const input = parseInput(EligibleInput, raw);
  await db.transaction().execute(async (tx) => {
    if (!(await store.providerSiret(tx, input.providerId))) throw notFound("Organisme");
    await tx
      .insertInto("ami_eligible")
      .values({ provider_id: input.providerId, prf_year: input.prfYear, kind: input.kind, registered_by: actor.userId })
      .onConflict((oc) => oc.columns(["provider_id", "prf_year"]).doUpdateSet({ kind: input.kind }))
      .execute();
    await audit(tx, { actorId: actor.userId, action: "ami_eligible.register", entity: "provider", entityId: input.providerId, details: input });
  });
  return input;
}

export async function listRegisters(db: Db, actor: Actor) {
  requireRole(actor, "region_officer");
  return { eligible: await store.listEligible(db), experts: await store.listExpertProviders(db), providers: await store.providersForSelect(db) };
}

export async function listExpertProviders(db: Db, actor: Actor) {
  requireParticipant(actor);
  return store.listExpertProviders(db);
}

export async function getExpertProvider(db: Db, actor: Actor, id: string) {
  requireRole(actor, "region_officer");
  const e = isUuid(id) ? await store.findExpertProvider(db, id) : undefined;
  if (!e) throw notFound("Prestataire expert");
  return e;
}

export async function createExpertProvider(db: Db, actor: Actor, raw: unknown) {
  requireRole(actor, "region_officer");
  const input = parseInput(ExpertProviderInput, raw);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    if (await store.expertProviderByName(tx, input.name)) throw new DomainError("EXPERT_TAKEN", 409, `Le prestataire expert « ${input.name} » est déjà référencé.`);
    await tx.insertInto("ami_expert_provider").values({ id, name: input.name }).execute();
    await audit(tx, { actorId: actor.userId, action: "ami_expert_provider.create", entity: "ami_expert_provider", entityId: id, details: input });
  });
  return { id, name: input.name };
}

/** An expert provider's consultant gets an account with the `expert` role (ROLE_TABLE: ami.expertise). */
export async function createExpertAccount(db: Db, actor: Actor, expertProviderId: string, raw: unknown) {
  requireRole(actor, "region_officer");
  const input = parseInput(ExpertAccountInput, raw);
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction().execute((tx) => addExpertAccount(tx, actor, expertProviderId, { email: input.email, fullName: input.fullName, passwordHash }));
  return { id, email: input.email, fullName: input.fullName, expertProviderId };
}

/** The account and its tie to the expert provider, in the caller's transaction (the password already hashed). */
export async function addExpertAccount(tx: Tx, actor: Actor, expertProviderId: string, a: { email: string; fullName: string; passwordHash: string }) {
  requireRole(actor, "region_officer");
  if (!isUuid(expertProviderId) || !(await store.findExpertProvider(tx, expertProviderId))) throw notFound("Prestataire expert");
  const userId = await createAccount(tx, actor.userId, { ...a, role: "expert" });
  await tx.insertInto("ami_expert_member").values({ user_id: userId, expert_provider_id: expertProviderId }).execute();
  return userId;
}

// ---- Applying (AMI-ELIGIBLE, AMI-APPLICATION-CONTENT, AMI-SITES, AMI-ONE-PER-LOT…) ----

async function requireEligible(db: Db | Tx, providerId: string, prfYear: number) {
  const facts = { registered: await store.isRegistered(db, providerId, prfYear), holdsOrderOfYear: await store.holdsOrderOfYear(db, providerId, prfYear), prfYear };
  refuse(check(r.eligible(facts)));
}

const networkKey = (siret: string, network: string | null | undefined) => (network?.trim() ? `network:${network.trim().toLowerCase()}` : `siren:${siret.slice(0, 9)}`);

/** The applicant opens a draft for a call (AMI-ELIGIBLE checked at once). */
export async function startApplication(db: Db, actor: Actor, callId: string, now: Date) {
  const call = await getCall(db, actor, callId);
  requireCapability(actor, "ami.apply");
  const providerId = actor.providerId as string;
  await requireEligible(db, providerId, call.prf_year);
  refuse(check(r.callDeadline(now, call.submission_deadline, formatParis(call.submission_deadline))));
  const provider = await store.providerSiret(db, providerId);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("ami_application")
      .values({ id, call_id: callId, provider_id: providerId, created_by: actor.userId, network_key: networkKey(provider?.siret ?? id, null), needs: JSON.stringify({ professions: "", digitalisation: "", pedagogy: "", phases: "" }), team: "[]", created_at: now, updated_at: now })
      .execute();
    await logTransition(tx, { entity: "ami_application", entityId: id, from: null, to: "draft", actorId: actor.userId });
  });
  return id;
}

function leadShare(raw: ApplicationInput["projectLeadShare"]): number | null {
  if (raw === null || raw === undefined || raw === "") return null;
  const bp = r.parsePercent(String(raw).replace(".", ","));
  if (bp === undefined) throw invalidField("projectLeadShare", "Part d'ETP du chef de projet : un pourcentage entre 0 et 100, deux décimales au plus (ex. 12,5).");
  return bp;
}

/** Saves the draft as typed (AMI-SITES, AMI-LOTS, AMI-ONE-PER-LOT judged at once; the rest at submission). */
export async function saveApplication(db: Db, actor: Actor, id: string, raw: unknown, now: Date) {
  const current = await visibleApplication(db, actor, id);
  requireCapability(actor, "ami.apply");
  const input = parseInput(ApplicationInput, raw);
  const share = leadShare(input.projectLeadShare);
  await db.transaction().execute(async (tx) => {
    const app = await visibleApplication(tx, actor, id, true);
    if (app.status !== "draft") throw new DomainError("AMI_NOT_DRAFT", 409, "Cette candidature est déposée : elle ne se modifie plus.");
    const merged = { ...current, ...(await placement(tx, app, input)) };
    await tx
      .updateTable("ami_application")
      .set({
        network: input.network?.trim() || null,
        network_key: merged.network_key,
        lot_id: merged.lot_id,
        lot_number: merged.lot_number,
        needs: JSON.stringify({ ...app.needs, ...input.needs }),
        team: JSON.stringify(input.team ?? app.team),
        project_lead_name: input.projectLeadName ?? app.project_lead_name,
        project_lead_share_bp: input.projectLeadShare === undefined ? app.project_lead_share_bp : share,
        site_mode: input.siteMode ?? app.site_mode,
        reference_site_id: input.referenceSiteId === undefined ? app.reference_site_id : input.referenceSiteId,
        implementation_site_ids: input.implementationSiteIds ?? app.implementation_site_ids,
        target_publics: input.targetPublics ?? app.target_publics,
        ecological_actions: input.ecologicalActions ?? app.ecological_actions,
        prior_accompaniment: input.priorAccompaniment === undefined ? app.prior_accompaniment : input.priorAccompaniment,
        prior_accompaniment_detail: input.priorAccompanimentDetail ?? app.prior_accompaniment_detail,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
  });
  return getApplication(db, actor, id);
}

/** AMI-SITES, AMI-LOTS, AMI-ONE-PER-LOT: where the application stands, from its sites and network. */
async function placement(tx: Tx, app: store.ApplicationRow, input: ApplicationInput) {
  const mode = input.siteMode ?? app.site_mode;
  const referenceSiteId = input.referenceSiteId === undefined ? app.reference_site_id : input.referenceSiteId;
  const implementation = input.implementationSiteIds ?? app.implementation_site_ids;
  const network = input.network === undefined ? app.network : input.network;
  const provider = await store.providerSiret(tx, app.provider_id);
  const key = networkKey(provider?.siret ?? app.id, network);
  const sites = await store.providerSites(tx, app.provider_id);
  const own = new Set(sites.map((s) => s.id));
  if ((referenceSiteId && !own.has(referenceSiteId)) || implementation.some((s) => !own.has(s))) throw invalidField("referenceSiteId", "Ce site n'est pas un site de votre organisme.");
  if (!referenceSiteId) return { network_key: key, lot_id: null, lot_number: null };
  refuse(r.sites(mode, referenceSiteId, implementation));
  const departement = sites.find((s) => s.id === referenceSiteId)?.departement_code ?? "";
  const lot = r.lotOfDepartement(await store.lotsOf(tx, app.call_id), departement);
  refuse(check(r.referenceSiteInALot(departement, lot !== undefined)));
  if (!lot) throw invalidField("referenceSiteId", "Lot introuvable.");
  // Serialise the organisation's writes on this lot: the partial unique index ami_one_per_lot backs it.
  await tx.selectFrom("ami_application").select("id").where("network_key", "=", key).forUpdate().execute();
  refuse(check(r.onePerLot(await store.otherOpenOnLot(tx, key, lot.number, app.id), lot.number, network?.trim() || null)));
  return { network_key: key, lot_id: lot.id, lot_number: lot.number };
}

/** The summary the applicant receives (AMI-RECEIPT), also the body of the mail. */
export function summaryLines(app: store.ApplicationRow, call: CallView, providerName: string, siteNames: Map<string, string>): [string, string][] {
  const lines: [string, string][] = [
    ["Appel", call.title],
    ["Organisme", providerName],
    ["Réseau déclaré", app.network ?? "—"],
    ["Lot", app.lot_number ? `Lot ${app.lot_number}` : "—"],
    ["Déposée le", app.submitted_at ? formatParis(app.submitted_at) : "non déposée"],
    ["Valable jusqu'au", app.valid_until ? app.valid_until.split("-").reverse().join("/") : "—"],
  ];
  for (const a of r.AXES) lines.push([`Besoins, axe ${r.axisLabels[a]}`, app.needs[a] || "—"]);
  lines.push(["Phases", app.needs.phases || "—"]);
  lines.push(["Équipe engagée", app.team.map((m) => `${m.name} (${m.role || "fonction non précisée"}) : ${m.commitment || "—"}`).join(" ; ") || "—"]);
  lines.push(["Chef de projet", `${app.project_lead_name || "—"}, ${app.project_lead_share_bp === null ? "part d'ETP non précisée" : `${r.formatPercent(app.project_lead_share_bp)} d'un ETP`}`]);
  lines.push(["Sites", `${app.site_mode === "single" ? "Mono-site" : "Réseau / multi-site"} — référence : ${siteNames.get(app.reference_site_id ?? "") ?? "—"} ; mise en œuvre : ${app.implementation_site_ids.map((s) => siteNames.get(s) ?? s).join(", ") || siteNames.get(app.reference_site_id ?? "") || "—"}`]);
  lines.push(["Publics cibles du PIC", app.target_publics.map((p) => r.picPublicLabels[p as r.PicPublic] ?? p).join(", ") || "—"]);
  lines.push(["Actions de transition écologique et énergétique", app.ecological_actions || "—"]);
  lines.push(["Accompagnement antérieur", app.prior_accompaniment === null ? "—" : app.prior_accompaniment ? `Oui. ${app.prior_accompaniment_detail}` : "Non, jamais accompagné"]);
  return lines;
}

const wording: WorkflowWording<r.ApplicationStatus> = { noun: "Une candidature", labels: r.statusLabels, code: "AMI_STATUS" };

async function move(tx: Tx, actor: Actor, app: store.ApplicationRow, to: r.ApplicationStatus, facts: r.TransitionFacts, changes: Partial<Record<string, unknown>>, reason?: string) {
  requireTransition(r.TRANSITIONS, wording, app.status, to, actor.role, facts);
  const done = await tx
    .updateTable("ami_application")
    .set({ ...changes, status: to })
    .where("id", "=", app.id)
    .where("status", "=", app.status)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw changedMeanwhile("AMI_STATUS", "La candidature");
  await logTransition(tx, { entity: "ami_application", entityId: app.id, from: app.status, to, reason: reason ?? null, actorId: actor.userId });
}

async function mailApplicant(tx: Tx, app: store.ApplicationRow, subject: string, body: string) {
  const to = app.created_by ? await tx.selectFrom(accountRows().as("u")).select(["u.id", "u.email"]).where("u.id", "=", app.created_by).executeTakeFirst() : undefined;
  if (to) await notify(tx, { to: to.email, userId: to.id, subject, body, entity: "ami_application", entityId: app.id });
}

/** AMI-CALL-DEADLINE, AMI-RECEIPT: submission before the deadline (to the second); the summary by mail. */
export async function submitApplication(db: Db, actor: Actor, id: string, now: Date) {
  await visibleApplication(db, actor, id);
  requireCapability(actor, "ami.apply");
  await db.transaction().execute(async (tx) => {
    const app = await visibleApplication(tx, actor, id, true);
    const call = await getCall(tx as unknown as Db, actor, app.call_id);
    const placed = await placement(tx, app, {});
    refuse(
      check(
        r.callDeadline(now, call.submission_deadline, formatParis(call.submission_deadline)),
        r.axes(app.needs),
        r.applicationContent({ team: app.team, projectLeadName: app.project_lead_name, targetPublics: app.target_publics, ecologicalActions: app.ecological_actions, priorAccompaniment: app.prior_accompaniment }),
        r.sites(app.site_mode, app.reference_site_id, app.implementation_site_ids),
        r.commitment10pct(app.project_lead_share_bp),
      ),
    );
    await requireEligible(tx, app.provider_id, call.prf_year);
    const today = parisDate(now);
    const validUntil = r.validUntil(today);
    await move(tx, actor, app, "submitted", {}, { ...placed, submitted_at: now, valid_until: validUntil, updated_at: now });
    const submitted = { ...app, ...placed, submitted_at: now, valid_until: validUntil, status: "submitted" as const };
    const provider = await store.providerSiret(tx, app.provider_id);
    const sites = new Map((await store.providerSites(tx, app.provider_id)).map((s) => [s.id, `${s.name} (${s.commune})`]));
    const lines = summaryLines(submitted, call, provider?.name ?? "", sites);
    await mailApplicant(
      tx,
      app,
      `AMI modernisation — récapitulatif de votre candidature (lot ${placed.lot_number})`,
      `Votre candidature à l'appel « ${call.title} » est déposée. Elle est valable un an, jusqu'au ${validUntil.split("-").reverse().join("/")} (AMI-RECEIPT).\n\n${lines.map(([k, v]) => `${k} : ${v}`).join("\n")}\n\nLe récapitulatif en PDF se télécharge depuis la plateforme : /ami/candidatures/${app.id}/recapitulatif.pdf`,
    );
  });
  return getApplication(db, actor, id);
}

// ---- Reading an application ----

export async function getApplication(db: Db, actor: Actor, id: string) {
  const app = await visibleApplication(db, actor, id);
  const call = await getCall(db, actor, app.call_id);
  const provider = await store.providerSiret(db, app.provider_id);
  const sites = await store.providerSites(db, app.provider_id);
  const actions = await store.actionsOf(db, id);
  const expert = app.expert_provider_id ? await store.findExpertProvider(db, app.expert_provider_id) : undefined;
  return { app, call, providerName: provider?.name ?? "", sites, actions, progress: await store.progressOf(db, id), deliverables: await store.deliverablesOf(db, id), expert: expert ?? null };
}
export type ApplicationView = Awaited<ReturnType<typeof getApplication>>;

export async function listApplications(db: Db, actor: Actor) {
  requireParticipant(actor);
  if (actor.role === "region_officer") return store.allApplications(db);
  if (actor.role === "expert") {
    const expert = await store.expertOf(db, actor.userId);
    return expert ? store.applicationsOfExpert(db, expert) : [];
  }
  return store.applicationsOfProvider(db, actor.providerId as string);
}

export async function applicantSites(db: Db, actor: Actor) {
  if (!isProviderStaff(actor) || !actor.providerId) return [];
  return store.providerSites(db, actor.providerId);
}

// ---- Selection (AMI-PRIORITY, AMI-SELECTION) ----

/** AMI-PRIORITY: the call's applications ranked, with the reasons and any recorded override. */
export async function ranking(db: Db, actor: Actor, callId: string) {
  requireRole(actor, "region_officer");
  await getCall(db, actor, callId);
  const apps = await store.applicationsOfCall(db, callId);
  return r.rank(
    apps.map((a) => ({
      ...a,
      priorAccompaniment: a.prior_accompaniment ?? false,
      ecologicalActions: a.ecological_actions,
      targetPublics: a.target_publics,
      leadShareBp: a.project_lead_share_bp ?? 0,
      teamSize: a.team.length,
      submittedAt: a.submitted_at ?? a.created_at,
      overridePosition: a.override_position,
    })),
  );
}

/** AMI-PRIORITY: the Region places an application at a position, with its recorded reason (null: back to the computed rank). */
export async function overrideRank(db: Db, actor: Actor, id: string, raw: unknown) {
  requireRole(actor, "region_officer");
  const input = parseInput(OverrideInput, raw);
  await db.transaction().execute(async (tx) => {
    const app = await visibleApplication(tx, actor, id, true);
    if (input.position !== null) refuse(check(r.overrideReason(input.reason)));
    await tx.updateTable("ami_application").set({ override_position: input.position, override_reason: input.position === null ? null : input.reason }).where("id", "=", app.id).execute();
    await audit(tx, { actorId: actor.userId, action: "ami_application.rank_override", entity: "ami_application", entityId: id, details: input });
  });
}

/** AMI-SELECTION: retained or not, the applicant is told by mail. */
export async function decide(db: Db, actor: Actor, id: string, raw: unknown, now: Date) {
  await visibleApplication(db, actor, id);
  requireRole(actor, "region_officer");
  const input = parseInput(DecisionInput, raw);
  await db.transaction().execute(async (tx) => {
    const app = await visibleApplication(tx, actor, id, true);
    const call = await store.findCall(tx, app.call_id);
    await move(tx, actor, app, input.decision, { reason: input.reason }, { decided_at: now, decision_reason: input.reason || null }, input.reason);
    const retained = input.decision === "retained";
    await mailApplicant(
      tx,
      app,
      `AMI modernisation — votre candidature ${retained ? "est retenue" : "n'est pas retenue"}`,
      retained
        ? `Votre candidature à l'appel « ${call?.title} » est retenue. La Région va vous désigner un prestataire expert du lot ${app.lot_number}, qui vous accompagnera dans les trois missions.${input.reason ? `\n\n${input.reason}` : ""}`
        : `Votre candidature à l'appel « ${call?.title} » n'est pas retenue.\n\nMotif : ${input.reason}`,
    );
  });
}

/** AMI-EXPERT-IN-LOT, AMI-SELECTION: the Region designates an expert of the lot; mission 1 opens (a recorded decision). */
export async function assignExpert(db: Db, actor: Actor, id: string, raw: unknown) {
  await visibleApplication(db, actor, id);
  requireRole(actor, "region_officer");
  const input = parseInput(ExpertAssignInput, raw);
  await db.transaction().execute(async (tx) => {
    const app = await visibleApplication(tx, actor, id, true);
    const lot = (await store.lotsOf(tx, app.call_id)).find((l) => l.id === app.lot_id);
    refuse(check(r.expertInLot(input.expertProviderId, lot?.experts.map((e) => e.id) ?? [], app.expert_provider_id)));
    await move(tx, actor, app, "mission_1", { expertAssigned: true }, { expert_provider_id: input.expertProviderId }, "Décision : ouverture de la mission 1 (diagnostic et plan d'actions)");
    const members = await store.expertMembers(tx, input.expertProviderId);
    for (const m of members) {
      const u = await tx.selectFrom(accountRows().as("u")).select(["u.id", "u.email"]).where("u.id", "=", m.user_id).executeTakeFirst();
      if (u) await notify(tx, { to: u.email, userId: u.id, subject: "AMI modernisation — nouvel accompagnement", body: `La Région vous confie l'accompagnement d'une candidature du lot ${app.lot_number} : /ami/candidatures/${app.id}`, entity: "ami_application", entityId: app.id });
    }
    await mailApplicant(tx, app, "AMI modernisation — votre prestataire expert", "La Région a désigné le prestataire expert qui vous accompagnera ; la mission 1 (diagnostic partagé et plan d'actions) commence.");
  });
}

// ---- Mission 1 (AMI-MISSIONS) and the committee (AMI-COMMITTEE) ----

async function expertOnMission(tx: Tx, actor: Actor, id: string, status: r.ApplicationStatus[]) {
  const app = await visibleApplication(tx, actor, id, true);
  requireCapability(actor, "ami.expertise");
  if (!status.includes(app.status)) {
    throw new DomainError("AMI-MISSIONS", 409, `La candidature est « ${r.statusLabels[app.status]} » : cette étape n'est pas ouverte (AMI-MISSIONS).`);
  }
  return app;
}

export async function saveDiagnostic(db: Db, actor: Actor, id: string, raw: unknown, now: Date) {
  const input = parseInput(DiagnosticInput, raw);
  await db.transaction().execute(async (tx) => {
    await expertOnMission(tx, actor, id, ["mission_1"]);
    await tx.updateTable("ami_application").set({ diagnostic: input.diagnostic, updated_at: now }).where("id", "=", id).execute();
  });
}

/** AMI-MISSIONS: an action of the plan, with the days each team member commits to it, in its phase. */
export async function addAction(db: Db, actor: Actor, id: string, raw: unknown) {
  await visibleApplication(db, actor, id);
  const input = parseInput(ActionInput, raw);
  const commitments = input.commitments.map((c, i) => {
    const halfDays = typeof c.days === "number" ? (Number.isInteger(c.days * 2) ? c.days * 2 : undefined) : r.parseDays(c.days);
    if (!halfDays) throw invalidField(`commitments.${i}.days`, `Jours de ${c.memberName} : un nombre de jours par demi-journée (ex. 1,5).`);
    return { member_name: c.memberName, half_days: halfDays };
  });
  if (new Set(commitments.map((c) => c.member_name)).size !== commitments.length) throw invalidField("commitments", "Un membre de l'équipe figure deux fois dans l'action.");
  const actionId = newId();
  await db.transaction().execute(async (tx) => {
    await expertOnMission(tx, actor, id, ["mission_1"]);
    const position = (await store.actionsOf(tx, id)).length + 1;
    await tx.insertInto("ami_action").values({ id: actionId, application_id: id, phase: input.phase, title: input.title, description: input.description ?? "", approved: null, position }).execute();
    if (commitments.length > 0) await tx.insertInto("ami_action_commitment").values(commitments.map((c) => ({ ...c, action_id: actionId }))).execute();
  });
  return actionId;
}

/** AMI-COMMITTEE, AMI-SELECTION: the committee approves all or part of the plan (dated); mission 2 opens on the approved actions. */
export async function recordCommitteeDecision(db: Db, actor: Actor, id: string, raw: unknown, now: Date) {
  await visibleApplication(db, actor, id);
  requireRole(actor, "region_officer");
  const input = parseInput(CommitteeInput, raw);
  await db.transaction().execute(async (tx) => {
    const app = await visibleApplication(tx, actor, id, true);
    const actions = await store.actionsOf(tx, id);
    const approved = [...new Set(input.approvedActionIds)];
    refuse(r.committeeDecision(actions.map((a) => a.id), approved, input.decidedOn, parisDate(now)));
    const reason = `Comité de sélection du ${input.decidedOn.split("-").reverse().join("/")} : ${approved.length} action(s) approuvée(s) sur ${actions.length}`;
    await move(tx, actor, app, "mission_2", { committeeDecided: true, approvedActions: approved.length }, { committee_decided_on: input.decidedOn, committee_note: input.note || null }, reason);
    for (const a of actions) await tx.updateTable("ami_action").set({ approved: approved.includes(a.id) }).where("id", "=", a.id).execute();
    await mailApplicant(tx, app, "AMI modernisation — décision du comité de sélection", `${reason}. La mission 2 (mise en œuvre) porte sur les seules actions approuvées.`);
  });
}

// ---- Mission 2 (AMI-M2-APPROVED-ONLY, AMI-DEADLINE-M2) ----

/** Work recorded on an approved action, before the call's latest end of mission 2. Returns the warnings. */
export async function recordProgress(db: Db, actor: Actor, id: string, raw: unknown, now: Date): Promise<Violation[]> {
  const input = parseInput(ProgressInput, raw);
  return db.transaction().execute(async (tx) => {
    const app = await visibleApplication(tx, actor, id, true);
    if (!may(actor, "ami.expertise") && !(may(actor, "ami.apply") && actor.providerId === app.provider_id)) throw forbidden("Votre rôle ne permet pas cette action.");
    const call = await store.findCall(tx, app.call_id);
    const action = (await store.actionsOf(tx, id)).find((a) => a.id === input.actionId);
    if (!action) throw invalidField("actionId", "Cette action n'appartient pas au plan de la candidature.");
    const violations = check(r.m2ApprovedOnly(app.status === "mission_2" && app.committee_decided_on !== null, action.approved === true), r.deadlineM2(parisDate(now), call?.mission2_latest_end ?? ""));
    refuse(violations);
    await tx.insertInto("ami_progress").values({ id: newId(), application_id: id, action_id: action.id, on_date: input.onDate, note: input.note, done: input.done ?? false, recorded_by: actor.userId }).execute();
    return violations;
  });
}

/** AMI-DEADLINE-M2 as a warning to show on the mission 2 page (nothing refused here). */
export function mission2Warning(latestEnd: string, now: Date): Violation[] {
  return check(r.deadlineM2(parisDate(now), latestEnd));
}

// ---- Mission 3 (AMI-MISSIONS, AMI-TRANSFER) ----

export async function startMission3(db: Db, actor: Actor, id: string) {
  await db.transaction().execute(async (tx) => {
    const app = await visibleApplication(tx, actor, id, true);
    await move(tx, actor, app, "mission_3", {}, {}, "Décision : ouverture de la mission 3 (évaluation et livrables)");
  });
}

/** A deliverable uploaded with its owner: mission 2 productions belong to the organisation (AMI-MISSIONS). */
export async function addDeliverable(db: Db, actor: Actor, id: string, raw: unknown, file: FileInput | undefined) {
  await visibleApplication(db, actor, id);
  const input = parseInput(DeliverableInput, raw);
  if (!file) throw invalidField("file", "Joignez le fichier du livrable (PDF, JPEG ou PNG).");
  refuse(checkFile(file, "file"));
  const deliverableId = newId();
  await db.transaction().execute(async (tx) => {
    const app = await expertOnMission(tx, actor, id, input.kind === "m2_production" ? ["mission_2", "mission_3"] : ["mission_3"]);
    const owner = r.deliverableOwner(input.kind);
    const stored = await storeFile(tx, file, { providerId: owner === "provider" ? app.provider_id : null, uploadedBy: actor.userId });
    await tx.insertInto("ami_deliverable").values({ id: deliverableId, application_id: id, kind: input.kind, owner, title: input.title, attachment_id: stored.id, uploaded_by: actor.userId }).execute();
    await audit(tx, { actorId: actor.userId, action: "ami_deliverable.add", entity: "ami_application", entityId: id, details: { kind: input.kind, title: input.title, sha256: stored.sha256 } });
  });
  return deliverableId;
}

export async function readDeliverable(db: Db, actor: Actor, deliverableId: string) {
  const d = isUuid(deliverableId) ? await store.findDeliverable(db, deliverableId) : undefined;
  if (!d) throw notFound("Livrable");
  try {
    await visibleApplication(db, actor, d.application_id);
  } catch {
    throw notFound("Livrable");
  }
  return readFile(db, d.attachment_id);
}

/** AMI-TRANSFER: a multi-site accompaniment ends only with the transfer kit among its deliverables. */
export async function completeAccompaniment(db: Db, actor: Actor, id: string) {
  await db.transaction().execute(async (tx) => {
    const app = await visibleApplication(tx, actor, id, true);
    const kinds = (await store.deliverablesOf(tx, id)).map((d) => d.kind);
    await move(tx, actor, app, "completed", { multiSite: app.site_mode === "multi", hasTransferKit: kinds.includes("transfer_kit") }, {}, "Accompagnement terminé");
  });
}
