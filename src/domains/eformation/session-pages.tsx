// The e-formation page of a session: /eformation/sessions/:id — software for the access-site PCs
// (CP-EFORM-SOFTWARE-5W) and the way to the 15-day checkpoint.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { may } from "../../core/auth/roles.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt, type FormBody, formBody, str } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, ViolationList } from "../../core/pages/layout.tsx";
import type { Violation } from "../../core/rules.ts";
import { parisDate } from "../../core/time.ts";
import * as uc from "./use-cases.ts";
import { Table } from "../../core/pages/table.tsx";

const today = (c: Ctx) => parisDate(depsOf(c).clock.now());
const when = (d: Date | string | null) => (d ? uc.frDate(parisDate(new Date(d))) : "—");
const statusLabel = { submitted: "transmis, à valider", validated: "validé", refused: "refusé" } as const;

type SessionView = Awaited<ReturnType<typeof sessionView>>;
async function sessionView(c: Ctx, id: string) {
  const { db } = depsOf(c);
  const session = await uc.getSession(db, actorOf(c), id);
  return { session, software: await uc.softwareStatus(db, session, today(c)), checkpointFrom: uc.checkpointOpensOn(session.start_date) };
}

function SessionPage(props: { c: Ctx; v: SessionView; form?: { values: FormBody; violations: Violation[] }; decision?: { softwareId: string; violations: Violation[] }; notice?: string }) {
  const { c, v } = props;
  const { session: s, software } = v;
  const actor = actorOf(c);
  const writer = actor.providerId === s.provider_id && may(actor, "sessions.write");
  const isRegion = actor.role === "region_officer";
  const fv = props.form?.values ?? {};
  const fe = props.form?.violations ?? [];
  return (
    <Layout c={c} title={`Session e-formation — ${s.component_title}`}>
      <h1>Session e-formation — {s.component_title}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <dl class="facts">
        <dt>Organisme</dt>
        <dd>{s.provider_name}</dd>
        <dt>Dates</dt>
        <dd>
          du {uc.frDate(s.start_date)} au {uc.frDate(s.end_date)}
        </dd>
        <dt>Places</dt>
        <dd>{s.places}</dd>
        <dt>Point à 15 jours</dt>
        <dd>
          <a href={`/eformation/sessions/${s.id}/point-15-jours`}>Point d'étape avec la Région</a> (à partir du {uc.frDate(v.checkpointFrom)})
        </dd>
        <dt>Regroupements</dt>
        <dd>
          <a href={`/eformation/sessions/${s.id}/regroupements`}>Regroupements, journée d'accueil et remises</a>
        </dd>
      </dl>

      <h2>Logiciels à installer sur les postes des sites d'accès (CP-EFORM-SOFTWARE-5W)</h2>
      <p>
        Les postes des sites Occitanie e-formation sont sous Windows 10 (64 bits) avec Office 2016. Logiciels et fiches techniques à transmettre au plus tard le{" "}
        <strong>{uc.frDate(software.submitBy)}</strong> ; la Région les valide et fournit les licences au plus tard le <strong>{uc.frDate(software.licencesBy)}</strong>.
      </p>
      {props.decision && !software.software.some((w) => w.id === props.decision?.softwareId && (w.status === "submitted" || (w.status === "validated" && !w.licences_provided))) ? (
        <ViolationList violations={props.decision.violations} title="La décision n'a pas été enregistrée" />
      ) : null}
      {software.noSoftware ? <p>L'organisme a déclaré que cette session n'utilise aucun logiciel spécifique.</p> : null}
      {software.warnings.length > 0 ? <ViolationList violations={software.warnings} /> : null}
      {software.software.length === 0 ? (
        <p>Aucun logiciel transmis.</p>
      ) : (
        <Table label="Logiciels transmis">
          <caption class="visually-hidden">Logiciels transmis</caption>
          <thead>
            <tr>
              <th scope="col">Logiciel</th>
              <th scope="col">Licence</th>
              <th scope="col">Fiche technique</th>
              <th scope="col">Transmis le</th>
              <th scope="col">État</th>
              <th scope="col">Licences fournies</th>
            </tr>
          </thead>
          <tbody>
            {software.software.map((w) => (
              <tr>
                <th scope="row">
                  {w.name} {w.version}
                </th>
                <td>{w.licence}</td>
                <td>
                  <a href={`/eformation/logiciels/${w.id}/fiche`}>{w.sheet_filename}</a>
                </td>
                <td>{when(w.submitted_at)}</td>
                <td>
                  {statusLabel[w.status]}
                  {w.decided_at ? ` le ${when(w.decided_at)}` : ""}
                  {w.region_note ? ` — ${w.region_note}` : ""}
                </td>
                <td>{w.licences_provided ? "oui" : "non"}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {isRegion
        ? software.software
            .filter((w) => w.status === "submitted" || (w.status === "validated" && !w.licences_provided))
            .map((w) => {
              const errors = props.decision?.softwareId === w.id ? props.decision.violations : [];
              return (
                <form method="post" action={`/eformation/logiciels/${w.id}/decision`}>
                  <h3>
                    Décision sur {w.name} {w.version}
                  </h3>
                  <CsrfField c={c} />
                  {errors.length > 0 ? <ViolationList violations={errors} title="La décision n'a pas été enregistrée" /> : null}
                  <fieldset>
                    <legend>Décision</legend>
                    <div>
                      <input type="radio" id={`d-val-${w.id}`} name="decision" value="validated" required />
                      <label for={`d-val-${w.id}`}>Valider l'installation</label>
                    </div>
                    <div>
                      <input type="radio" id={`d-ref-${w.id}`} name="decision" value="refused" />
                      <label for={`d-ref-${w.id}`}>Refuser</label>
                    </div>
                  </fieldset>
                  <div class="field">
                    <input type="checkbox" id={`d-lic-${w.id}`} name="licencesProvided" value="1" />
                    <label for={`d-lic-${w.id}`}>Licences et procédure d'installation mises à disposition des sites</label>
                  </div>
                  <div class="field">
                    <label for={`d-note-${w.id}`}>Note (obligatoire pour un refus)</label>
                    <textarea id={`d-note-${w.id}`} name="note" rows={2} maxlength={2000} />
                  </div>
                  <button type="submit">Enregistrer la décision</button>
                </form>
              );
            })
        : null}
      {writer ? (
        <>
          <form method="post" action={`/eformation/sessions/${s.id}/logiciels`} enctype="multipart/form-data">
            <h3>Transmettre un logiciel</h3>
            <CsrfField c={c} />
            {fe.length > 0 ? <ViolationList violations={fe} title="Le logiciel n'a pas été transmis" /> : null}
            <Field name="name" label="Nom du logiciel" value={str(fv, "name")} required attrs={{ maxlength: 200 }} error={errorFor(fe, "name")} />
            <Field name="version" label="Version" value={str(fv, "version")} required attrs={{ maxlength: 50 }} error={errorFor(fe, "version")} />
            <Field name="licence" label="Licence" value={str(fv, "licence")} required hint="Type de licence et nombre de postes (ex. licence éducation, 16 postes)." attrs={{ maxlength: 500 }} error={errorFor(fe, "licence")} />
            <Field name="sheet" label="Fiche technique" type="file" required hint="PDF, JPEG ou PNG, 10 Mo au plus." attrs={{ accept: "application/pdf,image/jpeg,image/png" }} error={errorFor(fe, "sheet")} />
            <fieldset>
              <legend>Compatibilité avec le parc des sites d'accès</legend>
              <div class="field">
                <input type="checkbox" id="f-windows10_64" name="windows10_64" value="1" checked={str(fv, "windows10_64") === "1"} aria-invalid={errorFor(fe, "windows10_64") ? "true" : undefined} />
                <label for="f-windows10_64">Compatible Windows 10 (64 bits)</label>
              </div>
              <div class="field">
                <input type="checkbox" id="f-office2016" name="office2016" value="1" checked={str(fv, "office2016") === "1"} aria-invalid={errorFor(fe, "office2016") ? "true" : undefined} />
                <label for="f-office2016">Compatible Office 2016</label>
              </div>
            </fieldset>
            <button type="submit">Transmettre à la Région</button>
          </form>
          <form method="post" action={`/eformation/sessions/${s.id}/sans-logiciel`}>
            <CsrfField c={c} />
            <input type="hidden" name="noSoftware" value={software.noSoftware ? "0" : "1"} />
            <button type="submit" class="secondary">
              {software.noSoftware ? "Annuler la déclaration « aucun logiciel spécifique »" : "Déclarer qu'aucun logiciel spécifique n'est utilisé"}
            </button>
          </form>
        </>
      ) : null}
      <p>
        <a href="/eformation">Retour à Occitanie e-formation</a>
      </p>
    </Layout>
  );
}

const notices: Record<string, string> = { software: "Logiciel transmis à la Région.", decided: "Décision enregistrée.", declared: "Déclaration enregistrée." };

export function registerSessionPages(app: OpenAPIHono<AppEnv>) {
  app.get("/eformation/sessions/:id", async (c) => c.html(<SessionPage c={c} v={await sessionView(c, c.req.param("id"))} notice={notices[c.req.query("ok") ?? ""]} />));
  app.post("/eformation/sessions/:id/logiciels", async (c) => {
    const id = c.req.param("id");
    const { db, clock } = depsOf(c);
    const actor = actorOf(c);
    await uc.getSession(db, actor, id);
    const body = await formBody(c);
    const file = body.sheet instanceof File && body.sheet.size > 0 ? body.sheet : undefined;
    const sheet = file ? { filename: file.name, contentType: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
    const input = { name: str(body, "name"), version: str(body, "version"), licence: str(body, "licence"), windows10_64: str(body, "windows10_64") === "1", office2016: str(body, "office2016") === "1" };
    const result = await attempt(() => uc.submitSoftware(db, actor, clock, id, input, sheet));
    if (result.ok) return c.redirect(`/eformation/sessions/${id}?ok=software`, 303);
    return c.html(<SessionPage c={c} v={await sessionView(c, id)} form={{ values: body, violations: result.violations }} />, 422);
  });
  app.post("/eformation/sessions/:id/sans-logiciel", async (c) => {
    const id = c.req.param("id");
    const { db, clock } = depsOf(c);
    const body = await formBody(c);
    await uc.declareNoSoftware(db, actorOf(c), clock, id, str(body, "noSoftware") === "1");
    return c.redirect(`/eformation/sessions/${id}?ok=declared`, 303);
  });
  app.post("/eformation/logiciels/:id/decision", async (c) => {
    const id = c.req.param("id");
    const { db, clock } = depsOf(c);
    const actor = actorOf(c);
    const { session } = await uc.getSoftware(db, actor, id);
    const body = await formBody(c);
    const result = await attempt(() => uc.decideSoftware(db, actor, clock, id, { decision: str(body, "decision") || undefined, licencesProvided: str(body, "licencesProvided") === "1", note: str(body, "note") || undefined }));
    if (result.ok) return c.redirect(`/eformation/sessions/${session.id}?ok=decided`, 303);
    return c.html(<SessionPage c={c} v={await sessionView(c, session.id)} decision={{ softwareId: id, violations: result.violations }} />, 422);
  });
  app.get("/eformation/logiciels/:id/fiche", async (c) => {
    const a = await uc.softwareSheet(depsOf(c).db, actorOf(c), c.req.param("id"));
    return c.body(new Uint8Array(a.bytes), 200, {
      "content-type": a.content_type,
      "content-disposition": `attachment; filename="${a.filename.replace(/[^\w.-]/g, "_")}"`,
      "x-content-type-options": "nosniff",
    });
  });
}
