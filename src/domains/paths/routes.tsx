import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { requireRole } from "../../core/auth/actor.ts";
import { DomainError } from "../../core/errors.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { parseDuration, type Violation } from "../../core/rules.ts";
import { getPathRealised } from "../ledger/use-cases.ts";
import { registerPathsApi } from "./api.ts";
import { BuilderPage, ChecksPanel } from "./pages/builder.tsx";
import { formFromPlan, planFromForm, type FormBody } from "./pages/form.ts";
import { RegisterPage, TraineeListPage } from "./pages/list.tsx";
import { MyPathsPage } from "./pages/mine.tsx";
import { PathPage } from "./pages/path.tsx";
import { pagePaths, PathListQuery, pathDetail, referentsOf, registrableLines } from "./queries.ts";
import { keysetPageLenient, readListQuery } from "../../core/listing.ts";
import { DepositInput, PositioningInput, RegistrationInput, TraineeInput } from "./schema.ts";
import * as uc from "./use-cases.ts";
import { requireCapability } from "../../core/auth/roles.ts";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const formBody = async (c: Ctx) => (await c.req.parseBody()) as FormBody;

/** zod issues → violations carrying the field, so the page shows each message next to its field. */
function violationsOf(error: unknown): Violation[] {
  if (error instanceof DomainError) return error.violations.length ? error.violations : [{ code: error.code, severity: "error", message: error.detail, article: "" }];
  if (error instanceof z.ZodError) return error.issues.map((i) => ({ code: "VALIDATION", severity: "error" as const, message: i.message, article: "", field: String(i.path[0] ?? "") }));
  throw error;
}

const centsFromEuros = (s: string) => {
  const m = /^(\d+)(?:[,.](\d{1,2}))?$/.exec(s.trim().replace(/\s|€/g, ""));
  return m ? Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0")) : Number.NaN;
};

async function renderPath(c: Ctx, pathId: string, extra: { refused?: { section: string; violations: Violation[]; body?: Record<string, unknown> }; notice?: string } = {}, status = 200) {
  const { db } = c.get("deps");
  const actor = actorOf(c);
  const evaluation = await uc.evaluateSavedPath(db, actor, pathId);
  const detail = await pathDetail(db, pathId);
  const canWrite = uc.canWritePaths(actor, detail.head.provider_id);
  const referents = canWrite ? await referentsOf(db, detail.head.provider_id) : [];
  const realised = await getPathRealised(db, actor, pathId);
  return c.html(<PathPage c={c} detail={detail} evaluation={evaluation} canWrite={canWrite} referents={referents} realised={realised} {...extra} />, status as 200);
}

export function registerPaths(app: OpenAPIHono<AppEnv>) {
  registerPathsApi(app);

  app.get("/stagiaires", async (c) => {
    const actor = actorOf(c);
    const read = readListQuery(PathListQuery, c.req.query());
    const { page, notice } = await keysetPageLenient((p) => pagePaths(c.get("deps").db, actor, { ...read.params, ...p }), read.params);
    return c.html(<TraineeListPage c={c} page={page} params={read.params} notice={notice ?? read.notice} canWrite={actor.role === "provider_admin" || actor.role === "pedagogical_referent"} />);
  });

  const registerForm = async (c: Ctx, body: Record<string, string>, violations?: Violation[]) => {
    const actor = actorOf(c);
    requireCapability(actor, "paths.write");
    const { db } = c.get("deps");
    const [lines, referents] = await Promise.all([registrableLines(db, actor), referentsOf(db, actor.providerId!)]);
    return c.html(<RegisterPage c={c} lines={lines} referents={referents} body={body} violations={violations} orderId={c.req.query("commande")} />, violations ? 422 : 200);
  };

  app.get("/stagiaires/nouveau", (c) => registerForm(c, {}));

  app.post("/stagiaires/nouveau", async (c) => {
    const raw = await formBody(c);
    const body = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, str(v)]));
    const [orderLineId, siteId] = (body.lineSite ?? "").split("|");
    try {
      const input = RegistrationInput.parse({ ...body, orderLineId, siteId, jobSeekerRegistered: body.jobSeekerRegistered === "1" });
      const { pathId } = await uc.registerTrainee(c.get("deps").db, actorOf(c), input);
      return c.redirect(`/parcours/${pathId}?inscrit=1`, 303);
    } catch (error) {
      return registerForm(c, body, violationsOf(error));
    }
  });

  // A trainee sees only their own paths (scoped by the session's trainee id).
  app.get("/mon-parcours", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "trainee");
    const { db } = c.get("deps");
    const ids = await db.selectFrom("path").select("id").where("trainee_id", "=", actor.traineeId ?? "").where("status", "!=", "dropped").orderBy("entry_date", "desc").execute();
    const paths = await Promise.all(ids.map((p) => pathDetail(db, p.id)));
    return c.html(<MyPathsPage c={c} paths={paths} />);
  });

  app.post("/stagiaires/:id/modifier", async (c) => {
    const raw = await formBody(c);
    const body = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, str(v)]));
    const pathId = body.pathId;
    try {
      const input = TraineeInput.parse({ ...body, jobSeekerRegistered: body.jobSeekerRegistered === "1" });
      await uc.updateTrainee(c.get("deps").db, actorOf(c), c.req.param("id"), input);
      return c.redirect(`/parcours/${pathId}?ok=1`, 303);
    } catch (error) {
      return renderPath(c, pathId, { refused: { section: "trainee", violations: violationsOf(error), body } }, 422);
    }
  });

  app.get("/parcours/:id", (c) => renderPath(c, c.req.param("id"), { notice: c.req.query("inscrit") ? "Stagiaire inscrit·e : enregistrez le positionnement puis construisez le parcours." : c.req.query("ok") ? "Enregistré." : undefined }));

  const builder = async (c: Ctx, id: string, body?: FormBody, extra: { violations?: Violation[]; saved?: boolean; formErrors?: Record<string, string> } = {}, status = 200) => {
    const { db } = c.get("deps");
    const actor = actorOf(c);
    await uc.loadPathForActor(db, actor, id);
    const detail = await pathDetail(db, id);
    if (!uc.canWritePaths(actor, detail.head.provider_id)) throw new DomainError("FORBIDDEN", 403, "Seuls les référents administratifs et pédagogiques de l'organisme construisent les parcours.");
    const shown = body ?? formFromPlan(detail);
    let evaluation: uc.PathEvaluation | undefined;
    const { input, errors } = planFromForm(shown, detail.modules);
    if (Object.keys(errors).length === 0 && input.entryDate && input.plannedExitDate) {
      evaluation = await uc.checkPlan(db, actor, id, input).catch(() => undefined);
    }
    return c.html(<BuilderPage c={c} detail={detail} body={shown} evaluation={evaluation} formErrors={{ ...errors, ...extra.formErrors }} violations={extra.violations} saved={extra.saved} />, status as 200);
  };

  app.get("/parcours/:id/construire", (c) => builder(c, c.req.param("id"), undefined, { saved: c.req.query("ok") === "1" }));

  app.post("/parcours/:id/construire", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    const { db } = c.get("deps");
    const detail = await pathDetail(db, (await uc.loadPathForActor(db, actorOf(c), id)).id);
    const { input, errors } = planFromForm(body, detail.modules);
    if (Object.keys(errors).length) return builder(c, id, body, {}, 422);
    try {
      await uc.savePlan(db, actorOf(c), id, input);
      return c.redirect(`/parcours/${id}/construire?ok=1`, 303);
    } catch (error) {
      return builder(c, id, body, { violations: violationsOf(error) }, 422);
    }
  });

  // Live check (htmx): the panel only, nothing saved.
  app.post("/parcours/:id/verifier", async (c) => {
    const id = c.req.param("id");
    const { db } = c.get("deps");
    const actor = actorOf(c);
    await uc.loadPathForActor(db, actor, id);
    const detail = await pathDetail(db, id);
    const { input, errors } = planFromForm(await formBody(c), detail.modules);
    const formViolations: Violation[] = Object.values(errors).map((message) => ({ code: "SAISIE", severity: "error", message, article: "" }));
    if (formViolations.length || !input.entryDate || !input.plannedExitDate) return c.html(<ChecksPanel extra={formViolations} />);
    try {
      return c.html(<ChecksPanel evaluation={await uc.checkPlan(db, actor, id, input)} />);
    } catch (error) {
      return c.html(<ChecksPanel extra={violationsOf(error)} />);
    }
  });

  app.post("/parcours/:id/positionnement", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    try {
      const minutes = parseDuration(str(body.minutes));
      const recommended = str(body.recommendedMinutes) ? parseDuration(str(body.recommendedMinutes)) : undefined;
      if (minutes === undefined) throw new DomainError("VALIDATION", 400, `Durée du positionnement illisible : « ${str(body.minutes)} » (ex. 3, 3h30).`, [{ code: "VALIDATION", severity: "error", message: "Durée du positionnement illisible (ex. 3, 3h30).", article: "", field: "minutes" }]);
      const input = PositioningInput.parse({
        minutes,
        evaluations: str(body.evaluations),
        startedOn: str(body.startedOn),
        restitutionOn: str(body.restitutionOn),
        priorLearning: str(body.priorLearning),
        competences: str(body.competences),
        recommendedExemptions: str(body.recommendedExemptions),
        recommendedMinutes: recommended,
        recommendedMethods: str(body.recommendedMethods),
        recommendsAccessSite: body.recommendsAccessSite === "1",
      });
      await uc.recordPositioning(c.get("deps").db, actorOf(c), id, input);
      return c.redirect(`/parcours/${id}?ok=1#pos-title`, 303);
    } catch (error) {
      return renderPath(c, id, { refused: { section: "positioning", violations: violationsOf(error), body } }, 422);
    }
  });

  app.post("/parcours/:id/valider", async (c) => {
    const id = c.req.param("id");
    try {
      await uc.validatePath(c.get("deps").db, actorOf(c), id);
      return c.redirect(`/parcours/${id}?ok=1`, 303);
    } catch (error) {
      return renderPath(c, id, { refused: { section: "status", violations: violationsOf(error) } }, 422);
    }
  });

  app.post("/parcours/:id/sortie", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    try {
      const status = str(body.status) === "closed" ? "closed" : "dropped";
      await uc.exitPath(c.get("deps").db, actorOf(c), id, { status, actualExitDate: str(body.actualExitDate), reason: str(body.exitReason) || undefined });
      return c.redirect(`/parcours/${id}?ok=1`, 303);
    } catch (error) {
      return renderPath(c, id, { refused: { section: "status", violations: violationsOf(error), body } }, 422);
    }
  });

  app.post("/parcours/:id/caution", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    try {
      const input = DepositInput.parse({ amountCents: centsFromEuros(str(body.amount)), material: str(body.material), takenOn: str(body.takenOn) });
      await uc.recordDeposit(c.get("deps").db, actorOf(c), c.get("deps").clock, id, input);
      return c.redirect(`/parcours/${id}?ok=1#dep-title`, 303);
    } catch (error) {
      const vs = violationsOf(error).map((v) => (v.field === "amountCents" ? { ...v, message: "Montant illisible (ex. 150 ou 49,90).", field: "amount" } : v));
      return renderPath(c, id, { refused: { section: "deposit", violations: vs, body } }, 422);
    }
  });

  app.post("/cautions/:id/restitution", async (c) => {
    const body = await formBody(c);
    const pathId = str(body.pathId);
    try {
      await uc.settleDeposit(c.get("deps").db, actorOf(c), c.req.param("id"), { refundedOn: str(body.refundedOn) || undefined, keptReason: str(body.keptReason) || undefined });
      return c.redirect(`/parcours/${pathId}?ok=1#dep-title`, 303);
    } catch (error) {
      return renderPath(c, pathId, { refused: { section: "deposit", violations: violationsOf(error) } }, 422);
    }
  });
}

