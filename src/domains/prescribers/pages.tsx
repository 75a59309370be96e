// Pages /prescripteurs and /prescripteurs/:id — the Region's list of authorised prescribers (CP-PRESCRIBERS).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { requireRole } from "../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { notificationsFor } from "../../core/notifications/index.ts";
import { attempt, formBody, generalErrors, str } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../core/pages/layout.tsx";
import type { Violation } from "../../core/rules.ts";
import { kindLabel, PRESCRIBER_KINDS, prescriberKindLabels } from "./rules.ts";
import * as uc from "./use-cases.ts";
import { Table } from "../../core/pages/table.tsx";

const kindOptions = PRESCRIBER_KINDS.map((k) => ({ value: k, label: prescriberKindLabels[k] }));
const statusBadge = (authorised: boolean) =>
  authorised ? <span class="badge validated">Habilité</span> : <span class="badge refused">Habilitation retirée</span>;

function OrganisationForm(props: { c: Ctx; action: string; values: { name: string; kind: string }; violations: Violation[]; submit: string }) {
  const general = generalErrors(props.violations, ["name", "kind"]);
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      {general.length > 0 ? <ViolationList violations={general} /> : null}
      <div class="grid">
        <Field name="name" label="Nom de l'organisme" value={props.values.name} required error={errorFor(props.violations, "name")} />
        <Select name="kind" label="Type" options={kindOptions} value={props.values.kind} required error={errorFor(props.violations, "kind")} />
      </div>
      <div class="actions">
        <button type="submit">{props.submit}</button>
      </div>
    </form>
  );
}

async function listPage(c: Ctx, form: { values: { name: string; kind: string }; violations: Violation[] }, status = 200) {
  const actor = actorOf(c);
  const organisations = await uc.listPrescriberOrganisations(depsOf(c).db, actor);
  const isRegion = actor.role === "region_officer";
  const added = c.req.query("ajout") === "1";
  return c.html(
    <Layout c={c} title="Prescripteurs habilités">
      <h1>Prescripteurs habilités (CP-PRESCRIBERS, CCTP §2.2)</h1>
      <p>
        Seules les prescriptions des organismes habilités par la Région sont acceptées.
        {isRegion ? " Chaque modification de la liste est signalée par courriel aux référents administratifs de tous les organismes de formation." : ""}
      </p>
      {added ? (
        <p class="alert success" role="status">
          L'organisme a été ajouté ; les organismes de formation en sont informés.
        </p>
      ) : null}
      <Table label="Organismes prescripteurs">
        <caption>{isRegion ? `Organismes prescripteurs (${organisations.length})` : `Liste en vigueur (${organisations.length} organismes)`}</caption>
        <thead>
          <tr>
            <th scope="col">Organisme</th>
            <th scope="col">Type</th>
            <th scope="col">Statut</th>
            {isRegion ? <th scope="col" class="num">Conseillers</th> : null}
          </tr>
        </thead>
        <tbody>
          {organisations.map((o) => (
            <tr>
              <td>{isRegion ? <a href={`/prescripteurs/${o.id}`}>{o.name}</a> : o.name}</td>
              <td>{kindLabel(o.kind)}</td>
              <td>{statusBadge(o.authorised)}</td>
              {isRegion ? <td class="num">{o.advisers}</td> : null}
            </tr>
          ))}
        </tbody>
      </Table>
      {isRegion ? (
        <section aria-labelledby="add-title">
          <h2 id="add-title">Ajouter un organisme à la liste</h2>
          <OrganisationForm c={c} action="/prescripteurs" values={form.values} violations={form.violations} submit="Ajouter l'organisme" />
        </section>
      ) : null}
    </Layout>,
    status as 200,
  );
}

interface DetailForms {
  rename?: { values: { name: string; kind: string }; violations: Violation[] };
  adviser?: { values: { email: string; fullName: string }; violations: Violation[] };
}

async function detailPage(c: Ctx, id: string, forms: DetailForms = {}, status = 200) {
  const actor = actorOf(c);
  const db = depsOf(c).db;
  const o = await uc.getPrescriberOrganisation(db, actor, id);
  const messages = await notificationsFor(db, "prescriber_organisation", id);
  const saved = c.req.query("ok");
  const adviser = forms.adviser ?? { values: { email: "", fullName: "" }, violations: [] };
  const adviserGeneral = generalErrors(adviser.violations, ["email", "fullName", "password"]);
  return c.html(
    <Layout c={c} title={o.name}>
      <p>
        <a href="/prescripteurs">← Prescripteurs habilités</a>
      </p>
      <h1>
        {o.name} {statusBadge(o.authorised)}
      </h1>
      {saved ? (
        <p class="alert success" role="status">
          {saved === "conseiller" ? "Le compte du conseiller a été créé." : "La modification est enregistrée ; les organismes de formation en sont informés."}
        </p>
      ) : null}
      <section aria-labelledby="edit-title">
        <h2 id="edit-title">Nom et type</h2>
        <OrganisationForm
          c={c}
          action={`/prescripteurs/${o.id}`}
          values={forms.rename?.values ?? { name: o.name, kind: o.kind }}
          violations={forms.rename?.violations ?? []}
          submit="Enregistrer"
        />
      </section>
      <section aria-labelledby="auth-title">
        <h2 id="auth-title">Habilitation</h2>
        <form method="post" action={`/prescripteurs/${o.id}/habilitation`}>
          <CsrfField c={c} />
          <input type="hidden" name="authorised" value={o.authorised ? "false" : "true"} />
          <p>
            {o.authorised
              ? "Retirer l'habilitation : les nouvelles prescriptions de cet organisme seront refusées (les candidatures déjà reçues sont conservées)."
              : "Cet organisme n'est plus habilité : ses prescriptions sont refusées."}
          </p>
          <div class="actions">
            <button type="submit">{o.authorised ? "Retirer l'habilitation" : "Rétablir l'habilitation"}</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="advisers-title">
        <h2 id="advisers-title">Conseillers</h2>
        {o.advisers.length === 0 ? (
          <p class="muted">Aucun conseiller n'a encore de compte.</p>
        ) : (
          <Table label={`Comptes des conseillers de ${o.name}`}>
            <caption>Comptes des conseillers de {o.name}</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Courriel</th>
                <th scope="col">Compte</th>
              </tr>
            </thead>
            <tbody>
              {o.advisers.map((a) => (
                <tr>
                  <td>{a.full_name}</td>
                  <td>{a.email}</td>
                  <td>{a.active ? "Actif" : "Désactivé"}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <h3>Ouvrir un compte de conseiller</h3>
        <form method="post" action={`/prescripteurs/${o.id}/conseillers`}>
          <CsrfField c={c} />
          {adviserGeneral.length > 0 ? <ViolationList violations={adviserGeneral} /> : null}
          <div class="grid">
            <Field name="fullName" label="Nom et prénom" value={adviser.values.fullName} required error={errorFor(adviser.violations, "fullName")} />
            <Field name="email" label="Courriel" type="email" value={adviser.values.email} required error={errorFor(adviser.violations, "email")} />
            <Field
              name="password"
              label="Mot de passe initial"
              type="password"
              required
              hint="12 caractères au moins ; à transmettre au conseiller par un autre canal."
              error={errorFor(adviser.violations, "password")}
              attrs={{ autocomplete: "new-password" }}
            />
          </div>
          <div class="actions">
            <button type="submit">Créer le compte</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="messages-title">
        <h2 id="messages-title">Messages envoyés aux organismes de formation</h2>
        {messages.length === 0 ? (
          <p class="muted">Aucun message.</p>
        ) : (
          <Table label="Notifications des changements de la liste">
            <caption>Notifications des changements de la liste</caption>
            <thead>
              <tr>
                <th scope="col">Destinataire</th>
                <th scope="col">Objet</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr>
                  <td>{m.recipientEmail}</td>
                  <td>{m.subject}</td>
                  <td>{m.status === "sent" ? "Envoyé" : m.status === "failed" ? "Échec d'envoi" : "En attente d'envoi"}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </Layout>,
    status as 200,
  );
}

export function registerPrescriberPages(app: OpenAPIHono<AppEnv>) {
  app.get("/prescripteurs", (c) => listPage(c, { values: { name: "", kind: "france_travail" }, violations: [] }));

  app.post("/prescripteurs", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const body = await formBody(c);
    const values = { name: str(body, "name"), kind: str(body, "kind") };
    const r = await attempt(() => uc.createPrescriberOrganisation(depsOf(c).db, actor, values));
    if (r.ok) return c.redirect("/prescripteurs?ajout=1", 303);
    return listPage(c, { values, violations: r.violations }, 422);
  });

  app.get("/prescripteurs/:id", (c) => detailPage(c, c.req.param("id")));

  app.post("/prescripteurs/:id", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    const values = { name: str(body, "name"), kind: str(body, "kind") };
    const r = await attempt(() => uc.updatePrescriberOrganisation(depsOf(c).db, actorOf(c), id, values));
    if (r.ok) return c.redirect(`/prescripteurs/${id}?ok=1`, 303);
    return detailPage(c, id, { rename: { values, violations: r.violations } }, 422);
  });

  app.post("/prescripteurs/:id/habilitation", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    await uc.updatePrescriberOrganisation(depsOf(c).db, actorOf(c), id, { authorised: str(body, "authorised") === "true" });
    return c.redirect(`/prescripteurs/${id}?ok=1`, 303);
  });

  app.post("/prescripteurs/:id/conseillers", async (c) => {
    const id = c.req.param("id");
    const body = await formBody(c);
    const values = { email: str(body, "email"), fullName: str(body, "fullName") };
    const r = await attempt(() => uc.createAdviser(depsOf(c).db, actorOf(c), id, { ...values, password: str(body, "password") }));
    if (r.ok) return c.redirect(`/prescripteurs/${id}?ok=conseiller`, 303);
    return detailPage(c, id, { adviser: { values, violations: r.violations } }, 422);
  });
}
