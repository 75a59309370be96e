// Pages of attendance: /emargement (trainer), /signer (trainee's phone), /lien/:token (remote,
// tutor), /appareil/:token (phone enrolment), /preuves (Region). JSON twins live in api.ts.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { DomainError } from "../../core/errors.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, secondsUntil } from "../../core/http/context.ts";
import { requireRole } from "../../core/auth/actor.ts";
import type { Violation } from "../../core/rules.ts";
import { parisDate } from "../../core/time.ts";
import { registerAttendanceApi } from "./api.ts";
import { baseUrl, requestMeta, signerOf } from "./http.ts";
import { DevicesPage, EvidencePage, HelpPage, qrSvg } from "./pages/admin.tsx";
import { QrBlock, LiveList, SlotPage, TodayPage } from "./pages/sheet.tsx";
import { ProjectionPage } from "./pages/projection.tsx";
import { withTypedSignature } from "./typed-signature.ts";
import { LinkDonePage } from "./pages/link-done.tsx";
import { DeviceClaimPage, LinkPage, MySlotsPage, SignPage } from "./pages/signer.tsx";
import { makeCode } from "./qr.ts";
import { AnswerInput, CountersignInput, DeviceInput, HelpInput, KioskInput, LinkInput, LinkSignInput, MarkInput, SelfStudyInput, SignInput } from "./schema.ts";
import { attendanceSettings } from "./settings.ts";
import * as uc from "./use-cases.ts";

const str = (v: unknown) => (typeof v === "string" ? v : "");
const now = (c: Ctx) => c.get("deps").clock.now();
const form = async (c: Ctx) => Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === "string" ? v : ""]));

function violationsOf(error: unknown): Violation[] {
  if (error instanceof DomainError) return error.violations.length ? error.violations : [{ code: error.code, severity: "error", message: error.detail, article: "" }];
  if (error instanceof z.ZodError) return error.issues.map((i) => ({ code: "VALIDATION", severity: "error" as const, message: i.message, article: "", field: String(i.path[0] ?? "") }));
  throw error;
}
/** Refusals that must not be shown as a form error (access, missing things) go to the error page. */
const rethrowAccess = (error: unknown) => {
  if (error instanceof DomainError && [401, 403, 404].includes(error.status) && !error.code.startsWith("CP-")) throw error;
};

async function qrFor(c: Ctx, slotId: string) {
  const s = attendanceSettings();
  const url = `${baseUrl(c)}/signer/${slotId}?c=${makeCode(s.secret, slotId, now(c))}`;
  return { svg: await qrSvg(url), url, refreshSeconds: s.qrRefreshSeconds };
}

async function renderSlot(c: Ctx, slotId: string, extra: { violations?: Violation[]; notice?: string; link?: { url: string; purpose: string } } = {}, status = 200) {
  const { db } = c.get("deps");
  const actor = actorOf(c);
  const sheet = await uc.sheetOf(db, actor, slotId);
  let canWrite = true;
  try {
    uc.canWriteSlot(actor, sheet.slot);
  } catch {
    canWrite = false;
  }
  const qr = canWrite && sheet.slot.status === "open" ? await qrFor(c, slotId) : undefined;
  return c.html(<SlotPage c={c} sheet={sheet} canWrite={canWrite} qr={qr} {...extra} />, status as 200);
}

/** Runs a trainer's command from a form: 303 back to the sheet, or the sheet with the French messages (422). */
async function slotCommand(c: Ctx, run: (body: Record<string, string>) => Promise<string | undefined | { url: string; purpose: string }>) {
  const slotId = c.req.param("slotId") ?? "";
  const body = await form(c);
  try {
    const result = await run(body);
    if (result && typeof result === "object") return renderSlot(c, slotId, { link: result });
    return c.redirect(`/emargement/${slotId}${result ? `?ok=${encodeURIComponent(result)}` : ""}`, 303);
  } catch (error) {
    rethrowAccess(error);
    return renderSlot(c, slotId, { violations: violationsOf(error) }, 422);
  }
}

const notices: Record<string, string> = {
  ouvert: "Émargement ouvert : affichez le QR code aux stagiaires.",
  marque: "Présence enregistrée.",
  kiosque: "Signature enregistrée.",
  contresigne: "Feuille contresignée et close.",
  papier: "Feuille papier enregistrée.",
};

export function registerAttendance(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent("securitySchemes", "deviceCookie", { type: "apiKey", in: "cookie", name: uc.DEVICE_COOKIE });
  registerAttendanceApi(app);

  // — Trainer —
  app.get("/emargement", async (c) => {
    const slots = await uc.slotsOfDay(c.get("deps").db, actorOf(c), now(c));
    return c.html(<TodayPage c={c} slots={slots} date={parisDate(now(c))} />);
  });

  app.get("/emargement/appareils", async (c) => {
    const { trainees, devices } = await uc.devicesOfProvider(c.get("deps").db, actorOf(c), now(c));
    return c.html(<DevicesPage c={c} trainees={trainees} devices={devices} />);
  });
  app.post("/emargement/appareils", async (c) => {
    const { db } = c.get("deps");
    const actor = actorOf(c);
    const input = DeviceInput.parse(await form(c));
    const d = await uc.enrolDevice(db, actor, now(c), input.traineeId, input.label || undefined);
    const { trainees, devices } = await uc.devicesOfProvider(db, actor, now(c));
    const t = trainees.find((x) => x.id === input.traineeId);
    const url = `${baseUrl(c)}/appareil/${d.token}`;
    return c.html(<DevicesPage c={c} trainees={trainees} devices={devices} enrolment={{ url, svg: await qrSvg(url), name: `${t?.first_name} ${t?.last_name}` }} />);
  });
  app.post("/emargement/appareils/:id/revoquer", async (c) => {
    await uc.revokeDevice(c.get("deps").db, actorOf(c), now(c), c.req.param("id"));
    return c.redirect("/emargement/appareils", 303);
  });

  app.get("/emargement/aide", async (c) => {
    const rows = await uc.helpRequests(c.get("deps").db, actorOf(c), now(c), {});
    return c.html(<HelpPage c={c} rows={rows} />);
  });
  app.post("/emargement/aide/:id", async (c) => {
    const { answer } = AnswerInput.parse(await form(c));
    await uc.answerHelp(c.get("deps").db, actorOf(c), now(c), c.req.param("id"), answer);
    return c.redirect("/emargement/aide", 303);
  });

  app.get("/emargement/:slotId", (c) => renderSlot(c, c.req.param("slotId"), { notice: notices[c.req.query("ok") ?? ""] }));

  app.get("/emargement/:slotId/qr", async (c) => {
    const { db } = c.get("deps");
    const actor = actorOf(c);
    const slot = await uc.loadSlotForActor(db, actor, c.req.param("slotId"));
    uc.canWriteSlot(actor, slot);
    if (slot.status !== "open") return c.html(<div id="qr"></div>);
    return c.html(<QrBlock slotId={slot.id} {...await qrFor(c, slot.id)} />);
  });

  // Full-screen QR code for projecting in the room (issue 10 point 6): the sheet's writers only.
  app.get("/emargement/:slotId/projection", async (c) => {
    const { db } = c.get("deps");
    const actor = actorOf(c);
    const sheet = await uc.sheetOf(db, actor, c.req.param("slotId"));
    uc.canWriteSlot(actor, sheet.slot);
    if (sheet.slot.status !== "open") return c.redirect(`/emargement/${sheet.slot.id}`, 303);
    const s = sheet.slot;
    return c.html(<ProjectionPage c={c} slotId={s.id} title={sheet.heading.module_title ?? sheet.heading.component_title} date={s.slot_date} start={s.start_time} end={s.end_time} qr={await qrFor(c, s.id)} />);
  });

  app.get("/emargement/:slotId/liste", async (c) => {
    const { db } = c.get("deps");
    const actor = actorOf(c);
    const sheet = await uc.sheetOf(db, actor, c.req.param("slotId"));
    let canWrite = true;
    try {
      uc.canWriteSlot(actor, sheet.slot);
    } catch {
      canWrite = false;
    }
    return c.html(<LiveList sheet={sheet} canWrite={canWrite && sheet.slot.status !== "cancelled"} csrf={c.get("csrfToken") ?? ""} />);
  });

  app.post("/emargement/:slotId/ouvrir", (c) =>
    slotCommand(c, async () => {
      await uc.openSlot(c.get("deps").db, actorOf(c), c.req.param("slotId"));
      return "ouvert";
    }),
  );
  app.post("/emargement/:slotId/marquer", (c) =>
    slotCommand(c, async (b) => {
      const input = MarkInput.parse({ pathId: b.pathId, status: b.status, lateMinutes: b.status === "late" ? b.lateMinutes || "0" : "0", reason: b.reason || undefined });
      await uc.markAttendance(c.get("deps").db, actorOf(c), now(c), requestMeta(c), c.req.param("slotId"), input);
      return "marque";
    }),
  );
  app.post("/emargement/:slotId/kiosque", (c) =>
    slotCommand(c, async (b) => {
      const actor = actorOf(c);
      const input = KioskInput.parse({ pathId: b.pathId, identityConfirmed: b.identityConfirmed === "1", signature: withTypedSignature(b).signature });
      await uc.signKiosk(c.get("deps").db, actor, now(c), requestMeta(c), c.req.param("slotId"), input, (slot) => uc.canWriteSlot(actor, slot));
      return "kiosque";
    }),
  );
  app.post("/emargement/:slotId/contresigner", (c) =>
    slotCommand(c, async (b) => {
      const { signature } = CountersignInput.parse(withTypedSignature(b));
      await uc.countersign(c.get("deps").db, actorOf(c), now(c), requestMeta(c), c.req.param("slotId"), signature);
      return "contresigne";
    }),
  );
  app.post("/emargement/:slotId/lien", (c) =>
    slotCommand(c, async (b) => {
      const link = await uc.createSigningLink(c.get("deps").db, actorOf(c), now(c), c.req.param("slotId"), LinkInput.parse(b));
      return { url: `${baseUrl(c)}/lien/${link.token}`, purpose: b.purpose };
    }),
  );
  app.post("/emargement/:slotId/papier", async (c) => {
    const slotId = c.req.param("slotId");
    const raw = await c.req.parseBody();
    try {
      const entries = Object.keys(raw)
        .filter((k) => k.startsWith("status_") && str(raw[k]))
        .map((k) => {
          const pathId = k.slice("status_".length);
          const status = str(raw[k]);
          return MarkInput.omit({ reason: true }).parse({ pathId, status, lateMinutes: status === "late" ? str(raw[`late_${pathId}`]) || "0" : "0" });
        });
      const file = raw.scan;
      const scan = file instanceof File && file.size > 0 ? { filename: file.name, contentType: file.type, bytes: Buffer.from(await file.arrayBuffer()) } : undefined;
      if (entries.length === 0 && !scan) throw new DomainError("VALIDATION", 422, "Joignez le scan ou saisissez au moins une présence.");
      await uc.recordPaper(c.get("deps").db, actorOf(c), now(c), requestMeta(c), slotId, { entries }, scan);
      return c.redirect(`/emargement/${slotId}?ok=papier`, 303);
    } catch (error) {
      rethrowAccess(error);
      return renderSlot(c, slotId, { violations: violationsOf(error) }, 422);
    }
  });

  // — Trainee's phone (device cookie) or logged-in trainee —
  app.get("/appareil/:token", (c) => c.html(<DeviceClaimPage c={c} token={c.req.param("token")} />));
  app.post("/appareil/:token", async (c) => {
    const { db, config } = c.get("deps");
    try {
      const d = await uc.claimDevice(db, now(c), c.req.param("token"));
      // SameSite=Lax: sent when the camera app opens a /signer URL, never on a cross-site POST.
      setCookie(c, uc.DEVICE_COOKIE, d.token, { httpOnly: true, sameSite: "Lax", secure: config.secureCookies, path: "/", maxAge: secondsUntil(d.expiresAt, now(c)) });
      return c.redirect("/signer", 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      deleteCookie(c, uc.DEVICE_COOKIE, { path: "/" });
      return c.html(<DeviceClaimPage c={c} token="" error={error.detail} />, 410);
    }
  });

  app.get("/signer", async (c) => {
    const signer = await signerOf(c);
    return c.html(<MySlotsPage c={c} name={signer.name} slots={await uc.myDay(c.get("deps").db, signer.traineeId, now(c))} />);
  });

  const signPage = async (c: Ctx, extra: { violations?: Violation[]; code?: string } = {}, status = 200) => {
    const { db } = c.get("deps");
    const signer = await signerOf(c);
    const slot = await uc.mySlot(db, signer.traineeId, c.req.param("slotId") ?? "");
    const help = slot.modality === "self_study" ? await uc.myHelpRequests(db, signer.traineeId, slot.id, now(c)) : [];
    return c.html(<SignPage c={c} slot={slot} recorded={slot.recorded} name={signer.name} code={extra.code ?? c.req.query("c")} violations={extra.violations} help={help} />, status as 200);
  };
  app.get("/signer/:slotId", (c) => signPage(c));

  // Form fallback of the island (which posts JSON to the API and queues offline).
  app.post("/signer/:slotId", async (c) => {
    const { db } = c.get("deps");
    const signer = await signerOf(c);
    const raw = await form(c);
    const slotId = c.req.param("slotId");
    try {
      const b = withTypedSignature(raw);
      if (b.deliverable !== undefined) {
        await uc.recordSelfStudy(db, now(c), signer, requestMeta(c), slotId, SelfStudyInput.parse(b));
      } else {
        await uc.signWithCode(db, now(c), signer, requestMeta(c), SignInput.parse({ ...b, slotId, signedAt: undefined }));
      }
      return c.redirect(`/signer/${slotId}`, 303);
    } catch (error) {
      rethrowAccess(error);
      return signPage(c, { violations: violationsOf(error), code: raw.code }, 422);
    }
  });

  app.post("/signer/:slotId/aide", async (c) => {
    const signer = await signerOf(c);
    const { question } = HelpInput.parse(await form(c));
    await uc.askHelp(c.get("deps").db, now(c), signer, c.req.param("slotId"), question);
    return c.redirect(`/signer/${c.req.param("slotId")}`, 303);
  });

  // — Links (remote trainee, tutor): the token is the credential —
  const linkPage = async (c: Ctx, extra: { violations?: Violation[]; recorded?: uc.SignResult["attendance"] } = {}, status = 200) => {
    const token = c.req.param("token") ?? "";
    const link = await uc.linkContext(c.get("deps").db, now(c), token);
    return c.html(<LinkPage c={c} link={link} token={token} {...extra} />, status as 200);
  };
  app.get("/lien/:token", (c) => linkPage(c));
  app.post("/lien/:token", async (c) => {
    const b = await form(c);
    try {
      const input = LinkSignInput.parse({ signature: b.signature, present: b.present !== "0", signerName: b.signerName || undefined });
      const r = await uc.signByLink(c.get("deps").db, now(c), requestMeta(c), c.req.param("token"), input);
      return c.html(<LinkDonePage c={c} recorded={r.attendance} />);
    } catch (error) {
      if (error instanceof DomainError && error.status === 410) throw error;
      rethrowAccess(error);
      return linkPage(c, { violations: violationsOf(error) }, 422);
    }
  });

  // — Region: evidence audit —
  app.get("/preuves", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    return c.html(<EvidencePage c={c} state={await uc.evidenceAuditState(c.get("deps").db, actor)} />);
  });
  app.post("/preuves/verifier", async (c) => {
    await uc.requestEvidenceAudit(c.get("deps").db, actorOf(c), c.get("deps").clock, { complete: (await form(c)).complete === "1" });
    return c.redirect("/preuves", 303);
  });
}
