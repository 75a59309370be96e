import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { isProviderStaff } from "../../core/auth/actor.ts";
import { DomainError, invalid } from "../../core/errors.ts";
import { publicUrl } from "../../core/http/client.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import type { Violation } from "../../core/rules.ts";
import { addDays, parisDate } from "../../core/time.ts";
import { registerScheduleApi } from "./api.ts";
import { isoWeekOf, mondayOfIsoWeek } from "./calendar.ts";
import { CalendarPage } from "./pages/calendar.tsx";
import { ClosuresPage, GeneratePage, MySchedulePage } from "./pages/other.tsx";
import { OtherFundedPage } from "./pages/other-funded.tsx";
import { NewSlotPage, type SlotBody, SlotPage } from "./pages/slot.tsx";
import { CancelInput, ClosureInput, GenerateInput, OtherFundedInput, SlotFields } from "./schema.ts";
import * as uc from "./use-cases.ts";
import { requireCapability } from "../../core/auth/roles.ts";

const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? "") : typeof v === "string" ? v : "");
const many = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === "string" && v ? [v] : []);
const formOf = async (c: Ctx) => (await c.req.parseBody({ all: true })) as SlotBody;
const flat = (b: SlotBody) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, one(v)]));

/** zod issues → violations carrying the field, so the page shows each message next to its field. */
function violationsOf(error: unknown): Violation[] {
  if (error instanceof DomainError) return error.violations.length ? error.violations : [{ code: error.code, severity: "error", message: error.detail, article: "" }];
  if (error instanceof z.ZodError) return error.issues.map((i) => ({ code: "VALIDATION", severity: "error" as const, message: i.message, article: "", field: String(i.path[0] ?? "") }));
  throw error;
}

const slotFromForm = (b: SlotBody) =>
  SlotFields.parse({
    pathIds: many(b.pathIds),
    moduleId: one(b.moduleId),
    siteId: one(b.siteId),
    date: one(b.date),
    startTime: one(b.startTime),
    endTime: one(b.endTime),
    modality: one(b.modality),
    selfStudyLocation: one(b.selfStudyLocation) || undefined,
    trainerId: one(b.trainerId),
    place: one(b.place),
    virtualRoomUrl: one(b.virtualRoomUrl),
    objectives: one(b.objectives),
    deliverables: one(b.deliverables),
    resources: one(b.resources),
    holidayOverride: one(b.holidayOverride) === "1",
    // The form lists the group's other-funded trainees: none ticked means none on the slot.
    otherFundedIds: many(b.otherFundedIds),
  });

function requireStaffOrRegion(c: Ctx) {
  const actor = actorOf(c);
  if (actor.role !== "region_officer" && !isProviderStaff(actor)) throw new DomainError("FORBIDDEN", 403, "Le planning est réservé aux organismes et à la Région.");
  return actor;
}

export function registerSchedule(app: OpenAPIHono<AppEnv>) {
  registerScheduleApi(app);

  app.get("/planning", async (c) => {
    const actor = requireStaffOrRegion(c);
    const { db, clock } = c.get("deps");
    const week = c.req.query("semaine") || isoWeekOf(parisDate(clock.now()));
    const monday = mondayOfIsoWeek(week);
    if (!monday) throw invalid(`Semaine inconnue : « ${week} » (format AAAA-Www).`);
    const siteId = c.req.query("site") || undefined;
    const trainerId = c.req.query("formateur") || undefined;
    const choices = isProviderStaff(actor) ? await uc.schedulingChoices(db, actor) : { sites: [], staff: [] };
    const [slots, closures] = await Promise.all([uc.listSlots(db, actor, { from: monday, to: addDays(monday, 6), siteId, trainerId }), uc.listClosures(db, actor, monday)]);
    const warnings = slots.flatMap(uc.slotWarnings);
    const notice = c.req.query("ok") ? "Enregistré." : undefined;
    return c.html(<CalendarPage c={c} week={week} monday={monday} slots={slots} closures={closures.filter((x) => x.start_date <= addDays(monday, 6))} sites={choices.sites} staff={choices.staff} siteId={siteId} trainerId={trainerId} canWrite={uc.canWriteSchedule(actor)} warnings={warnings} notice={notice} />);
  });

  const newForm = async (c: Ctx, lineId: string | undefined, body: SlotBody, violations?: Violation[]) => {
    const actor = actorOf(c);
    requireCapability(actor, "schedule.write");
    const choices = await uc.schedulingChoices(c.get("deps").db, actor);
    return c.html(<NewSlotPage c={c} choices={choices} lineId={lineId} body={body} violations={violations} />, violations ? 422 : 200);
  };

  app.get("/planning/creneaux/nouveau", (c) => newForm(c, c.req.query("ligne") || undefined, { startTime: "09:00", endTime: "12:30", modality: "centre" }));

  app.post("/planning/creneaux/nouveau", async (c) => {
    const body = await formOf(c);
    const lineId = one(body.orderLineId);
    try {
      const { id } = await uc.createSlot(c.get("deps").db, actorOf(c), { ...slotFromForm(body), orderLineId: lineId });
      return c.redirect(`/planning/creneaux/${id}?ok=1`, 303);
    } catch (error) {
      return newForm(c, lineId, body, violationsOf(error));
    }
  });

  const slotPage = async (c: Ctx, id: string, extra: { body?: SlotBody; violations?: Violation[]; section?: string; notice?: string } = {}, status = 200) => {
    const actor = actorOf(c);
    const { db } = c.get("deps");
    const slot = await uc.getSlotForActor(db, actor, id);
    if (actor.role === "trainee") return c.redirect("/mon-planning");
    const canWrite = uc.canWriteSchedule(actor) && actor.providerId === slot.providerId;
    const choices = canWrite ? await uc.schedulingChoices(db, actor) : undefined;
    return c.html(<SlotPage c={c} slot={slot} choices={choices} canWrite={canWrite} warnings={await uc.slotFindings(db, slot)} {...extra} />, status as 200);
  };

  app.get("/planning/creneaux/:id", (c) => slotPage(c, c.req.param("id"), { notice: c.req.query("ok") ? "Enregistré." : undefined }));

  app.post("/planning/creneaux/:id", async (c) => {
    const id = c.req.param("id");
    const body = await formOf(c);
    try {
      await uc.updateSlot(c.get("deps").db, actorOf(c), id, slotFromForm(body));
      return c.redirect(`/planning/creneaux/${id}?ok=1`, 303);
    } catch (error) {
      return slotPage(c, id, { body, violations: violationsOf(error), section: "edit" }, 422);
    }
  });

  app.post("/planning/creneaux/:id/annuler", async (c) => {
    const id = c.req.param("id");
    const body = await formOf(c);
    try {
      await uc.cancelSlot(c.get("deps").db, actorOf(c), id, CancelInput.parse({ reason: one(body.reason), trainerAbsence: one(body.trainerAbsence) === "1" }));
      return c.redirect(`/planning/creneaux/${id}?ok=1`, 303);
    } catch (error) {
      return slotPage(c, id, { violations: violationsOf(error), section: "cancel" }, 422);
    }
  });

  app.post("/planning/creneaux/:id/remplacant", async (c) => {
    const id = c.req.param("id");
    const body = await formOf(c);
    try {
      const replacement = one(body.replacementTrainerId);
      if (!z.string().uuid().safeParse(replacement).success) throw invalid("Choisissez le formateur ou la formatrice remplaçant·e.", [{ code: "VALIDATION", severity: "error", message: "Choisissez le formateur ou la formatrice remplaçant·e.", article: "", field: "replacementTrainerId" }]);
      await uc.recordReplacement(c.get("deps").db, actorOf(c), id, replacement);
      return c.redirect(`/planning/creneaux/${id}?ok=1`, 303);
    } catch (error) {
      return slotPage(c, id, { violations: violationsOf(error), section: "replacement" }, 422);
    }
  });

  app.post("/planning/creneaux/:id/supprimer", async (c) => {
    const { db } = c.get("deps");
    const slot = await uc.getSlotForActor(db, actorOf(c), c.req.param("id"));
    await uc.deleteSlot(db, actorOf(c), slot.id);
    return c.redirect(`/planning?semaine=${isoWeekOf(slot.date)}&ok=1`, 303);
  });

  const generatePage = async (c: Ctx, body: Record<string, string>, extra: { violations?: Violation[]; result?: uc.GenerateResult } = {}, status = 200) => {
    const actor = actorOf(c);
    requireCapability(actor, "schedule.write");
    const choices = await uc.schedulingChoices(c.get("deps").db, actor);
    return c.html(<GeneratePage c={c} choices={choices} body={body} {...extra} />, status as 200);
  };

  app.get("/planning/generer", (c) => generatePage(c, { week: c.req.query("semaine") || isoWeekOf(parisDate(c.get("deps").clock.now())) }));

  app.post("/planning/generer", async (c) => {
    const body = flat(await formOf(c));
    try {
      const result = await uc.generateSlots(c.get("deps").db, actorOf(c), GenerateInput.parse(body));
      return generatePage(c, body, { result });
    } catch (error) {
      return generatePage(c, body, { violations: violationsOf(error) }, 422);
    }
  });

  const closuresPage = async (c: Ctx, body?: Record<string, string>, violations?: Violation[]) => {
    const actor = requireStaffOrRegion(c);
    const { db, clock } = c.get("deps");
    const closures = await uc.listClosures(db, actor, parisDate(clock.now()));
    const sites = isProviderStaff(actor) ? (await uc.schedulingChoices(db, actor)).sites : [];
    return c.html(<ClosuresPage c={c} closures={closures} sites={sites} canWrite={uc.canWriteSchedule(actor)} body={body} violations={violations} />, violations ? 422 : 200);
  };

  app.get("/planning/fermetures", (c) => closuresPage(c));

  app.post("/planning/fermetures", async (c) => {
    const body = flat(await formOf(c));
    try {
      await uc.createClosure(c.get("deps").db, actorOf(c), ClosureInput.parse(body));
      return c.redirect("/planning/fermetures", 303);
    } catch (error) {
      return closuresPage(c, body, violationsOf(error));
    }
  });

  app.post("/planning/fermetures/:id/supprimer", async (c) => {
    await uc.deleteClosure(c.get("deps").db, actorOf(c), c.req.param("id"));
    return c.redirect("/planning/fermetures", 303);
  });

  const otherFundedPage = async (c: Ctx, body?: Record<string, string>, violations?: Violation[]) => {
    const actor = requireStaffOrRegion(c);
    const { db } = c.get("deps");
    const trainees = await uc.listOtherFunded(db, actor);
    const choices = isProviderStaff(actor) ? await uc.schedulingChoices(db, actor) : undefined;
    const components = [...new Map((choices?.lines ?? []).map((l) => [l.component_id, { id: l.component_id, title: l.title }])).values()];
    return c.html(<OtherFundedPage c={c} trainees={trainees} components={components} sites={choices?.sites ?? []} canWrite={uc.canWriteSchedule(actor)} body={body} violations={violations} />, violations ? 422 : 200);
  };

  app.get("/planning/autres-financeurs", (c) => otherFundedPage(c));

  app.post("/planning/autres-financeurs", async (c) => {
    const body = flat(await formOf(c));
    try {
      await uc.recordOtherFunded(c.get("deps").db, actorOf(c), OtherFundedInput.parse(body));
      return c.redirect("/planning/autres-financeurs", 303);
    } catch (error) {
      return otherFundedPage(c, body, violationsOf(error));
    }
  });

  app.post("/planning/autres-financeurs/:id/supprimer", async (c) => {
    try {
      await uc.deleteOtherFunded(c.get("deps").db, actorOf(c), c.req.param("id"));
      return c.redirect("/planning/autres-financeurs", 303);
    } catch (error) {
      // Unknown, or another provider's: the same error page (no existence leak); a refusal is shown on the list.
      if (error instanceof DomainError && error.status === 404) throw error;
      return otherFundedPage(c, undefined, violationsOf(error));
    }
  });

  // The trainee's own schedule (phone first) and their secret iCalendar link.
  app.get("/mon-planning", async (c) => {
    const { db, clock } = c.get("deps");
    const slots = await uc.mySchedule(db, actorOf(c), parisDate(clock.now()));
    return c.html(<MySchedulePage c={c} slots={slots} />);
  });

  app.post("/mon-planning/agenda", async (c) => {
    const { db, clock } = c.get("deps");
    const actor = actorOf(c);
    const token = await uc.issueCalendarToken(db, actor);
    const slots = await uc.mySchedule(db, actor, parisDate(clock.now()));
    return c.html(<MySchedulePage c={c} slots={slots} feedUrl={`${publicUrl(c)}/planning/${token}.ics`} />);
  });

  // Public: the secret token in the URL is the credential (calendar apps cannot log in).
  app.get("/planning/:file{[A-Za-z0-9_-]{20,}\\.ics}", async (c) => {
    const { db, clock } = c.get("deps");
    const now = clock.now();
    const token = c.req.param("file").replace(/\.ics$/, "");
    const ics = await uc.calendarFeed(db, token, now, parisDate(now), publicUrl(c));
    if (!ics) return c.text("Lien d'agenda inconnu ou remplacé.", 404);
    return c.body(ics, 200, { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, max-age=300" });
  });
}
