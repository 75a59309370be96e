// The trainee's side of company periods (« Mes stages », linked from « Mon parcours »): the companies
// their referent shared (CP-COMPANY-NETWORK), their periods, the agreement to read and sign in the app
// (CP-INTERNSHIP-AGREEMENT) and their own end-of-period review (CP-INTERNSHIP-REVIEW). Also the staff's
// form that shares the network's current selection with a trainee.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt, formBody, str, strs } from "../../core/pages/forms.ts";
import { CsrfField, Field, Layout, Select, ViolationList } from "../../core/pages/layout.tsx";
import type { Violation } from "../../core/rules.ts";
import { formatDateFr } from "../../core/time.ts";
import { partyLabels, periodStatusLabels } from "./rules.ts";
import * as uc from "./use-cases.ts";

/** Staff: share the companies listed by the current search with one trainee (shown in « Mes stages »). */
export async function ShareForm(props: { c: Ctx; companyIds: string[] }) {
  const actor = actorOf(props.c);
  if (!actor.providerId || props.companyIds.length === 0 || actor.role === "trainee") return null;
  const trainees = await uc.traineesOf(depsOf(props.c).db, actor.providerId);
  return (
    <section aria-labelledby="share">
      <h2 id="share">Partager cette liste avec un·e stagiaire</h2>
      <form method="post" action="/entreprises/partage">
        <CsrfField c={props.c} />
        {props.companyIds.slice(0, 50).map((id) => (
          <input type="hidden" name="companyIds" value={id} />
        ))}
        <Select name="traineeId" label="Stagiaire" required options={trainees.map((t) => ({ value: t.id, label: `${t.last_name} ${t.first_name}` }))} emptyLabel="—" />
        <Field name="note" label="Message (facultatif)" />
        <button type="submit">Partager les {Math.min(props.companyIds.length, 50)} entreprise(s)</button>
      </form>
    </section>
  );
}

async function myInternshipsPage(c: Ctx, violations: Violation[] = [], status = 200, notice?: string) {
  const db = depsOf(c).db;
  const actor = actorOf(c);
  const shares = await uc.sharedWithTrainee(db, actor);
  const periods = await uc.myPeriods(db, actor);
  const details = [];
  for (const p of periods) details.push(await uc.periodDetail(db, actor, p.id));
  return c.html(
    <Layout c={c} title="Mes stages en entreprise">
      <h1>Mes stages en entreprise</h1>
      <p>
        <a href="/mon-parcours">← Mon parcours</a>
      </p>
      {notice ? (
        <p class="alert success" role="status">
          {notice}
        </p>
      ) : null}
      <ViolationList violations={violations} />
      <section aria-labelledby="periods">
        <h2 id="periods">Mes périodes en entreprise</h2>
        {details.length === 0 ? <p>Aucune période en entreprise n'est encore prévue.</p> : null}
        {details.map((d) => {
          const p = d.period;
          const own = d.reviews.find((r) => r.party === "trainee");
          const mustSign = p.agreement_sent_at !== null && d.missing.includes("trainee");
          return (
            <article class="card" aria-labelledby={`per-${p.id}`}>
              <h3 id={`per-${p.id}`}>
                {d.company.name} — du {formatDateFr(p.start_date)} au {formatDateFr(p.end_date)}
              </h3>
              <p>
                État : {periodStatusLabels[p.status]}. Tuteur ou tutrice : {d.tutor.full_name}
                {d.tutor.phone ? ` (${d.tutor.phone})` : ""}. Horaires : {p.timetable || "à préciser"}.
              </p>
              <p>
                Convention : {d.missing.length === 0 ? "signée par les trois parties" : `en attente de ${d.missing.map((m) => partyLabels[m as keyof typeof partyLabels]).join(", ")}`} —{" "}
                <a href={`/periodes/${p.id}/convention.pdf`}>télécharger la convention (PDF)</a> — <a href={`/periodes/${p.id}`}>lire le détail</a>
              </p>
              {mustSign ? (
                <form method="post" action={`/periodes/${p.id}/signer`}>
                  <CsrfField c={c} />
                  <p>En signant, vous acceptez la convention telle qu'elle est rédigée (version {p.agreement_version}).</p>
                  <button type="submit">Signer la convention</button>
                </form>
              ) : null}
              {p.status === "in_progress" || p.status === "closed" ? (
                <form method="post" action={`/periodes/${p.id}/bilan-stagiaire`}>
                  <CsrfField c={c} />
                  <fieldset>
                    <legend>Mon bilan de la période {own ? `(enregistré le ${formatDateFr(own.submitted_at.toISOString().slice(0, 10))})` : ""}</legend>
                    <Field name="authorName" label="Votre nom" value={own?.author_name ?? actor.fullName} required />
                    <Field name="activities" label="Activités réalisées" value={own?.activities ?? ""} />
                    <Field name="skills" label="Compétences acquises" value={own?.skills ?? ""} />
                    <Field name="progress" label="Axes de progrès" value={own?.progress ?? ""} />
                    <Field name="appreciation" label="Mon appréciation" value={own?.appreciation ?? ""} />
                  </fieldset>
                  <button type="submit">Enregistrer mon bilan</button>
                </form>
              ) : null}
            </article>
          );
        })}
      </section>
      <section aria-labelledby="shared">
        <h2 id="shared">Entreprises proposées par mon référent</h2>
        {shares.length === 0 ? <p>Aucune liste ne vous a encore été partagée.</p> : null}
        {shares.map((s) => (
          <div class="card">
            <p>
              Partagée le {formatDateFr(s.created_at.toISOString().slice(0, 10))}
              {s.note ? ` — ${s.note}` : ""}
            </p>
            <ul>
              {s.companies.map((x) => (
                <li>
                  {x.name} — {[x.address, x.postcode, x.commune].filter(Boolean).join(" ")} — {x.sector} {x.rome_codes.length ? `(${x.rome_codes.join(", ")})` : ""}
                </li>
              ))}
            </ul>
          </div>
        ))}
        <p>Vous avez trouvé une entreprise vous-même ? Dites-le à votre référent·e pédagogique : il ou elle l'ajoute au réseau.</p>
      </section>
    </Layout>,
    status as 200,
  );
}

export function registerTraineeInternshipPages(app: OpenAPIHono<AppEnv>) {
  app.get("/mes-stages", (c) => myInternshipsPage(c));
  app.post("/periodes/:id/bilan-stagiaire", async (c) => {
    const b = await formBody(c);
    const form = { authorName: str(b, "authorName"), activities: str(b, "activities"), skills: str(b, "skills"), progress: str(b, "progress"), appreciation: str(b, "appreciation") };
    const r = await attempt(() => uc.submitTraineeReview(depsOf(c).db, actorOf(c), c.req.param("id"), form, depsOf(c).clock.now()));
    return r.ok ? myInternshipsPage(c, [], 200, "Votre bilan est enregistré.") : myInternshipsPage(c, r.violations, 422);
  });
  app.post("/entreprises/partage", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.shareCompanies(depsOf(c).db, actorOf(c), { traineeId: str(b, "traineeId"), companyIds: strs(b, "companyIds"), note: str(b, "note") }));
    if (r.ok) return c.redirect("/entreprises?partage=1", 303);
    return c.html(
      <Layout c={c} title="Partage refusé">
        <h1>Partage refusé</h1>
        <ViolationList violations={r.violations} />
        <p>
          <a href="/entreprises">Retour au réseau d'entreprises</a>
        </p>
      </Layout>,
      422,
    );
  });
}
