// /stage/:token — the personal link of a trainee or a tutor (no account): a phone-friendly page with
// the agreement to sign, for the tutor the company slots to countersign, and the end-of-period review.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { DomainError } from "../../core/errors.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { depsOf } from "../../core/http/context.ts";
import { publicUrl } from "../../core/http/client.ts";
import { attempt, formBody, str } from "../../core/pages/forms.ts";
import { errorFor, Field, Layout, ViolationList } from "../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../core/rules.ts";
import { formatDateFr } from "../../core/time.ts";
import { issueTutorLink } from "../attendance/access.ts";
import { partyLabels, placeLabels } from "./rules.ts";
import * as uc from "./use-cases.ts";
import { dateTimeSecondsFr } from "../../core/french.ts";

const now = (c: Ctx) => depsOf(c).clock.now();

async function linkPage(c: Ctx, violations: Violation[] = [], status = 200, notice?: string) {
  const token = c.req.param("token") ?? "";
  let d: Awaited<ReturnType<typeof uc.linkPage>>;
  try {
    d = await uc.linkPage(depsOf(c).db, now(c), token);
  } catch (e) {
    if (e instanceof DomainError && e.code === "LINK_EXPIRED") {
      return c.html(
        <Layout c={c} title="Lien expiré">
          <h1>Ce lien a expiré</h1>
          <p>Recevez un nouveau lien à l'adresse e-mail que l'organisme de formation connaît.</p>
          <form method="post" action={`/stage/${token}/renouveler`}>
            <button type="submit">Recevoir un nouveau lien par e-mail</button>
          </form>
        </Layout>,
        410,
      );
    }
    throw e;
  }
  const ct = d.content;
  const isTutor = d.link.party === "tutor";
  const mine = d.current.find((s) => s.party === d.link.party);
  const review = d.reviews.find((r) => r.party === d.link.party);
  return c.html(
    <Layout c={c} title="Période en entreprise">
      <h1>Période en entreprise de {ct.trainee.name}</h1>
      {notice ? (
        <p class="alert success" role="status">
          {notice}
        </p>
      ) : null}
      <ViolationList violations={violations} />
      <section aria-labelledby="conv">
        <h2 id="conv">Convention de stage (version {ct.version})</h2>
        <dl>
          <dt>Entreprise</dt>
          <dd>
            {ct.company.name} — {ct.company.address}
          </dd>
          <dt>Tuteur ou tutrice</dt>
          <dd>{ct.tutor.name}</dd>
          <dt>Organisme de formation</dt>
          <dd>
            {ct.provider.name} — suivi par {ct.followUpTrainer ?? "—"}
          </dd>
          <dt>Dates et durée</dt>
          <dd>
            du {formatDateFr(ct.startDate)} au {formatDateFr(ct.endDate)}, {formatMinutes(ct.plannedMinutes)} ({formatMinutes(ct.weeklyMinutes)} par semaine au plus) — {ct.timetable}
          </dd>
          <dt>Lieu</dt>
          <dd>
            {placeLabels[ct.place]} {ct.country ?? ""} — {ct.workAddress}
          </dd>
          <dt>Nature et objectifs</dt>
          <dd>
            {ct.nature} — {ct.objectives}
          </dd>
          <dt>Objectifs pédagogiques</dt>
          <dd>{ct.pedagogicalObjectives}</dd>
          <dt>Poste occupé</dt>
          <dd>{ct.positionHeld}</dd>
          <dt>Modalités de suivi</dt>
          <dd>{ct.followUpModalities}</dd>
        </dl>
        <p>
          Signatures : {(["trainee", "tutor", "provider"] as const).map((p) => `${partyLabels[p]} ${d.current.some((s) => s.party === p) ? "✓" : "en attente"}`).join(" ; ")}.
        </p>
        {mine ? (
          <p>Vous avez signé cette version le {dateTimeSecondsFr(mine.signed_at)}.</p>
        ) : (
          <form method="post" action={`/stage/${token}/signer`}>
            <Field name="signerName" label="Votre nom" required error={errorFor(violations, "signerName")} />
            <div class="field">
              <input type="checkbox" id="f-accept" name="accept" value="1" required />
              <label for="f-accept">J'ai lu la convention et je la signe</label>
            </div>
            <button type="submit">Signer la convention</button>
          </form>
        )}
      </section>
      {isTutor ? (
        <section aria-labelledby="slots">
          <h2 id="slots">Heures en entreprise à attester</h2>
          {d.slots.length === 0 ? <p>Aucun créneau en entreprise planifié pour le moment.</p> : null}
          <ul>
            {d.slots.map((s) => (
              <li>
                {formatDateFr(s.slot_date)} {s.start_time.slice(0, 5)}–{s.end_time.slice(0, 5)} —{" "}
                {s.attendance ? (
                  `attesté (${s.attendance === "present" ? "présent·e" : s.attendance})`
                ) : s.starts_at.getTime() <= now(c).getTime() ? (
                  <form method="post" action={`/stage/${token}/creneaux/${s.id}`} class="inline">
                    <button type="submit">Attester ce créneau</button>
                  </form>
                ) : (
                  "à venir"
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="review">
        <h2 id="review">Bilan de fin de période</h2>
        <form method="post" action={`/stage/${token}/bilan`}>
          <Field name="authorName" label="Votre nom" value={review?.author_name} required />
          <Field name="activities" label="Activités réalisées" value={review?.activities} />
          <Field name="skills" label="Compétences acquises" value={review?.skills} />
          <Field name="progress" label="Axes de progrès" value={review?.progress} />
          <Field name="appreciation" label={isTutor ? "Appréciation de l'entreprise" : "Votre appréciation"} value={review?.appreciation} />
          <button type="submit">{review ? "Mettre à jour le bilan" : "Envoyer le bilan"}</button>
        </form>
      </section>
    </Layout>,
    status as 200,
  );
}

export function registerInternshipLinkPages(app: OpenAPIHono<AppEnv>) {
  app.get("/stage/:token", (c) => linkPage(c));
  app.post("/stage/:token/signer", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.signByLink(depsOf(c).db, now(c), c.req.param("token"), { signerName: str(b, "signerName"), accept: str(b, "accept") === "1" }));
    return r.ok ? linkPage(c, [], 200, r.value.complete ? "Merci : la convention porte maintenant les trois signatures." : "Merci : votre signature est enregistrée.") : linkPage(c, r.violations, 422);
  });
  app.post("/stage/:token/bilan", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.submitReviewByLink(depsOf(c).db, now(c), c.req.param("token"), Object.fromEntries(["authorName", "activities", "skills", "progress", "appreciation"].map((k) => [k, str(b, k)]))));
    return r.ok ? linkPage(c, [], 200, "Merci : votre bilan est enregistré.") : linkPage(c, r.violations, 422);
  });
  app.post("/stage/:token/renouveler", async (c) => {
    await uc.renewLink(depsOf(c).db, now(c), c.req.param("token"), publicUrl(c));
    return c.html(
      <Layout c={c} title="Nouveau lien">
        <h1>Nouveau lien</h1>
        <p role="status">Si ce lien avait expiré, un nouveau lien vient d'être envoyé à l'adresse e-mail connue de l'organisme.</p>
      </Layout>,
    );
  });
  // The tutor attests a company slot: the period link proves who asks; the attendance's own tutor link signs it.
  app.post("/stage/:token/creneaux/:slotId", async (c) => {
    const d = await uc.linkPage(depsOf(c).db, now(c), c.req.param("token"));
    const slot = d.link.party === "tutor" ? d.slots.find((s) => s.id === c.req.param("slotId")) : undefined;
    if (!slot) throw new DomainError("NOT_FOUND", 404, "Créneau introuvable.");
    const link = await issueTutorLink(depsOf(c).db, now(c), slot.id, d.period.path_id);
    return c.redirect(`/lien/${link.token}`, 303);
  });
}
