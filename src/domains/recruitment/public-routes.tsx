// Pages of the public direct registration (e-formation only): the form, then the confirmation link.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { DomainError, TooManyAttempts } from "../../core/errors.ts";
import { clientAddress, publicUrl } from "../../core/http/client.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { formBody } from "../../core/pages/forms.ts";
import { confirmDirectRegistration, pendingRegistration, registerDirect } from "./direct.ts";
import { candidateFrom, texts, violationsOf } from "./form-input.ts";
import { ConfirmRegistrationPage, DirectRegistrationPage, type DirectStep } from "./pages/public.tsx";
import { DirectRegistrationInput } from "./schema.ts";
import { publicSession } from "./use-cases.ts";

const deps = (c: Ctx) => c.get("deps");
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const STEPS = new Set(["envoye", "confirmee"]);

export function registerDirectRegistration(app: OpenAPIHono<AppEnv>) {
  app.get("/candidater/:sessionId", async (c) => {
    const ok = c.req.query("ok") ?? "";
    const step = (STEPS.has(ok) ? ok : undefined) as DirectStep;
    return c.html(<DirectRegistrationPage c={c} s={await publicSession(deps(c).db, c.req.param("sessionId"))} b={{}} step={step} />);
  });

  app.post("/candidater/:sessionId", async (c) => {
    const sessionId = c.req.param("sessionId");
    const b = texts(await formBody(c));
    const s = await publicSession(deps(c).db, sessionId);
    try {
      await registerDirect(deps(c).db, deps(c).clock, publicUrl(c), sessionId, DirectRegistrationInput.parse(candidateFrom(b)), clientAddress(c));
      return c.redirect(`/candidater/${sessionId}?ok=envoye`, 303);
    } catch (e) {
      if (e instanceof TooManyAttempts) {
        c.header("retry-after", String(e.retryAfterSeconds));
        return c.html(<DirectRegistrationPage c={c} s={s} b={b} violations={[{ code: e.code, severity: "error", message: e.detail, article: "" }]} />, 429);
      }
      return c.html(<DirectRegistrationPage c={c} s={s} b={b} violations={violationsOf(e)} />, 422);
    }
  });

  app.get("/candidature/confirmer/:token", async (c) => {
    const token = c.req.param("token");
    const pending = TOKEN.test(token) ? await pendingRegistration(deps(c).db, deps(c).clock, token) : undefined;
    c.header("cache-control", "no-store");
    return c.html(<ConfirmRegistrationPage c={c} token={token} pending={pending} />, pending ? 200 : 410);
  });

  app.post("/candidature/confirmer/:token", async (c) => {
    const token = c.req.param("token");
    const { db, clock } = deps(c);
    if (!TOKEN.test(token)) return c.html(<ConfirmRegistrationPage c={c} token={token} />, 410);
    const pending = await pendingRegistration(db, clock, token);
    try {
      await confirmDirectRegistration(db, clock, token);
      return c.redirect(`/candidater/${pending?.sessionId}?ok=confirmee`, 303);
    } catch (e) {
      if (e instanceof DomainError && e.code === "REGISTRATION_LINK_INVALID") return c.html(<ConfirmRegistrationPage c={c} token={token} />, 410);
      // The session no longer takes registrations (closed since): say why, keep the link.
      return c.html(<ConfirmRegistrationPage c={c} token={token} pending={pending} violations={violationsOf(e)} />, 422);
    }
  });
}
