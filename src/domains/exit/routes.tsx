// Pages of the exit domain (registerExit): every route with a path id looks the path up (404 for
// another organisation's, like an unknown one) before it reads its form.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { type Actor, isProviderStaff } from "../../core/auth/actor.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import type { FileInput } from "../../core/files.ts";
import { publicUrl } from "../../core/http/client.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { type FormBody, formBody, str, strs } from "../../core/pages/forms.ts";
import { parseDuration, type Violation } from "../../core/rules.ts";
import { parisDate, yearOf } from "../../core/time.ts";
import { componentRows } from "../offer/views.ts";
import { canRecord, canWrite, readablePath, staffPath } from "./access.ts";
import { registerExitApi } from "./api.ts";
import { loadBadgeKey, publicJwks } from "./badge-key.ts";
import * as badges from "./badges.ts";
import { skillsCertificateFacts, skillsCertificatePdf } from "./certificate.ts";
import * as exams from "./exams.ts";
import { BilanPage } from "./pages/bilan.tsx";
import { BadgePage, CertificationsPage, FollowUpsPage, SatisfactionPage, SoftSkillsPage, SurveyPage, SynthesesPage, SynthesisPage, TraineeBilanPage } from "./pages/others.tsx";
import * as s from "./schema.ts";
import { pathSummary } from "./store.ts";
import * as surveys from "./surveys.ts";
import * as uc from "./use-cases.ts";

const deps = (c: Ctx) => c.get("deps");

function violationsOf(error: unknown): Violation[] {
  if (error instanceof DomainError && [400, 409, 422].includes(error.status)) return error.violations.length ? error.violations : [{ code: error.code, severity: "error", message: error.detail, article: "" }];
  if (error instanceof z.ZodError) return error.issues.map((i) => ({ code: "VALIDATION", severity: "error" as const, message: i.message, article: "", field: String(i.path[0] ?? "") }));
  throw error;
}

const fileOf = async (body: FormBody, name: string): Promise<FileInput | undefined> => {
  const f = body[name];
  return f instanceof File && f.size > 0 ? { filename: f.name, contentType: f.type, bytes: new Uint8Array(await f.arrayBuffer()) } : undefined;
};
const plain = (body: FormBody) => Object.fromEntries(Object.entries(body).filter(([, x]) => typeof x === "string"));
/** CP-KPI-VAE: the VAE fields of the exit and VAE forms (a blank select or date: not given). */
const vaeForm = (b: FormBody) => ({ vaeEngaged: str(b, "vaeEngaged") === "1", vaeResult: str(b, "vaeResult") || undefined, vaeDecidedOn: str(b, "vaeDecidedOn") || undefined });
const int = (x: string) => (/^\d+$/.test(x.trim()) ? Number(x.trim()) : Number.NaN);

async function renderBilan(c: Ctx, pathId: string, extra: { refused?: { section: string; violations: Violation[]; body?: Record<string, unknown> }; notice?: string; warnings?: Violation[] } = {}, status = 200) {
  const { db, clock } = deps(c);
  const actor = actorOf(c);
  const head = await readablePath(db, actor, pathId);
  if (actor.role === "trainee" || actor.role === "prescriber") throw notFound("Parcours");
  const [summary, certifications, softSkills, followUps, satisfaction, prep] = await Promise.all([
    pathSummary(db, head),
    exams.certificationsOf(db, actor, { componentId: head.component_id }),
    badges.currentSoftSkills(db, parisDate(clock.now())),
    uc.followUps(db, actor, clock, { pathId }),
    surveys.satisfactionStatus(db, pathId),
    exams.prepExamWarnings(db, actor, pathId),
  ]);
  const page = (
    <BilanPage
      c={c}
      s={summary}
      canWrite={canWrite(actor, head.provider_id)}
      canRecord={canRecord(actor, head.provider_id)}
      certifications={certifications}
      softSkills={softSkills}
      followUps={followUps}
      satisfaction={satisfaction}
      warnings={[...prep, ...(extra.warnings ?? [])]}
      refused={extra.refused}
      notice={extra.notice}
    />
  );
  return c.html(page, status as 200);
}

/** A form command on a path's page: the path is looked up first (no existence leak), then the form read. */
function pathForm(app: OpenAPIHono<AppEnv>, route: string, section: string, capability: "paths.write" | "exams.record", run: (c: Ctx, actor: Actor, pathId: string, body: FormBody) => Promise<string | undefined | Violation[]>) {
  app.post(`/parcours/:id/${route}`, async (c) => {
    const pathId = c.req.param("id");
    const actor = actorOf(c);
    await staffPath(deps(c).db, actor, pathId, capability);
    const body = await formBody(c);
    try {
      const result = await run(c, actor, pathId, body);
      if (Array.isArray(result) && result.length) return renderBilan(c, pathId, { warnings: result, notice: "Enregistré." });
      return c.redirect(`/parcours/${pathId}/bilan?ok=1#${section}-title`, 303);
    } catch (error) {
      return renderBilan(c, pathId, { refused: { section, violations: violationsOf(error), body: plain(body) } }, 422);
    }
  });
}

const pdf = (c: Ctx, bytes: Buffer, name: string) => c.body(new Uint8Array(bytes), 200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="${name}"` });

export function registerExit(app: OpenAPIHono<AppEnv>) {
  registerExitApi(app);

  // ——— Provider: the path's evaluation and exit page ———
  app.get("/parcours/:id/bilan", (c) => renderBilan(c, c.req.param("id"), { notice: c.req.query("ok") ? "Enregistré." : undefined }));

  pathForm(app, "bilan/sortie", "exit", "paths.write", (c, actor, pathId, b) =>
    uc.exitTrainee(deps(c).db, actor, deps(c).clock, publicUrl(c), pathId, s.ExitInput.parse({ reason: str(b, "reason") || undefined, actualExitDate: str(b, "actualExitDate"), cause: str(b, "cause") || undefined, actionPlan: str(b, "actionPlan") || undefined, ...vaeForm(b) })),
  );
  pathForm(app, "bilan/vae", "vae", "paths.write", async (c, actor, pathId, b) => {
    await uc.recordVae(deps(c).db, actor, deps(c).clock, pathId, s.VaeInput.parse(vaeForm(b)));
    return undefined;
  });
  pathForm(app, "bilan/suivi", "fu", "paths.write", async (c, actor, pathId, b) => {
    const input = s.FollowUpInput.parse({ milestone: str(b, "milestone"), situation: str(b, "situation"), contractType: str(b, "contractType"), romeCode: str(b, "romeCode"), inTargetSector: str(b, "inTargetSector") === "1", note: str(b, "note") });
    await uc.recordFollowUp(deps(c).db, actor, deps(c).clock, pathId, input);
    return undefined;
  });
  pathForm(app, "bilan/examen", "exam", "paths.write", async (c, actor, pathId, b) => {
    await exams.registerExam(deps(c).db, actor, deps(c).clock, pathId, s.ExamRegistrationInput.parse({ certificationId: str(b, "certificationId"), internal: str(b, "internal") === "1", sessionOn: str(b, "sessionOn") }));
    return undefined;
  });
  pathForm(app, "bilan/seconde-session", "exam", "paths.write", async (c, actor, pathId, b) => {
    const fee = str(b, "fee").trim().replace(",", ".").replace(/\s|€/g, "");
    const cents = fee ? Math.round(Number(fee) * 100) : undefined;
    const input = s.SecondSessionInput.parse({ certificationId: str(b, "certificationId"), internal: str(b, "internal") === "1", sessionOn: str(b, "sessionOn"), help: str(b, "help"), traineeFeeCents: cents });
    await exams.registerSecondSession(deps(c).db, actor, deps(c).clock, pathId, input);
    return undefined;
  });
  pathForm(app, "bilan/rattrapage", "exam", "paths.write", async (c, actor, pathId, b) => {
    const input = s.CatchupInput.parse({ registrationId: str(b, "registrationId"), minutes: parseDuration(str(b, "duration")) ?? 0, startOn: str(b, "startOn"), endOn: str(b, "endOn"), content: str(b, "content") });
    await exams.planCatchup(deps(c).db, actor, deps(c).clock, pathId, input);
    return undefined;
  });
  pathForm(app, "bilan/examen-blanc", "mock", "exams.record", async (c, actor, pathId, b) => {
    const input = s.MockExamInput.parse({ title: str(b, "title"), takenOn: str(b, "takenOn"), score: int(str(b, "score")), outOf: int(str(b, "outOf")), comment: str(b, "comment") || undefined });
    await exams.recordMockExam(deps(c).db, actor, deps(c).clock, pathId, input, await fileOf(b, "copy"));
    return undefined;
  });
  pathForm(app, "bilan/savoir-etre", "soft", "exams.record", async (c, actor, pathId, b) => {
    await badges.recordSoftSkillStep(deps(c).db, actor, deps(c).clock, pathId, s.SoftSkillStepInput.parse({ softSkillId: str(b, "softSkillId"), step: str(b, "step"), observation: str(b, "observation"), validated: str(b, "validated") === "1" }));
    return undefined;
  });
  pathForm(app, "bilan/badge", "soft", "exams.record", async (c, actor, pathId, b) => {
    await badges.issueBadge(deps(c).db, actor, deps(c).clock, deps(c).config.badgeKeyFile, publicUrl(c), pathId, str(b, "softSkillId"));
    return undefined;
  });
  app.post("/parcours/:id/examens/:registrationId/resultat", async (c) => {
    const pathId = c.req.param("id");
    await staffPath(deps(c).db, actorOf(c), pathId, "exams.record");
    const b = await formBody(c);
    try {
      await exams.recordExamResult(deps(c).db, actorOf(c), deps(c).clock, c.req.param("registrationId"), s.ExamResultInput.parse({ result: str(b, "result"), passedBlocks: strs(b, "passedBlocks") }));
      return c.redirect(`/parcours/${pathId}/bilan?ok=1#exam-title`, 303);
    } catch (error) {
      return renderBilan(c, pathId, { refused: { section: "result", violations: violationsOf(error) } }, 422);
    }
  });
  app.post("/parcours/:id/badges/:badgeId/revocation", async (c) => {
    const pathId = c.req.param("id");
    await staffPath(deps(c).db, actorOf(c), pathId, "paths.write");
    const b = await formBody(c);
    try {
      await badges.revokeBadge(deps(c).db, actorOf(c), deps(c).clock, c.req.param("badgeId"), str(b, "reason"));
      return c.redirect(`/parcours/${pathId}/bilan?ok=1#soft-title`, 303);
    } catch (error) {
      return renderBilan(c, pathId, { refused: { section: "soft", violations: violationsOf(error) } }, 422);
    }
  });
  app.get("/parcours/:id/examens-blancs/:mockId/copie", async (c) => {
    await readablePath(deps(c).db, actorOf(c), c.req.param("id"));
    const f = await exams.mockExamCopy(deps(c).db, actorOf(c), c.req.param("mockId"));
    return c.body(new Uint8Array(f.bytes), 200, { "content-type": f.content_type, "content-disposition": `attachment; filename="${f.filename.replace(/["\\\r\n]/g, "_")}"` });
  });
  const certificate = async (c: Ctx) => {
    const facts = await skillsCertificateFacts(deps(c).db, actorOf(c), c.req.param("id") ?? "");
    return pdf(c, await skillsCertificatePdf(facts), `attestation-competences-${facts.head.last_name.replace(/[^A-Za-z0-9-]/g, "_")}.pdf`);
  };
  app.get("/parcours/:id/attestation-competences.pdf", certificate);

  // ——— Certifications of a component (CP-EXAMS, CP-HABILITATION, CP-PREP-EXAM-DATES) ———
  const certificationsPage = async (c: Ctx, refused?: { section: string; violations: Violation[] }, status = 200) => {
    const { db } = deps(c);
    const actor = actorOf(c);
    const id = c.req.param("id") ?? "";
    const component = await db.selectFrom(componentRows().as("k")).select(["id", "title", "provider_id"]).where("id", "=", id).executeTakeFirst();
    if (!component || !(actor.role === "region_officer" || (isProviderStaff(actor) && actor.providerId === component.provider_id))) throw notFound("Composante");
    const certs = await exams.certificationsOf(db, actor, { componentId: id });
    const dates = await db.selectFrom("exam_date").select(["label", "kind", "exam_on"]).where("component_id", "=", id).orderBy("exam_on").execute();
    return c.html(<CertificationsPage c={c} component={component} certs={certs} exams={dates} canWrite={canWrite(actor, component.provider_id)} refused={refused} />, status as 200);
  };
  app.get("/offre/composantes/:id/certifications", (c) => certificationsPage(c));
  app.post("/offre/composantes/:id/certifications", async (c) => {
    await certificationsPage(c); // the component looked up first
    const b = await formBody(c);
    try {
      await exams.addCertification(deps(c).db, actorOf(c), s.CertificationInput.parse({ componentId: c.req.param("id"), code: str(b, "code"), title: str(b, "title"), skillBlocks: str(b, "skillBlocks").split(/\r?\n/).map((x) => x.trim()).filter(Boolean) }));
      return c.redirect(`/offre/composantes/${c.req.param("id")}/certifications`, 303);
    } catch (error) {
      return certificationsPage(c, { section: "cert", violations: violationsOf(error) }, 422);
    }
  });
  app.post("/offre/composantes/:id/certifications/:certificationId/habilitation", async (c) => {
    await certificationsPage(c);
    const b = await formBody(c);
    const cid = c.req.param("certificationId");
    try {
      const input = s.HabilitationInput.parse({ certifier: str(b, "certifier"), reference: str(b, "reference"), validFrom: str(b, "validFrom"), validUntil: str(b, "validUntil") });
      await exams.addHabilitation(deps(c).db, actorOf(c), deps(c).clock, cid, input, await fileOf(b, "document"));
      return c.redirect(`/offre/composantes/${c.req.param("id")}/certifications`, 303);
    } catch (error) {
      return certificationsPage(c, { section: `hab-${cid}`, violations: violationsOf(error) }, 422);
    }
  });
  app.post("/offre/composantes/:id/epreuves", async (c) => {
    await certificationsPage(c);
    const b = await formBody(c);
    try {
      await exams.addExamDate(deps(c).db, actorOf(c), s.ExamDateInput.parse({ componentId: c.req.param("id"), label: str(b, "label"), kind: str(b, "kind"), examOn: str(b, "examOn") }));
      return c.redirect(`/offre/composantes/${c.req.param("id")}/certifications`, 303);
    } catch (error) {
      return certificationsPage(c, { section: "cert", violations: violationsOf(error) }, 422);
    }
  });

  // ——— Follow-ups (provider, Region) and the Region's settings ———
  const followUpsPage = async (c: Ctx, violations?: Violation[], status = 200) => {
    const actor = actorOf(c);
    if (actor.role !== "region_officer" && !canRecord(actor, actor.providerId ?? "")) throw notFound("Page");
    const late = c.req.query("etat") === "retard";
    const rows = await uc.followUps(deps(c).db, actor, deps(c).clock, { states: late ? ["late"] : ["due", "late"] });
    const alerts = { habilitations: await exams.habilitationAlerts(deps(c).db, actor, deps(c).clock), satisfaction: await surveys.satisfactionResults(deps(c).db, actor) };
    return c.html(<FollowUpsPage c={c} rows={rows} late={late} isRegion={actor.role === "region_officer"} deadline={await uc.getFollowUpDeadline(deps(c).db)} violations={violations} alerts={alerts} />, status as 200);
  };
  app.get("/suivis", (c) => followUpsPage(c));
  app.post("/suivis/delai", async (c) => {
    const b = await formBody(c);
    try {
      await uc.setFollowUpDeadline(deps(c).db, actorOf(c), deps(c).clock, s.SettingsInput.parse({ followupDeadlineDays: int(str(b, "days")) }).followupDeadlineDays);
      return c.redirect("/suivis", 303);
    } catch (error) {
      return followUpsPage(c, violationsOf(error), 422);
    }
  });

  // ——— The Region's soft-skill list and survey figures ———
  const softSkillsPage = async (c: Ctx, violations?: Violation[], status = 200) => {
    const actor = actorOf(c);
    if (actor.role !== "region_officer") throw notFound("Page");
    const year = Number(c.req.query("annee")) || yearOf(parisDate(deps(c).clock.now()));
    return c.html(<SoftSkillsPage c={c} year={year} list={await badges.softSkillList(deps(c).db, year)} violations={violations} kpis={await surveys.regionSurveyKpis(deps(c).db, actor)} questions={await surveys.satisfactionQuestions(deps(c).db)} />, status as 200);
  };
  app.get("/savoir-etre", (c) => softSkillsPage(c));
  app.post("/savoir-etre", async (c) => {
    const b = await formBody(c);
    try {
      const input = s.SoftSkillsInput.parse({ year: int(str(b, "year")), titles: [1, 2, 3, 4, 5, 6].map((i) => str(b, `title${i}`)) });
      await badges.setSoftSkills(deps(c).db, actorOf(c), input);
      return c.redirect(`/savoir-etre?annee=${input.year}`, 303);
    } catch (error) {
      return softSkillsPage(c, violationsOf(error), 422);
    }
  });

  app.post("/savoir-etre/questionnaire", async (c) => {
    const b = await formBody(c);
    try {
      await surveys.setSatisfactionQuestions(deps(c).db, actorOf(c), { likert: [0, 1, 2, 3, 4, 5].map((i) => str(b, `likert${i}`).slice(0, 300)), text: str(b, "text").slice(0, 300) });
      return c.redirect("/savoir-etre", 303);
    } catch (error) {
      return softSkillsPage(c, violationsOf(error), 422);
    }
  });

  // ——— The trainee's view ———
  const traineePath = async (c: Ctx) => {
    const actor = actorOf(c);
    const head = await readablePath(deps(c).db, actor, c.req.param("id") ?? "");
    if (actor.role !== "trainee") throw notFound("Parcours");
    return head;
  };
  app.get("/mon-parcours/:id/bilan", async (c) => c.html(<TraineeBilanPage c={c} s={await pathSummary(deps(c).db, await traineePath(c))} />));
  app.get("/mon-parcours/:id/attestation-competences.pdf", async (c) => {
    await traineePath(c);
    return certificate(c);
  });
  app.get("/mon-parcours/:id/examens-blancs/:mockId/copie", async (c) => {
    await traineePath(c);
    const f = await exams.mockExamCopy(deps(c).db, actorOf(c), c.req.param("mockId"));
    return c.body(new Uint8Array(f.bytes), 200, { "content-type": f.content_type, "content-disposition": `attachment; filename="${f.filename.replace(/["\\\r\n]/g, "_")}"` });
  });

  // ——— The prescriber's syntheses (CP-PRESCRIBER-SYNTHESIS) ———
  app.get("/syntheses", async (c) => {
    const actor = actorOf(c);
    if (actor.role !== "prescriber" || !actor.prescriberOrganisationId) throw notFound("Page");
    return c.html(<SynthesesPage c={c} rows={await uc.synthesesFor(deps(c).db, actor)} />);
  });
  app.get("/syntheses/:id", async (c) => c.html(<SynthesisPage c={c} s={await pathSummary(deps(c).db, await readablePath(deps(c).db, actorOf(c), c.req.param("id")))} />));
  app.get("/syntheses/:id/attestation-competences.pdf", certificate);

  // ——— Public: badges (verification, download, key, status list) ———
  const keyFile = (c: Ctx) => deps(c).config.badgeKeyFile;
  app.get("/badges/cle.json", (c) => c.json(publicJwks(loadBadgeKey(keyFile(c)))));
  app.get("/badges/statut", async (c) => {
    const list = await badges.statusList(deps(c).db, keyFile(c), publicUrl(c), deps(c).clock);
    return c.req.header("accept")?.includes("jwt") ? c.body(list.jwt, 200, { "content-type": "application/vc+jwt" }) : c.json(list.credential);
  });
  app.get("/badges/image.svg", (c) =>
    c.body(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><title>Badge Compétences Plus</title><circle cx="50" cy="50" r="46" fill="#1a4d8f"/><text x="50" y="58" font-size="22" text-anchor="middle" fill="#fff" font-family="sans-serif">C+</text></svg>',
      200,
      { "content-type": "image/svg+xml" },
    ),
  );
  app.get("/badges/:id", async (c) => {
    const v = await badges.verifyBadge(deps(c).db, keyFile(c), c.req.param("id"));
    return c.html(<BadgePage c={c} badgeId={c.req.param("id")} v={v} />, v.found ? 200 : 404);
  });
  app.post("/badges/:id", async (c) => {
    const b = await formBody(c);
    const jwt = str(b, "jwt").trim().slice(0, 20_000);
    const v = await badges.verifyBadge(deps(c).db, keyFile(c), c.req.param("id"), jwt || undefined);
    return c.html(<BadgePage c={c} badgeId={c.req.param("id")} v={v} />, v.found ? 200 : 404);
  });
  app.get("/badges/:id/credential.jwt", async (c) => {
    const b = await deps(c).db.selectFrom("badge").select("jwt").where("id", "=", c.req.param("id")).executeTakeFirst();
    // An erased holder's credential is no longer served (its status stays revoked).
    if (!b?.jwt) throw notFound("Badge");
    return c.body(b.jwt, 200, { "content-type": "application/vc+jwt", "content-disposition": `attachment; filename="badge-${c.req.param("id")}.jwt"` });
  });
  app.get("/badges/:id/ob2.json", async (c) => {
    const b = await deps(c).db.selectFrom("badge").select(["id", "credential", "issued_at", "revoked_at", "revoked_reason"]).where("id", "=", c.req.param("id")).executeTakeFirst();
    if (!b) throw notFound("Badge");
    return c.json(badges.ob2Assertion(b, publicUrl(c)));
  });

  // ——— Public: satisfaction (CP-SATISFACTION) and the Region's surveys (CP-REGION-SURVEYS), by personal link ———
  app.get("/satisfaction/:token", async (c) => c.html(<SatisfactionPage c={c} token={c.req.param("token")} form={await surveys.satisfactionForm(deps(c).db, c.req.param("token"))} />));
  app.post("/satisfaction/:token", async (c) => {
    const token = c.req.param("token");
    const form = await surveys.satisfactionForm(deps(c).db, token);
    const b = await formBody(c);
    const answers = Object.fromEntries(form.questions.filter((q) => q.kind === "likert").flatMap((q) => (/^[1-5]$/.test(str(b, `q-${q.id}`)) ? [[q.id, Number(str(b, `q-${q.id}`))]] : [])));
    try {
      await surveys.answerSatisfaction(deps(c).db, deps(c).clock, token, s.SatisfactionAnswerInput.parse({ answers, comment: str(b, "comment") || undefined }));
      return c.html(<SatisfactionPage c={c} token={token} form={form} thanks />);
    } catch (error) {
      return c.html(<SatisfactionPage c={c} token={token} form={form} violations={violationsOf(error)} />, 422);
    }
  });
  app.get("/enquete/:token", async (c) => c.html(<SurveyPage c={c} token={c.req.param("token")} form={await surveys.regionSurveyForm(deps(c).db, c.req.param("token"))} />));
  app.post("/enquete/:token", async (c) => {
    const token = c.req.param("token");
    const form = await surveys.regionSurveyForm(deps(c).db, token);
    const b = await formBody(c);
    try {
      await surveys.answerRegionSurvey(deps(c).db, deps(c).clock, token, s.RegionSurveyAnswerInput.parse({ situation: str(b, "situation") || undefined, satisfaction: int(str(b, "satisfaction")), comment: str(b, "comment") || undefined }));
      return c.html(<SurveyPage c={c} token={token} form={form} message="Merci, votre réponse est enregistrée." />);
    } catch (error) {
      return c.html(<SurveyPage c={c} token={token} form={form} violations={violationsOf(error)} />, 422);
    }
  });
  app.post("/enquete/:token/desinscription", async (c) => {
    const token = c.req.param("token");
    await surveys.unsubscribeSurveys(deps(c).db, deps(c).clock, token);
    return c.html(<SurveyPage c={c} token={token} form={await surveys.regionSurveyForm(deps(c).db, token)} message="C'est noté : vous ne recevrez plus d'enquête de la Région." />);
  });
}
