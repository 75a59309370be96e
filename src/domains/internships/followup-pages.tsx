// Follow-up pages: /stagiaires/:id/suivi (CP-REFERENT-FOLLOWUP, CP-SOCIAL-PROTECTION-FORMS),
// /livret-accueil (CP-WELCOME, CP-CATERING-LODGING-INFO settings), the booklet PDF and its delivery.
import { dateTimeSecondsFr, de } from "../../core/french.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { ownProviderId } from "../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt, formBody, str, strs } from "../../core/pages/forms.ts";
import { CsrfField, Field, Layout, Select, ViolationList } from "../../core/pages/layout.tsx";
import type { Violation } from "../../core/rules.ts";
import { formatDateFr, parisDate } from "../../core/time.ts";
import { bookletPdf, incidentPdf } from "./pdf.ts";
import { BARRIERS, barrierLabels } from "./rules.ts";
import * as uc from "./use-cases.ts";

const now = (c: Ctx) => depsOf(c).clock.now();
const pdfResponse = (c: Ctx, pdf: Buffer, filename: string) =>
  c.body(new Uint8Array(pdf), 200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "private, no-store" });

async function followupPage(c: Ctx, violations: Violation[] = [], status = 200, notice?: string) {
  const db = depsOf(c).db;
  const actor = actorOf(c);
  const id = c.req.param("id") ?? "";
  const f = await uc.followupOf(db, actor, id);
  const s = await uc.socialOf(db, actor, id);
  const name = `${f.trainee.first_name} ${f.trainee.last_name}`;
  return c.html(
    <Layout c={c} title={`Suivi de ${name}`}>
      <h1>Suivi {de(name)} (CP-REFERENT-FOLLOWUP)</h1>
      {notice ? (
        <p class="alert success" role="status">
          {notice}
        </p>
      ) : null}
      <ViolationList violations={violations} />
      {f.streak ? <ViolationList violations={[{ code: "CP-REFERENT-FOLLOWUP", severity: "warning", article: "CCTP §3.2.1.4", message: "Absences répétées : les dernières séances sont toutes des absences. Pensez à alerter le prescripteur." }]} /> : null}
      <section aria-labelledby="log">
        <h2 id="log">Entretiens</h2>
        <ul>
          {f.entries.map((e) => (
            <li>
              {formatDateFr(e.met_on)} — {e.notes} {e.barriers.length ? `— freins : ${uc.describeBarriers(e.barriers)}` : ""} {e.resources ? `— ressources : ${e.resources}` : ""}
            </li>
          ))}
        </ul>
        <form method="post" action={`/stagiaires/${id}/suivi`}>
          <CsrfField c={c} />
          <Field name="metOn" label="Date de l'entretien" type="date" required value={parisDate(now(c))} />
          <Field name="notes" label="Notes" />
          <fieldset>
            <legend>Freins périphériques</legend>
            {BARRIERS.map((b) => (
              <div class="field">
                <input type="checkbox" id={`f-barrier-${b}`} name="barriers" value={b} />
                <label for={`f-barrier-${b}`}>{barrierLabels[b]}</label>
              </div>
            ))}
          </fieldset>
          <Field name="resources" label="Ressources mobilisées" />
          <button type="submit">Enregistrer l'entretien</button>
        </form>
      </section>
      <section aria-labelledby="alert">
        <h2 id="alert">Alerte de décrochage</h2>
        <p>{f.prescriber ? `Le prescripteur ${f.prescriber.full_name} sera prévenu par courriel.` : "Aucun prescripteur connu pour ce stagiaire : l'alerte est seulement enregistrée."}</p>
        <ul>
          {f.alerts.map((a) => (
            <li>
              {dateTimeSecondsFr(a.raised_at)} — {a.reason === "absences" ? "absences" : "freins"} — {a.details}
            </li>
          ))}
        </ul>
        <form method="post" action={`/stagiaires/${id}/alerte`}>
          <CsrfField c={c} />
          <Select name="reason" label="Motif" options={[{ value: "absences", label: "Absences répétées" }, { value: "barrier", label: "Freins périphériques" }]} value={f.streak ? "absences" : "barrier"} />
          <Field name="details" label="Situation" required />
          <button type="submit">Alerter le prescripteur</button>
        </form>
      </section>
      <section aria-labelledby="social">
        <h2 id="social">Protection sociale, arrêts et accidents (CP-SOCIAL-PROTECTION-FORMS)</h2>
        <form method="post" action={`/stagiaires/${id}/protection`}>
          <CsrfField c={c} />
          <Select name="regionProvides" label="La Région assure la protection sociale" options={[{ value: "1", label: "Oui" }, { value: "0", label: "Non" }]} value={s.cover ? (s.cover.region_provides ? "1" : "0") : ""} emptyLabel="Non renseigné" />
          <button type="submit">Enregistrer</button>
        </form>
        <ul>
          {s.incidents.map((i) => (
            <li>
              {i.kind === "accident" ? "Accident" : "Arrêt de travail"} du {formatDateFr(i.occurred_on)} — <a href={`/declarations/${i.id}/pdf`}>formulaires (PDF)</a> — {i.sent_on ? `envoyés le ${formatDateFr(i.sent_on)} à ${i.sent_to}` : (
                <form method="post" action={`/declarations/${i.id}/envoi`} class="inline">
                  <CsrfField c={c} />
                  <input type="hidden" name="sentOn" value={parisDate(now(c))} />
                  <label for={`f-sentTo-${i.id}`}>Prestataire</label> <input id={`f-sentTo-${i.id}`} name="sentTo" required /> <button type="submit">Noter l'envoi</button>
                </form>
              )}
            </li>
          ))}
        </ul>
        <form method="post" action={`/stagiaires/${id}/declarations`}>
          <CsrfField c={c} />
          <Select name="kind" label="Type" options={[{ value: "stoppage", label: "Arrêt de travail" }, { value: "accident", label: "Accident" }]} />
          <Field name="occurredOn" label="Date" type="date" required />
          <Field name="startDate" label="Arrêt du" type="date" />
          <Field name="endDate" label="au" type="date" />
          <Field name="description" label="Circonstances" />
          <button type="submit">Déclarer</button>
        </form>
      </section>
    </Layout>,
    status as 200,
  );
}

async function welcomePage(c: Ctx, violations: Violation[] = [], status = 200) {
  const actor = actorOf(c);
  const s = await uc.welcomeSettings(depsOf(c).db, ownProviderId(actor));
  return c.html(
    <Layout c={c} title="Livret d'accueil">
      <h1>Livret d'accueil (CP-WELCOME)</h1>
      <p>Le livret de chaque stagiaire est produit depuis son parcours (« Livret d'accueil » sur la page des périodes en entreprise) ; ces éléments le complètent.</p>
      <ViolationList violations={violations} />
      <form method="post" action="/livret-accueil" enctype="multipart/form-data">
        <CsrfField c={c} />
        <Field name="commitments" label="Engagements réciproques" value={s?.commitments} />
        <Field name="catering" label="Restauration : conditions d'accès (CP-CATERING-LODGING-INFO)" value={s?.catering} />
        <Field name="lodging" label="Hébergement : conditions d'accès" value={s?.lodging} />
        <div class="field">
          <label for="f-rules">Règlement intérieur (PDF){s?.internal_rules_attachment_id ? " — déjà déposé" : ""}</label>
          <input id="f-rules" name="internalRules" type="file" accept="application/pdf" />
        </div>
        <button type="submit">Enregistrer</button>
      </form>
    </Layout>,
    status as 200,
  );
}

export function registerFollowupPages(app: OpenAPIHono<AppEnv>) {
  app.get("/stagiaires/:id/suivi", (c) => followupPage(c));
  app.post("/stagiaires/:id/suivi", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.recordFollowup(depsOf(c).db, actorOf(c), { traineeId: c.req.param("id"), metOn: str(b, "metOn"), notes: str(b, "notes"), barriers: strs(b, "barriers"), resources: str(b, "resources") }));
    return r.ok ? followupPage(c, [], 200, "Entretien enregistré.") : followupPage(c, r.violations, 422);
  });
  app.post("/stagiaires/:id/alerte", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.raiseAlert(depsOf(c).db, actorOf(c), { traineeId: c.req.param("id"), reason: str(b, "reason"), details: str(b, "details") }, now(c)));
    return r.ok ? followupPage(c, [], 200, r.value.notified ? "Alerte envoyée au prescripteur." : "Alerte enregistrée.") : followupPage(c, r.violations, 422);
  });
  app.post("/stagiaires/:id/protection", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.setSocialCover(depsOf(c).db, actorOf(c), c.req.param("id"), { regionProvides: str(b, "regionProvides") === "1" }));
    return r.ok ? followupPage(c, [], 200, "Enregistré.") : followupPage(c, r.violations, 422);
  });
  app.post("/stagiaires/:id/declarations", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.recordIncident(depsOf(c).db, actorOf(c), { traineeId: c.req.param("id"), kind: str(b, "kind"), occurredOn: str(b, "occurredOn"), startDate: str(b, "startDate"), endDate: str(b, "endDate"), description: str(b, "description") }));
    return r.ok ? followupPage(c, [], 200, "Déclaration enregistrée : produisez et envoyez les formulaires sans délai.") : followupPage(c, r.violations, 422);
  });
  app.get("/declarations/:id/pdf", async (c) => {
    const { pdf, filename } = await incidentPdf(depsOf(c).db, actorOf(c), c.req.param("id"), now(c));
    return pdfResponse(c, pdf, filename);
  });
  app.post("/declarations/:id/envoi", async (c) => {
    const b = await formBody(c);
    const actor = actorOf(c);
    const i = await uc.incidentFor(depsOf(c).db, actor, c.req.param("id"));
    await uc.markIncidentSent(depsOf(c).db, actor, i.id, { sentOn: str(b, "sentOn"), sentTo: str(b, "sentTo") });
    return c.redirect(`/stagiaires/${i.trainee_id}/suivi`, 303);
  });
  app.get("/livret-accueil", (c) => welcomePage(c));
  app.post("/livret-accueil", async (c) => {
    const b = await formBody(c);
    const file = b.internalRules;
    const rules = file instanceof File && file.size > 0 ? { filename: file.name, contentType: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
    const r = await attempt(() => uc.saveWelcomeSettings(depsOf(c).db, actorOf(c), { commitments: str(b, "commitments"), catering: str(b, "catering"), lodging: str(b, "lodging") }, rules));
    return r.ok ? c.redirect("/livret-accueil", 303) : welcomePage(c, r.violations, 422);
  });
  app.get("/parcours/:id/livret.pdf", async (c) => {
    const { pdf, filename } = await bookletPdf(depsOf(c).db, actorOf(c), c.req.param("id"), now(c));
    return pdfResponse(c, pdf, filename);
  });
  app.post("/parcours/:id/livret/remise", async (c) => {
    const b = await formBody(c);
    const actor = actorOf(c);
    const { sha256 } = await bookletPdf(depsOf(c).db, actor, c.req.param("id"), now(c));
    await uc.recordDelivery(depsOf(c).db, actor, { pathId: c.req.param("id"), deliveredOn: str(b, "deliveredOn") || parisDate(now(c)), how: str(b, "how") || "Remis en main propre" }, sha256);
    return c.redirect(`/parcours/${c.req.param("id")}/stages`, 303);
  });
}
