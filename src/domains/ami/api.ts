// JSON API of the modernisation call (AMI, REQUIREMENTS §11), described in /api/openapi.json.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { BASE64_MAX, MAX_FILENAME_LENGTH } from "../../core/files.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import type { Violation } from "../../core/rules.ts";
import { formatParis } from "./paris.ts";
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
  ProgressInput,
  RenewInput,
} from "./schema.ts";
import type { ApplicationView, CallView } from "./use-cases.ts";
import * as uc from "./use-cases.ts";

const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });
const errors = { 403: problem("Rôle non autorisé"), 404: problem("Introuvable (ou d'une autre organisation)"), 409: problem("Étape non ouverte"), 422: problem("Règle AMI-* non respectée (code = l'identifiant de la règle)") };
const now = (c: Ctx) => depsOf(c).clock.now();

const LotOut = z.object({ id: z.string(), number: z.number(), name: z.string(), departements: z.array(z.string()), experts: z.array(z.object({ id: z.string(), name: z.string() })) });
const CallOut = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  prfYear: z.number(),
  submissionDeadline: z.string().describe("Instant ISO 8601 (UTC)"),
  submissionDeadlineParis: z.string(),
  mission2LatestEnd: z.string(),
  priorities: z.string(),
  renewedFrom: z.string().nullable(),
  lots: z.array(LotOut),
});
const callOut = (c: CallView) => ({
  id: c.id,
  title: c.title,
  body: c.body,
  prfYear: c.prf_year,
  submissionDeadline: c.submission_deadline.toISOString(),
  submissionDeadlineParis: formatParis(c.submission_deadline),
  mission2LatestEnd: c.mission2_latest_end,
  priorities: c.priorities,
  renewedFrom: c.renewed_from,
  lots: c.lots.map((l) => ({ id: l.id, number: l.number, name: l.name, departements: l.departements, experts: l.experts })),
});

const ApplicationOut = z.object({
  id: z.string(),
  callId: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  status: z.string(),
  lot: z.number().nullable(),
  network: z.string().nullable(),
  needs: z.object({ professions: z.string(), digitalisation: z.string(), pedagogy: z.string(), phases: z.string() }),
  team: z.array(z.object({ name: z.string(), role: z.string(), commitment: z.string() })),
  projectLeadName: z.string(),
  projectLeadSharePercent: z.number().nullable(),
  siteMode: z.string(),
  referenceSiteId: z.string().nullable(),
  implementationSiteIds: z.array(z.string()),
  targetPublics: z.array(z.string()),
  ecologicalActions: z.string(),
  priorAccompaniment: z.boolean().nullable(),
  submittedAt: z.string().nullable(),
  validUntil: z.string().nullable(),
  expertProvider: z.object({ id: z.string(), name: z.string() }).nullable(),
  diagnostic: z.string(),
  committeeDecidedOn: z.string().nullable(),
  actions: z.array(z.object({ id: z.string(), phase: z.number(), title: z.string(), approved: z.boolean().nullable(), commitments: z.array(z.object({ memberName: z.string(), days: z.number() })) })),
  progress: z.array(z.object({ actionId: z.string(), onDate: z.string(), note: z.string(), done: z.boolean() })),
  deliverables: z.array(z.object({ id: z.string(), kind: z.string(), owner: z.string(), title: z.string(), download: z.string() })),
});
const applicationOut = (v: ApplicationView) => ({
  id: v.app.id,
  callId: v.app.call_id,
  providerId: v.app.provider_id,
  providerName: v.providerName,
  status: v.app.status,
  lot: v.app.lot_number,
  network: v.app.network,
  needs: v.app.needs,
  team: v.app.team,
  projectLeadName: v.app.project_lead_name,
  projectLeadSharePercent: v.app.project_lead_share_bp === null ? null : v.app.project_lead_share_bp / 100,
  siteMode: v.app.site_mode,
  referenceSiteId: v.app.reference_site_id,
  implementationSiteIds: v.app.implementation_site_ids,
  targetPublics: v.app.target_publics,
  ecologicalActions: v.app.ecological_actions,
  priorAccompaniment: v.app.prior_accompaniment,
  submittedAt: v.app.submitted_at?.toISOString() ?? null,
  validUntil: v.app.valid_until,
  expertProvider: v.expert,
  diagnostic: v.app.diagnostic,
  committeeDecidedOn: v.app.committee_decided_on,
  actions: v.actions.map((a) => ({ id: a.id, phase: a.phase, title: a.title, approved: a.approved, commitments: a.commitments.map((c) => ({ memberName: c.member_name, days: c.half_days / 2 })) })),
  progress: v.progress.map((p) => ({ actionId: p.action_id, onDate: p.on_date, note: p.note, done: p.done })),
  deliverables: v.deliverables.map((d) => ({ id: d.id, kind: d.kind, owner: d.owner, title: d.title, download: `/ami/livrables/${d.id}` })),
});
const ViolationOut = z.array(z.object({ code: z.string(), severity: z.string(), message: z.string() }));
const violationsOut = (vs: Violation[]) => vs.map((v) => ({ code: v.code, severity: v.severity, message: v.message }));
const Done = z.object({ id: z.string() });

export function registerAmiApi(app: OpenAPIHono<AppEnv>) {
  const tags = ["AMI modernisation de l'appareil de formation (AMI-*)"];
  const db = (c: Ctx) => depsOf(c).db;
  const view = async (c: Ctx, id: string) => applicationOut(await uc.getApplication(db(c), actorOf(c), id));

  app.openapi(
    createRoute({ method: "get", path: "/api/ami/calls", tags, summary: "Les appels publiés (AMI-CALL)", security, responses: { 200: ok("Appels", z.array(z.object({ id: z.string(), title: z.string(), submissionDeadline: z.string(), mission2LatestEnd: z.string() }))), 403: errors[403] } }),
    async (c) => c.json((await uc.listCalls(db(c), actorOf(c))).map((x) => ({ id: x.id, title: x.title, submissionDeadline: x.submission_deadline.toISOString(), mission2LatestEnd: x.mission2_latest_end })), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/calls", tags, summary: "Publier un appel : texte, lots et départements, experts référencés par lot, date et heure limites (Paris) — Région (AMI-CALL, AMI-LOTS)", security, request: { body: json(CallInput) }, responses: { 201: ok("Appel publié", CallOut), 403: errors[403], 422: errors[422] } }),
    async (c) => {
      const id = await uc.publishCall(db(c), actorOf(c), c.req.valid("json"), now(c));
      return c.json(callOut(await uc.getCall(db(c), actorOf(c), id)), 201);
    },
  );
  app.openapi(
    createRoute({ method: "get", path: "/api/ami/calls/{id}", tags, summary: "Un appel, ses lots et leurs experts", security, request: { params: IdParam }, responses: { 200: ok("Appel", CallOut), 403: errors[403], 404: errors[404] } }),
    async (c) => c.json(callOut(await uc.getCall(db(c), actorOf(c), c.req.valid("param").id)), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/calls/{id}/renew", tags, summary: "Renouveler l'appel pour une nouvelle période — Région (AMI-CALL)", security, request: { params: IdParam, body: json(RenewInput) }, responses: { 201: ok("Nouvel appel", CallOut), ...errors } }),
    async (c) => {
      const id = await uc.renewCall(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json"), now(c));
      return c.json(callOut(await uc.getCall(db(c), actorOf(c), id)), 201);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/ami/calls/{id}/ranking",
      tags,
      summary: "Candidatures classées selon les priorités, avec les raisons et les rangs forcés — Région (AMI-PRIORITY)",
      security,
      request: { params: IdParam },
      responses: { 200: ok("Classement", z.array(z.object({ id: z.string(), providerName: z.string(), status: z.string(), position: z.number(), computedPosition: z.number(), reasons: z.array(z.string()), overrideReason: z.string().nullable() }))), ...errors },
    }),
    async (c) =>
      c.json(
        (await uc.ranking(db(c), actorOf(c), c.req.valid("param").id)).map((a) => ({ id: a.id, providerName: a.provider_name, status: a.status, position: a.position, computedPosition: a.computedPosition, reasons: a.reasons, overrideReason: a.override_reason })),
        200,
      ),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/calls/{id}/applications", tags, summary: "Ouvrir une candidature en brouillon — référent administratif d'un organisme éligible (AMI-ELIGIBLE)", security, request: { params: IdParam }, responses: { 201: ok("Brouillon", ApplicationOut), ...errors } }),
    async (c) => c.json(await view(c, await uc.startApplication(db(c), actorOf(c), c.req.valid("param").id, now(c))), 201),
  );
  app.openapi(
    createRoute({ method: "get", path: "/api/ami/applications", tags, summary: "Les candidatures visibles : les siennes (organisme), celles suivies (expert), toutes les déposées (Région)", security, responses: { 200: ok("Candidatures", z.array(z.object({ id: z.string(), callId: z.string(), providerName: z.string(), status: z.string(), lot: z.number().nullable(), validUntil: z.string().nullable() }))), 403: errors[403] } }),
    async (c) => c.json((await uc.listApplications(db(c), actorOf(c))).map((a) => ({ id: a.id, callId: a.call_id, providerName: a.provider_name, status: a.status, lot: a.lot_number, validUntil: a.valid_until })), 200),
  );
  app.openapi(
    createRoute({ method: "get", path: "/api/ami/applications/{id}", tags, summary: "Une candidature, son plan d'actions, son suivi et ses livrables", security, request: { params: IdParam }, responses: { 200: ok("Candidature", ApplicationOut), 403: errors[403], 404: errors[404] } }),
    async (c) => c.json(await view(c, c.req.valid("param").id), 200),
  );
  app.openapi(
    createRoute({ method: "patch", path: "/api/ami/applications/{id}", tags, summary: "Enregistrer le brouillon (AMI-APPLICATION-CONTENT, AMI-AXES, AMI-SITES, AMI-ONE-PER-LOT)", security, request: { params: IdParam, body: json(ApplicationInput) }, responses: { 200: ok("Brouillon enregistré", ApplicationOut), ...errors } }),
    async (c) => c.json(applicationOut(await uc.saveApplication(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json"), now(c))), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/applications/{id}/submit", tags, summary: "Déposer avant la date limite à la seconde près ; récapitulatif par courriel et en PDF (AMI-CALL-DEADLINE, AMI-RECEIPT, AMI-COMMITMENT-10PCT)", security, request: { params: IdParam }, responses: { 200: ok("Candidature déposée", ApplicationOut), ...errors } }),
    async (c) => c.json(applicationOut(await uc.submitApplication(db(c), actorOf(c), c.req.valid("param").id, now(c))), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/applications/{id}/rank-override", tags, summary: "Forcer le rang, avec sa raison (null : rang calculé) — Région (AMI-PRIORITY)", security, request: { params: IdParam, body: json(OverrideInput) }, responses: { 200: ok("Rang enregistré", Done), ...errors } }),
    async (c) => {
      await uc.overrideRank(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ id: c.req.valid("param").id }, 200);
    },
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/applications/{id}/decision", tags, summary: "Retenir ou non ; le candidat est prévenu par courriel — Région (AMI-SELECTION)", security, request: { params: IdParam, body: json(DecisionInput) }, responses: { 200: ok("Décision enregistrée", ApplicationOut), ...errors } }),
    async (c) => {
      await uc.decide(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json"), now(c));
      return c.json(await view(c, c.req.valid("param").id), 200);
    },
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/applications/{id}/expert", tags, summary: "Désigner le prestataire expert du lot et ouvrir la mission 1 — Région (AMI-EXPERT-IN-LOT)", security, request: { params: IdParam, body: json(ExpertAssignInput) }, responses: { 200: ok("Expert désigné", ApplicationOut), ...errors } }),
    async (c) => {
      await uc.assignExpert(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json(await view(c, c.req.valid("param").id), 200);
    },
  );
  app.openapi(
    createRoute({ method: "put", path: "/api/ami/applications/{id}/diagnostic", tags, summary: "Mission 1 : le diagnostic partagé — expert (AMI-MISSIONS)", security, request: { params: IdParam, body: json(DiagnosticInput) }, responses: { 200: ok("Diagnostic enregistré", ApplicationOut), ...errors } }),
    async (c) => {
      await uc.saveDiagnostic(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json"), now(c));
      return c.json(await view(c, c.req.valid("param").id), 200);
    },
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/applications/{id}/actions", tags, summary: "Mission 1 : une action du plan, avec les jours de chaque membre de l'équipe et sa phase — expert (AMI-MISSIONS)", security, request: { params: IdParam, body: json(ActionInput) }, responses: { 201: ok("Action ajoutée", Done), ...errors } }),
    async (c) => c.json({ id: await uc.addAction(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json")) }, 201),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/applications/{id}/committee-decision", tags, summary: "Décision datée du comité de sélection : tout ou partie du plan ; ouvre la mission 2 — Région (AMI-COMMITTEE)", security, request: { params: IdParam, body: json(CommitteeInput) }, responses: { 200: ok("Décision enregistrée", ApplicationOut), ...errors } }),
    async (c) => {
      await uc.recordCommitteeDecision(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json"), now(c));
      return c.json(await view(c, c.req.valid("param").id), 200);
    },
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/applications/{id}/progress", tags, summary: "Mission 2 : travail réalisé sur une action approuvée, avant la fin au plus tard (AMI-M2-APPROVED-ONLY, AMI-DEADLINE-M2)", security, request: { params: IdParam, body: json(ProgressInput) }, responses: { 201: ok("Suivi enregistré (avertissements éventuels)", z.object({ warnings: ViolationOut })), ...errors } }),
    async (c) => c.json({ warnings: violationsOut(await uc.recordProgress(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json"), now(c))) }, 201),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/applications/{id}/mission-3", tags, summary: "Ouvrir la mission 3 : évaluation et livrables (AMI-MISSIONS)", security, request: { params: IdParam }, responses: { 200: ok("Mission 3 ouverte", ApplicationOut), ...errors } }),
    async (c) => {
      await uc.startMission3(db(c), actorOf(c), c.req.valid("param").id);
      return c.json(await view(c, c.req.valid("param").id), 200);
    },
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/ami/applications/{id}/deliverables",
      tags,
      summary: "Déposer un livrable (base64) ; les productions de la mission 2 appartiennent à l'organisme — expert (AMI-MISSIONS, AMI-TRANSFER)",
      security,
      request: { params: IdParam, body: json(DeliverableInput.extend({ file: z.object({ filename: z.string().min(1).max(MAX_FILENAME_LENGTH), contentType: z.enum(["application/pdf", "image/jpeg", "image/png"]), base64: z.string().max(BASE64_MAX) }) })) },
      responses: { 201: ok("Livrable déposé", Done), ...errors },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const file = { filename: input.file.filename, contentType: input.file.contentType, bytes: Buffer.from(input.file.base64, "base64") };
      return c.json({ id: await uc.addDeliverable(db(c), actorOf(c), c.req.valid("param").id, input, file) }, 201);
    },
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/applications/{id}/complete", tags, summary: "Clore l'accompagnement ; multi-site : le kit de transfert est exigé — Région (AMI-TRANSFER)", security, request: { params: IdParam }, responses: { 200: ok("Accompagnement terminé", ApplicationOut), ...errors } }),
    async (c) => {
      await uc.completeAccompaniment(db(c), actorOf(c), c.req.valid("param").id);
      return c.json(await view(c, c.req.valid("param").id), 200);
    },
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/eligible", tags, summary: "Inscrire un organisme éligible pour une année du PRF (un CFA, par exemple) — Région (AMI-ELIGIBLE)", security, request: { body: json(EligibleInput) }, responses: { 201: ok("Organisme inscrit", EligibleInput), 403: errors[403], 404: errors[404] } }),
    async (c) => c.json(await uc.registerEligible(db(c), actorOf(c), c.req.valid("json")), 201),
  );
  app.openapi(
    createRoute({ method: "get", path: "/api/ami/expert-providers", tags, summary: "Prestataires experts référencés (AMI-EXPERT-IN-LOT)", security, responses: { 200: ok("Prestataires", z.array(z.object({ id: z.string(), name: z.string() }))), 403: errors[403] } }),
    async (c) => c.json(await uc.listExpertProviders(db(c), actorOf(c)), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/ami/expert-providers", tags, summary: "Référencer un prestataire expert — Région", security, request: { body: json(ExpertProviderInput) }, responses: { 201: ok("Prestataire référencé", z.object({ id: z.string(), name: z.string() })), 403: errors[403], 409: errors[409] } }),
    async (c) => c.json(await uc.createExpertProvider(db(c), actorOf(c), c.req.valid("json")), 201),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/ami/expert-providers/{id}/accounts",
      tags,
      summary: "Ouvrir le compte d'un consultant du prestataire expert (rôle expert) — Région",
      security,
      request: { params: IdParam, body: json(ExpertAccountInput) },
      responses: { 201: ok("Compte ouvert", z.object({ id: z.string(), email: z.string(), fullName: z.string(), expertProviderId: z.string() })), ...errors },
    }),
    async (c) => c.json(await uc.createExpertAccount(db(c), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  );
}
