import type { OpenAPIHono } from "@hono/zod-openapi";
import { keysetPageLenient, readListQuery } from "../../core/listing.ts";
import { MEETING_PAGE_SIZE, MeetingListQuery, SessionListQuery } from "./store.ts";
import { z } from "zod";
import { isProviderStaff } from "../../core/auth/actor.ts";
import { DomainError } from "../../core/errors.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import type { Violation } from "../../core/rules.ts";
import { parisDate } from "../../core/time.ts";
import { exportScope, registerSessionsApi, sendLheo } from "./api.ts";
import { CataloguePage, PublicSessionPage } from "./pages/catalogue.tsx";
import { MeetingFormPage, SessionFormPage, SessionsPage } from "./pages/manage.tsx";
import { registerSessionDepartementsPage } from "./pages/departements.tsx";
import { INFO_CONTENT_ITEMS } from "./rules.ts";
import * as uc from "./use-cases.ts";

type Body = Record<string, string>;
const today = (c: Ctx) => parisDate(c.get("deps").clock.now());
const formBody = async (c: Ctx): Promise<Body> => Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === "string" ? v : ""]));

/** Refusals as violations next to their fields; CP-INFO-CONTENT marks each missing item (code …-ITEM, not listed twice). */
function violationsOf(error: unknown): Violation[] {
  if (error instanceof z.ZodError) return error.issues.map((i) => ({ code: "VALIDATION", severity: "error", message: i.message, article: "", field: i.path.join(".") }));
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 403 || error.status === 404) throw error;
  const base: Violation[] = error.violations.length ? error.violations : [{ code: error.code, severity: "error", message: error.detail, article: "" }];
  return base.flatMap((v) => {
    if (v.code !== "CP-INFO-CONTENT") return [v];
    const items = ((v.details?.missing as string[]) ?? []).map((key) => ({
      code: "CP-INFO-CONTENT-ITEM",
      severity: "error" as const,
      article: v.article,
      field: `content.${key}`,
      message: `À renseigner pour publier : ${INFO_CONTENT_ITEMS.find((i) => i.key === key)?.label} (CP-INFO-CONTENT).`,
    }));
    return [{ ...v, field: undefined }, ...items];
  });
}
export const listed = (vs: Violation[]) => vs.filter((v) => v.code !== "CP-INFO-CONTENT-ITEM");

const splitLineSite = (value: string | undefined) => {
  const [orderLineId = "", siteId = ""] = (value ?? "").split("|");
  return { orderLineId, siteId: siteId || null };
};

const sessionInput = (b: Body) => ({
  ...splitLineSite(b.lineSite),
  startDate: b.startDate ?? "",
  endDate: b.endDate ?? "",
  places: b.places ? Number(b.places) : Number.NaN,
  recruitmentOpen: b.recruitmentOpen === "1",
  recruitmentStart: b.recruitmentStart || null,
  recruitmentEnd: b.recruitmentEnd || null,
});

const meetingInput = (b: Body) => ({
  ...splitLineSite(b.lineSite),
  meetingDate: b.meetingDate ?? "",
  startTime: b.startTime ?? "",
  endTime: b.endTime ?? "",
  place: b.place || null,
  remoteUrl: b.remoteUrl || null,
  content: Object.fromEntries(INFO_CONTENT_ITEMS.map((i) => [i.key, b[`content.${i.key}`] || null])),
});

const sessionBody = (s: uc.SessionRow): Body => ({
  lineSite: `${s.order_line_id}|${s.site_id ?? ""}`,
  startDate: s.start_date,
  endDate: s.end_date,
  places: String(s.places),
  recruitmentOpen: s.recruitment_open ? "1" : "",
  recruitmentStart: s.recruitment_start ?? "",
  recruitmentEnd: s.recruitment_end ?? "",
});

const meetingBody = (m: uc.MeetingRow): Body => {
  const content = (m.content ?? {}) as Record<string, string | null>;
  return {
    lineSite: `${m.order_line_id}|${m.site_id ?? ""}`,
    meetingDate: m.meeting_date,
    startTime: m.start_time.slice(0, 5),
    endTime: m.end_time.slice(0, 5),
    place: m.place ?? "",
    remoteUrl: m.remote_url ?? "",
    ...Object.fromEntries(INFO_CONTENT_ITEMS.map((i) => [`content.${i.key}`, content[i.key] ?? ""])),
  };
};

const notices: Record<string, string> = {
  created: "Session enregistrée (brouillon) : publiez-la pour qu'elle paraisse au catalogue.",
  published: "Publiée : elle paraît dans le catalogue public et le flux LHEO.",
  saved: "Modifications enregistrées.",
  deleted: "Brouillon supprimé.",
};

export function registerSessions(app: OpenAPIHono<AppEnv>) {
  registerSessionsApi(app);
  registerSessionDepartementsPage(app);

  const listPage = async (c: Ctx, extra: { violations?: Violation[]; notice?: string } = {}, status = 200) => {
    const actor = actorOf(c);
    const { db } = c.get("deps");
    const read = readListQuery(SessionListQuery, c.req.query());
    const { page, notice } = await keysetPageLenient((p) => uc.pageSessionsForActor(db, actor, { ...read.params, ...p }), read.params);
    const meetingRead = readListQuery(MeetingListQuery, c.req.query());
    const meetingPage = await keysetPageLenient((p) => uc.pageMeetingsForActor(db, actor, { ...meetingRead.params, icAfter: p.after }, today(c)), { sort: meetingRead.params.ic, after: meetingRead.params.icAfter, limit: MEETING_PAGE_SIZE });
    const warnings = await uc.infoRegularWarnings(db, actor, today(c));
    const canWrite = isProviderStaff(actor) && actor.role !== "trainer";
    return c.html(
      <SessionsPage
        c={c}
        page={page}
        params={read.params}
        listNotice={notice ?? read.notice}
        meetings={meetingPage.page}
        meetingParams={meetingRead.params}
        meetingNotice={meetingPage.notice ?? meetingRead.notice}
        warnings={[...(extra.violations ?? []), ...warnings]}
        canWrite={canWrite}
        isRegion={actor.role === "region_officer"}
        notice={extra.notice}
      />,
      status as 200,
    );
  };

  app.get("/sessions", (c) => listPage(c, { notice: notices[c.req.query("ok") ?? ""] }));
  app.get("/sessions/offre-lheo.xml", (c) => sendLheo(c, exportScope(c), "offre-lheo.xml"));

  // ---- Sessions ----
  const sessionForm = async (c: Ctx, body: Body, violations?: Violation[], editingId?: string) => {
    const { db } = c.get("deps");
    const actor = actorOf(c);
    const lines = await uc.publishableLines(db, actor);
    const editing = editingId ? await uc.getSessionForActor(db, actor, editingId) : undefined;
    return c.html(<SessionFormPage c={c} lines={lines} body={body} violations={violations} editing={editing} />, violations ? 422 : 200);
  };

  app.get("/sessions/nouvelle", (c) => sessionForm(c, { recruitmentOpen: "1" }));
  app.post("/sessions/nouvelle", async (c) => {
    const b = await formBody(c);
    const { db, clock } = c.get("deps");
    try {
      await uc.createSession(db, actorOf(c), sessionInput(b), { publishAt: b.publish === "1" ? clock.now() : undefined });
      return c.redirect(`/sessions?ok=${b.publish === "1" ? "published" : "created"}`, 303);
    } catch (e) {
      return sessionForm(c, b, violationsOf(e));
    }
  });

  app.get("/sessions/:id/modifier", async (c) => {
    const s = await uc.getSessionForActor(c.get("deps").db, actorOf(c), c.req.param("id"));
    return sessionForm(c, sessionBody(s), undefined, s.id);
  });
  app.post("/sessions/:id/modifier", async (c) => {
    const id = c.req.param("id");
    const b = await formBody(c);
    const { db, clock } = c.get("deps");
    try {
      const { orderLineId: _, ...patch } = sessionInput(b);
      await uc.updateSession(db, actorOf(c), id, patch);
      if (b.publish === "1") await uc.publishSession(db, actorOf(c), id, clock.now());
      return c.redirect(`/sessions?ok=${b.publish === "1" ? "published" : "saved"}`, 303);
    } catch (e) {
      return sessionForm(c, b, violationsOf(e), id);
    }
  });
  app.post("/sessions/:id/publier", async (c) => {
    const { db, clock } = c.get("deps");
    try {
      await uc.publishSession(db, actorOf(c), c.req.param("id"), clock.now());
      return c.redirect("/sessions?ok=published", 303);
    } catch (e) {
      return listPage(c, { violations: listed(violationsOf(e)) }, 422);
    }
  });
  app.post("/sessions/:id/supprimer", async (c) => {
    try {
      await uc.deleteSession(c.get("deps").db, actorOf(c), c.req.param("id"));
      return c.redirect("/sessions?ok=deleted", 303);
    } catch (e) {
      return listPage(c, { violations: listed(violationsOf(e)) }, 409);
    }
  });

  // ---- Information meetings ----
  const meetingForm = async (c: Ctx, body: Body, violations?: Violation[], editingId?: string) => {
    const { db } = c.get("deps");
    const actor = actorOf(c);
    const lines = await uc.publishableLines(db, actor);
    const editing = editingId ? await uc.getMeetingForActor(db, actor, editingId) : undefined;
    return c.html(<MeetingFormPage c={c} lines={lines} body={body} violations={violations} editing={editing} />, violations ? 422 : 200);
  };

  app.get("/informations-collectives/nouvelle", (c) => meetingForm(c, {}));
  app.post("/informations-collectives/nouvelle", async (c) => {
    const b = await formBody(c);
    const { db, clock } = c.get("deps");
    try {
      await uc.createMeeting(db, actorOf(c), meetingInput(b), { publishAt: b.publish === "1" ? clock.now() : undefined });
      return c.redirect(`/sessions?ok=${b.publish === "1" ? "published" : "saved"}`, 303);
    } catch (e) {
      return meetingForm(c, b, violationsOf(e));
    }
  });
  app.get("/informations-collectives/:id/modifier", async (c) => {
    const m = await uc.getMeetingForActor(c.get("deps").db, actorOf(c), c.req.param("id"));
    return meetingForm(c, meetingBody(m), undefined, m.id);
  });
  app.post("/informations-collectives/:id/modifier", async (c) => {
    const id = c.req.param("id");
    const b = await formBody(c);
    const { db, clock } = c.get("deps");
    try {
      const { orderLineId: _, ...patch } = meetingInput(b);
      await uc.updateMeeting(db, actorOf(c), id, patch);
      if (b.publish === "1") await uc.publishMeeting(db, actorOf(c), id, clock.now());
      return c.redirect(`/sessions?ok=${b.publish === "1" ? "published" : "saved"}`, 303);
    } catch (e) {
      return meetingForm(c, b, violationsOf(e), id);
    }
  });
  app.post("/informations-collectives/:id/publier", async (c) => {
    const id = c.req.param("id");
    const { db, clock } = c.get("deps");
    try {
      await uc.publishMeeting(db, actorOf(c), id, clock.now());
      return c.redirect("/sessions?ok=published", 303);
    } catch (e) {
      // Show the form with each missing item marked.
      const m = await uc.getMeetingForActor(db, actorOf(c), id);
      return meetingForm(c, meetingBody(m), violationsOf(e), id);
    }
  });
  app.post("/informations-collectives/:id/supprimer", async (c) => {
    try {
      await uc.deleteMeeting(c.get("deps").db, actorOf(c), c.req.param("id"));
      return c.redirect("/sessions?ok=deleted", 303);
    } catch (e) {
      return listPage(c, { violations: listed(violationsOf(e)) }, 409);
    }
  });

  // ---- Public catalogue (no login) ----
  app.get("/catalogue", async (c) => {
    const { db } = c.get("deps");
    const [data, departements] = await Promise.all([uc.catalogue(db, c.req.query(), today(c)), uc.listDepartements(db)]);
    return c.html(<CataloguePage c={c} data={data} departements={departements} />);
  });
  app.get("/catalogue/sessions/:id", async (c) => {
    const data = await uc.publicSession(c.get("deps").db, c.req.param("id"), today(c));
    return c.html(<PublicSessionPage c={c} data={data} />);
  });
}
