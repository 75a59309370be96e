// Pages of recruitment (plain HTML forms: POST → 303, or the form again with the messages, 422).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { keysetPageLenient, readListQuery } from "../../core/listing.ts";
import { CandidacyListQuery, overdueSlipCount, pageCandidacies, pageSlips, SlipListQuery } from "./listing.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { type FormBody, formBody, str } from "../../core/pages/forms.ts";
import type { Violation } from "../../core/rules.ts";
import { listAuthorisedPrescribers } from "../prescribers/use-cases.ts";
import { registerRecruitmentApi } from "./api.ts";
import { registerDirectRegistration } from "./public-routes.tsx";
import { candidateFrom, texts, violationsOf } from "./form-input.ts";
import { importCsv } from "./csv-import.ts";
import { CandidacyPage } from "./pages/detail.tsx";
import { type Body, ImportPage, PaperFormPage, PrescriptionFormPage, SlipFormPage } from "./pages/forms.tsx";
import { CandidacyListPage, RegionContinuationsPage, SelectionPage, SlipsPage } from "./pages/lists.tsx";
import * as q from "./queries.ts";
import { ContinuationSlipInput, EntryInput, PaperPrescriptionInput, PrescriptionInput, RegistrationUpdateInput, TransitionInput } from "./schema.ts";
import * as uc from "./use-cases.ts";
import { may, requireCapability } from "../../core/auth/roles.ts";


const fileOf = async (raw: FormBody, name: string) => {
  const f = raw[name];
  const file = Array.isArray(f) ? f[0] : f;
  return file instanceof File && file.size > 0 ? file : undefined;
};
const deps = (c: Ctx) => c.get("deps");
const isWriter = (c: Ctx) => may(actorOf(c), "recruitment.decide");

export function registerRecruitment(app: OpenAPIHono<AppEnv>) {
  registerRecruitmentApi(app);

  // — Prescriber —
  app.get("/prescriptions", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "prescriber");
    const read = readListQuery(CandidacyListQuery, c.req.query());
    const { page, notice } = await keysetPageLenient((p) => pageCandidacies(deps(c).db, actor, { ...read.params, ...p }), read.params);
    return c.html(<CandidacyListPage c={c} page={page} params={read.params} notice={notice ?? read.notice} sessions={[]} canWrite={false} title="Mes prescriptions" action="/prescriptions" />);
  });

  const prescriptionForm = async (c: Ctx, b: Body, violations?: Violation[]) => {
    const actor = actorOf(c);
    requireRole(actor, "prescriber");
    const sessions = await q.sessionChoices(deps(c).db, actor, deps(c).clock);
    return c.html(<PrescriptionFormPage c={c} sessions={sessions} b={b} violations={violations} />, violations ? 422 : 200);
  };
  app.get("/prescriptions/nouvelle", (c) => prescriptionForm(c, { sessionId: c.req.query("session") ?? "" }));
  app.post("/prescriptions/nouvelle", async (c) => {
    const b = texts(await formBody(c));
    try {
      const { id } = await uc.prescribe(deps(c).db, actorOf(c), deps(c).clock, PrescriptionInput.parse(candidateFrom(b)));
      return c.redirect(`/candidatures/${id}?ok=prescrite`, 303);
    } catch (e) {
      return prescriptionForm(c, b, violationsOf(e));
    }
  });

  // — Provider staff and Region —
  app.get("/candidatures", async (c) => {
    const actor = actorOf(c);
    if (actor.role === "prescriber") return c.redirect("/prescriptions", 303);
    const { db } = deps(c);
    const read = readListQuery(CandidacyListQuery, c.req.query());
    const { page, notice } = await keysetPageLenient((p) => pageCandidacies(db, actor, { ...read.params, ...p }), read.params);
    return c.html(<CandidacyListPage c={c} page={page} params={read.params} notice={notice ?? read.notice} sessions={await q.providerSessions(db, actor)} canWrite={isWriter(c)} title="Candidatures" action="/candidatures" />);
  });

  const paperForm = async (c: Ctx, b: Body, violations?: Violation[]) => {
    const actor = actorOf(c);
    requireCapability(actor, "recruitment.decide");
    const { db, clock } = deps(c);
    const [sessions, organisations] = await Promise.all([q.sessionChoices(db, actor, clock), listAuthorisedPrescribers(db)]);
    return c.html(<PaperFormPage c={c} sessions={sessions} organisations={organisations} b={b} violations={violations} />, violations ? 422 : 200);
  };
  app.get("/candidatures/nouvelle", (c) => paperForm(c, {}));
  app.post("/candidatures/nouvelle", async (c) => {
    const raw = await formBody(c);
    const b = texts(raw);
    try {
      const input = PaperPrescriptionInput.parse(candidateFrom(b));
      const file = await fileOf(raw, "attachment");
      const attachment = file ? { filename: file.name, contentType: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
      const { id } = await uc.enterPaperPrescription(deps(c).db, actorOf(c), deps(c).clock, input, attachment);
      return c.redirect(`/candidatures/${id}?ok=saisie`, 303);
    } catch (e) {
      return paperForm(c, b, violationsOf(e));
    }
  });

  const importForm = async (c: Ctx, extra: { sessionId?: string; report?: Awaited<ReturnType<typeof importCsv>>; error?: string } = {}, status = 200) => {
    const actor = actorOf(c);
    requireCapability(actor, "recruitment.decide");
    const sessions = await q.sessionChoices(deps(c).db, actor, deps(c).clock);
    return c.html(<ImportPage c={c} sessions={sessions} {...extra} />, status as 200);
  };
  app.get("/candidatures/import", (c) => importForm(c));
  app.post("/candidatures/import", async (c) => {
    const raw = await formBody(c);
    const sessionId = str(raw, "sessionId");
    const file = await fileOf(raw, "file");
    if (!file) return importForm(c, { sessionId, error: "Choisissez un fichier CSV." }, 422);
    try {
      const report = await importCsv(deps(c).db, actorOf(c), deps(c).clock, sessionId, new Uint8Array(await file.arrayBuffer()));
      return importForm(c, { sessionId, report });
    } catch (e) {
      return importForm(c, { sessionId, error: violationsOf(e).map((v) => v.message).join(" ") }, 422);
    }
  });

  const detail = async (c: Ctx, id: string, extra: { violations?: Violation[]; body?: Body; warnings?: Violation[] } = {}, status = 200) => {
    const d = await q.candidacyDetail(deps(c).db, actorOf(c), deps(c).clock, id);
    const ok = c.req.query("ok");
    const notice = ok === "prescrite" ? "Prescription envoyée à l'organisme de formation." : ok ? "Enregistré." : undefined;
    return c.html(<CandidacyPage c={c} d={d} notice={status === 200 ? notice : undefined} {...extra} />, status as 200);
  };
  app.get("/candidatures/:id", (c) => detail(c, c.req.param("id")));

  app.post("/candidatures/:id/etape", async (c) => {
    const id = c.req.param("id");
    const b = texts(await formBody(c));
    try {
      const input = TransitionInput.parse({ ...b, assessmentScore: b.assessmentScore ? Number(b.assessmentScore) : null });
      const { warnings } = await uc.decide(deps(c).db, actorOf(c), deps(c).clock, id, input);
      if (warnings.length) return detail(c, id, { warnings });
      return c.redirect(`/candidatures/${id}?ok=1`, 303);
    } catch (e) {
      return detail(c, id, { violations: violationsOf(e), body: b }, 422);
    }
  });

  app.post("/candidatures/:id/entree", async (c) => {
    const id = c.req.param("id");
    const b = texts(await formBody(c));
    try {
      const { pathId } = await uc.enter(deps(c).db, actorOf(c), deps(c).clock, id, EntryInput.parse(b));
      return c.redirect(`/parcours/${pathId}?inscrit=1`, 303);
    } catch (e) {
      return detail(c, id, { violations: violationsOf(e), body: b }, 422);
    }
  });

  app.post("/candidatures/:id/note", async (c) => {
    const id = c.req.param("id");
    const b = texts(await formBody(c));
    const row = await uc.loadCandidacyForActor(deps(c).db, actorOf(c), id);
    await uc.recordAssessment(deps(c).db, actorOf(c), id, b.assessmentScore ? Number(b.assessmentScore) : null);
    return c.redirect(`/sessions/${row.session_id}/selection`, 303);
  });

  app.post("/candidatures/:id/inscription-ft", async (c) => {
    const id = c.req.param("id");
    const b = texts(await formBody(c));
    try {
      await uc.updateRegistration(deps(c).db, actorOf(c), id, RegistrationUpdateInput.parse({ ...b, jobSeekerRegistered: b.jobSeekerRegistered === "1" }));
      return c.redirect(`/candidatures/${id}?ok=1`, 303);
    } catch (e) {
      return detail(c, id, { violations: violationsOf(e), body: b }, 422);
    }
  });

  app.get("/candidatures/:id/piece-jointe", async (c) => {
    const a = await q.attachmentFor(deps(c).db, actorOf(c), c.req.param("id"));
    return c.body(new Uint8Array(a.bytes), 200, { "content-type": a.content_type, "content-disposition": `attachment; filename="${a.filename.replace(/[^\w.-]/g, "_")}"`, "x-content-type-options": "nosniff" });
  });

  app.get("/sessions/:id/selection", async (c) => {
    const actor = actorOf(c);
    const data = await q.selectionRanking(deps(c).db, actor, deps(c).clock, c.req.param("id"));
    return c.html(<SelectionPage c={c} data={data} canWrite={isWriter(c) && actor.providerId === data.session.provider_id} />);
  });

  // — Continuation slips —
  app.get("/continuations", async (c) => {
    const actor = actorOf(c);
    const { db, clock } = deps(c);
    const read = readListQuery(SlipListQuery, c.req.query());
    const { page, notice } = await keysetPageLenient((p) => pageSlips(db, actor, clock, { ...read.params, ...p }), read.params);
    const overdue = await overdueSlipCount(db, actor, clock);
    return c.html(<SlipsPage c={c} page={page} params={read.params} notice={notice ?? read.notice} overdue={overdue} isProvider={isProviderStaff(actor)} canSend={isWriter(c) || actor.role === "prescriber"} />);
  });

  const slipForm = async (c: Ctx, b: Body, violations?: Violation[]) => {
    const actor = actorOf(c);
    if (!(actor.role === "prescriber" || (isProviderStaff(actor) && isWriter(c)))) requireRole(actor, "prescriber", "provider_admin", "pedagogical_referent");
    const { db, clock } = deps(c);
    const [sessions, organisations] = await Promise.all([q.sessionChoices(db, actor, clock, true), listAuthorisedPrescribers(db)]);
    return c.html(<SlipFormPage c={c} sessions={sessions} organisations={organisations} b={b} violations={violations} isPrescriber={actor.role === "prescriber"} />, violations ? 422 : 200);
  };
  app.get("/continuations/nouvelle", (c) => slipForm(c, {}));
  app.post("/continuations/nouvelle", async (c) => {
    const b = texts(await formBody(c));
    try {
      const input = ContinuationSlipInput.parse({ ...candidateFrom(b), prescriberOrganisationId: b.prescriberOrganisationId || undefined });
      const { id } = await uc.sendContinuationSlip(deps(c).db, actorOf(c), deps(c).clock, input);
      return c.redirect(`/candidatures/${id}?ok=1`, 303);
    } catch (e) {
      return slipForm(c, b, violationsOf(e));
    }
  });

  app.get("/recrutement/continuations", async (c) => c.html(<RegionContinuationsPage c={c} orders={await q.regionContinuations(deps(c).db, actorOf(c), deps(c).clock)} />));

  registerDirectRegistration(app);
}
