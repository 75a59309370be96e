// CP-PROTOCOL (CCTP §3.3): the individual training protocol of an e-formation path — calendar,
// modalities, estimated work time, evaluation modes — generated from the path, frozen as JSON with its
// hash, signed by the provider (staff, signed in) and the trainee (personal link or own account), with
// the same link mechanism as the internship agreements (core/signing-links.ts).
import type { Transaction } from "kysely";
import { type Actor, requireVisible } from "../../core/auth/actor.ts";
import { may, rolesFor } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB, Modality } from "../../core/db/schema.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit, logTransition } from "../../core/outbox.ts";
import { err, type Violation } from "../../core/rules.ts";
import { requireLiveLink, SignInput, sha256 } from "../../core/signing-links.ts";
import { type Clock, newId } from "../../core/time.ts";
import { parseInput } from "../../core/validation.ts";
import { requireTransition, type TransitionTable, type WorkflowWording } from "../../core/workflow.ts";
import * as ps from "./protocol-store.ts";
import { isUuid } from "./use-cases.ts";

type Tx = Transaction<DB>;
const CODE = "CP-PROTOCOL";
const ARTICLE = "CCTP §3.3";
const WHAT = "Parcours";
/** The trainee's personal link stays valid this long (as the agreements' links). */
export const PROTOCOL_LINK_DAYS = 30;

export type Party = "provider" | "trainee";
export const partyLabels: Record<Party, string> = { provider: "Organisme de formation", trainee: "Stagiaire" };

export interface ProtocolContent {
  version: number;
  provider: string;
  trainee: string;
  component: { title: string; certificationCode: string | null };
  calendar: { entryDate: string; plannedExitDate: string; slots: { date: string; start: string; end: string; modality: Modality }[] };
  modalities: { modality: Modality; minutes: number }[];
  workTime: { totalMinutes: number; selfStudyMinutes: number; selfStudyRemoteMinutes: number; weekly: { tutoratMinutes: number; selfStudyMinutes: number; gatheringMinutes: number } | null };
  evaluations: string[];
}

// ---- Rules (pure) ----

/** CP-PROTOCOL: only an e-formation path has an individual protocol. */
export function eformationOnly(eFormation: boolean): Violation[] {
  return eFormation ? [] : [err(CODE, ARTICLE, "Ce parcours n'est pas en e-formation : le protocole individuel de formation ne concerne que les parcours d'une composante e-formation.")];
}

/** The hash of the content as signed: keys in a fixed order, so the same content always hashes the same. */
export function protocolHash(content: ProtocolContent): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return sha256(JSON.stringify(canonical(content)));
}

const prepWords = { written: "épreuve écrite", oral: "épreuve orale" } as const;
const MODALITY_ORDER: Modality[] = ["distance", "self_study", "gathering", "centre", "company"];

/** The protocol's content drawn from the path (pure: the sources are loaded by the store). */
export function buildContent(p: ps.PathFacts, src: Awaited<ReturnType<typeof ps.protocolSources>>, version: number): ProtocolContent {
  const live = src.items.filter((i) => !i.exempted);
  const byModality = new Map<Modality, number>();
  for (const i of live) byModality.set(i.modality, (byModality.get(i.modality) ?? 0) + i.planned_minutes);
  const selfStudy = live.filter((i) => i.modality === "self_study");
  const evaluations: string[] = [];
  if (src.positioning) evaluations.push(`Positionnement initial : ${src.positioning.evaluations}`);
  if (src.positioning?.recommended_methods) evaluations.push(`Méthodes préconisées au positionnement : ${src.positioning.recommended_methods}`);
  for (const m of src.prepParts) evaluations.push(`${m.title} : ${prepWords[m.prep_part as "written" | "oral"]}`);
  for (const e of src.exams) evaluations.push(`Examen ou évaluation réglementée en regroupement le ${e.gathering_date} (${e.place})`);
  if (p.certification_code) evaluations.push(`Certification visée : ${p.certification_code}`);
  if (evaluations.length === 0) evaluations.push("Évaluations en cours de formation par l'équipe pédagogique (classes virtuelles et travaux d'autoformation).");
  return {
    version,
    provider: p.provider_name,
    trainee: `${p.first_name} ${p.last_name}`,
    component: { title: p.component_title, certificationCode: p.certification_code },
    calendar: {
      entryDate: p.entry_date,
      plannedExitDate: p.planned_exit_date,
      slots: src.slots.map((s) => ({ date: s.slot_date, start: s.start_time.slice(0, 5), end: s.end_time.slice(0, 5), modality: s.modality })),
    },
    modalities: MODALITY_ORDER.filter((m) => byModality.has(m)).map((m) => ({ modality: m, minutes: byModality.get(m) ?? 0 })),
    workTime: {
      totalMinutes: live.reduce((n, i) => n + i.planned_minutes, 0),
      selfStudyMinutes: selfStudy.reduce((n, i) => n + i.planned_minutes, 0),
      selfStudyRemoteMinutes: selfStudy.filter((i) => i.self_study_location === "remote").reduce((n, i) => n + i.planned_minutes, 0),
      weekly: src.week?.tutorat_minutes != null ? { tutoratMinutes: src.week.tutorat_minutes, selfStudyMinutes: src.week.self_study_minutes ?? 0, gatheringMinutes: src.week.gathering_minutes ?? 0 } : null,
    },
    evaluations,
  };
}

// ---- Declared workflow: the status follows from the signatures of the version in force ----

export type ProtocolStatus = "draft" | "provider_signed" | "trainee_signed" | "signed";
export const protocolStatusLabels: Record<ProtocolStatus, string> = { draft: "À signer", provider_signed: "Signé par l'organisme", trainee_signed: "Signé par le ou la stagiaire", signed: "Signé par les deux parties" };
const SIGNERS = [...rolesFor("paths.write"), "trainee"] as const;
/** The second signature must be the other party's. */
const otherParty = (f: { party: Party; signed: Party[] }) => (f.signed.includes(f.party) ? [err(CODE, ARTICLE, "Cette partie a déjà signé ce protocole.")] : []);
export const PROTOCOL_TRANSITIONS: TransitionTable<ProtocolStatus, { party: Party; signed: Party[] }> = {
  provider_signed: { from: ["draft"], roles: rolesFor("paths.write") },
  trainee_signed: { from: ["draft"], roles: ["trainee"] },
  signed: { from: ["provider_signed", "trainee_signed"], roles: SIGNERS, guard: otherParty, guardStatus: 409 },
};
export const protocolWording: WorkflowWording<ProtocolStatus> = { noun: "Un protocole individuel", labels: protocolStatusLabels, code: CODE };

export function statusOf(hash: string, signatures: { party: Party; content_hash: string }[]): ProtocolStatus {
  const signed = new Set(signatures.filter((s) => s.content_hash === hash).map((s) => s.party));
  return signed.has("provider") && signed.has("trainee") ? "signed" : signed.has("provider") ? "provider_signed" : signed.has("trainee") ? "trainee_signed" : "draft";
}

/** Where a signature of `party` moves the protocol. */
export const statusAfter = (from: ProtocolStatus, party: Party): ProtocolStatus => (from === "draft" ? (party === "provider" ? "provider_signed" : "trainee_signed") : "signed");

// ---- Use cases ----

/** The path if the caller sees it (another provider's: not found, like an unknown one). */
async function visiblePath(q: Db | Tx, actor: Actor, pathId: string) {
  const p = isUuid(pathId) ? await ps.pathFacts(q, pathId) : undefined;
  if (!p) throw notFound(WHAT);
  if (actor.role === "trainee") {
    if (actor.traineeId !== p.trainee_id) throw notFound(WHAT);
  } else requireVisible(actor, p.provider_id, WHAT);
  return p;
}

/** The path's protocol as it stands: content, status, signatures, versions. */
export async function protocolView(db: Db, actor: Actor, pathId: string) {
  const path = await visiblePath(db, actor, pathId);
  const protocol = await ps.latestProtocol(db, pathId);
  const signatures = protocol ? await ps.signaturesOf(db, protocol.id) : [];
  return {
    path: { id: path.id, trainee: `${path.first_name} ${path.last_name}`, component: path.component_title, provider: path.provider_name, eFormation: path.e_formation },
    protocol: protocol ? { id: protocol.id, version: protocol.version, contentHash: protocol.content_hash, sentAt: protocol.sent_at, content: protocol.content as ProtocolContent } : null,
    status: protocol ? statusOf(protocol.content_hash, signatures) : null,
    signatures: signatures.map((s) => ({ party: s.party, signerName: s.signer_name, method: s.method, signedAt: s.signed_at, contentHash: s.content_hash })),
  };
}
export type ProtocolView = Awaited<ReturnType<typeof protocolView>>;

/**
 * CP-PROTOCOL: provider staff generate the protocol from the path. Same content: no new version, only a
 * fresh link while the trainee has not signed. Changed content: an unsigned protocol is replaced; one with a signature stays frozen and a new
 * version goes to signature. The trainee gets a new personal link (the earlier ones are revoked).
 */
export async function generateProtocol(db: Db, actor: Actor, clock: Clock, pathId: string, baseUrl: string) {
  const path = await visiblePath(db, actor, pathId);
  if (actor.role === "trainee" || !may(actor, "paths.write")) throw forbidden("Réservé au personnel de l'organisme du parcours.");
  const refusal = eformationOnly(path.e_formation);
  if (refusal.length) throw DomainError.fromViolations(refusal);
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    const latest = await ps.latestProtocol(tx, pathId, true);
    const src = await ps.protocolSources(tx, path);
    const signed = latest ? (await ps.signaturesOf(tx, latest.id)).length > 0 : false;
    const version = !latest ? 1 : signed ? latest.version + 1 : latest.version;
    const content = buildContent(path, src, version);
    const hash = protocolHash(content);
    const same = !!latest && hash === latest.content_hash;
    // Same content: no new version; a trainee who has not signed yet gets a fresh link (an expired one is replaced).
    if (same && (await ps.signaturesOf(tx, latest.id)).some((s) => s.party === "trainee")) return { id: latest.id, version, contentHash: hash, changed: false, link: null };
    let id: string;
    if (same) id = latest.id;
    else if (latest && !signed) {
      id = latest.id;
      await ps.replaceContent(tx, id, content, hash, actor.userId, now);
    } else {
      id = newId();
      await ps.insertProtocol(tx, { id, path_id: pathId, provider_id: path.provider_id, version, content: JSON.stringify(content), content_hash: hash, sent_by: actor.userId, sent_at: now });
      await logTransition(tx, { entity: "eformation_protocol", entityId: id, from: null, to: "draft", actorId: actor.userId });
    }
    const link = await ps.issueLink(tx, pathId, id, now, PROTOCOL_LINK_DAYS, newId());
    const url = `${baseUrl}/protocole/${link.token}`;
    if (path.email) {
      await notify(tx, {
        to: path.email,
        subject: "Compétences Plus : votre protocole individuel de formation à signer",
        body: [`Bonjour ${path.first_name} ${path.last_name},`, "", `Votre protocole individuel de formation (version ${version}) vous attend : calendrier, modalités, temps de travail estimé et modes d'évaluation.`, `Votre lien personnel (valable ${PROTOCOL_LINK_DAYS} jours) pour le lire et le signer :`, url, "", "Ce lien vous est personnel : ne le transmettez pas."].join("\n"),
        entity: "eformation_protocol",
        entityId: id,
      });
    }
    await audit(tx, { actorId: actor.userId, action: same ? "eformation.protocol_link_reissued" : "eformation.protocol_generated", entity: "path", entityId: pathId, details: { protocolId: id, version, hash } });
    return { id, version, contentHash: hash, changed: !same, link: url };
  });
}

/** One act of signature on the version in force, moved through PROTOCOL_TRANSITIONS; signing twice is refused (409). */
async function recordSignature(tx: Tx, protocolId: string, party: Party, signer: { name: string; method: "link" | "app"; userId: string | null; role: Actor["role"] }, now: Date) {
  const p = await ps.protocolById(tx, protocolId);
  if (!p) throw notFound("Protocole");
  const signatures = await ps.signaturesOf(tx, protocolId);
  const from = statusOf(p.content_hash, signatures);
  const to = statusAfter(from, party);
  requireTransition(PROTOCOL_TRANSITIONS, protocolWording, from, to, signer.role, { party, signed: signatures.map((s) => s.party) });
  await ps.insertSignature(tx, { id: newId(), protocol_id: protocolId, party, content_hash: p.content_hash, signer_name: signer.name, method: signer.method, user_id: signer.userId, signed_at: now });
  await logTransition(tx, { entity: "eformation_protocol", entityId: protocolId, from, to, actorId: signer.userId });
  await audit(tx, { actorId: signer.userId, action: `eformation.protocol_signed.${party}`, entity: "path", entityId: p.path_id, details: { protocolId, version: p.version, hash: p.content_hash, method: signer.method } });
  return { status: to, version: p.version, contentHash: p.content_hash };
}

/** The provider's staff sign in the app, or the trainee with their own account. */
export async function signInApp(db: Db, actor: Actor, clock: Clock, pathId: string) {
  const path = await visiblePath(db, actor, pathId);
  const party: Party = actor.role === "trainee" ? "trainee" : "provider";
  if (party === "provider" && !may(actor, "paths.write")) throw forbidden("Réservé au personnel de l'organisme du parcours.");
  return db.transaction().execute(async (tx) => {
    const latest = await ps.latestProtocol(tx, path.id);
    if (!latest) throw new DomainError(CODE, 409, "Le protocole n'a pas encore été généré : générez-le d'abord depuis le parcours.");
    return recordSignature(tx, latest.id, party, { name: actor.fullName, method: "app", userId: actor.userId, role: actor.role }, clock.now());
  });
}

/** What a personal link opens. Unknown: 404; revoked (a newer version or link) or expired: 410. */
export async function linkView(db: Db, now: Date, token: string) {
  const link = requireLiveLink(await ps.linkByHash(db, sha256(token)), now);
  const p = await db.selectFrom("eformation_protocol").selectAll().where("id", "=", link.protocol_id).executeTakeFirstOrThrow();
  const signatures = await ps.signaturesOf(db, p.id);
  return { protocol: { version: p.version, contentHash: p.content_hash, content: p.content as ProtocolContent }, status: statusOf(p.content_hash, signatures), signatures };
}

/** The trainee signs through their personal link. */
export async function signByLink(db: Db, now: Date, token: string, raw: unknown) {
  const input = parseInput(SignInput, raw);
  const link = requireLiveLink(await ps.linkByHash(db, sha256(token)), now);
  return db.transaction().execute((tx) => recordSignature(tx, link.protocol_id, "trainee", { name: input.signerName, method: "link", userId: null, role: "trainee" }, now));
}
