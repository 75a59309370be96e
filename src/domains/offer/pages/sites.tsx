// Pages /offre/sites and /offre/sites/:id — the provider's sites (CP-SITES).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { ownProviderId } from "../../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { publicUrl } from "../../../core/http/client.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { listDepartements } from "../../region/use-cases.ts";
import { missingSiteFacts, SITE_FACT_LABELS } from "../rules.ts";
import * as uc from "../use-cases.ts";
import { attempt, type FormBody, formBody, generalErrors, str } from "./form.ts";
import { may } from "../../../core/auth/roles.ts";
import { Table } from "../../../core/pages/table.tsx";

interface SiteValues {
  name: string;
  address: string;
  postcode: string;
  commune: string;
  departementCode: string;
  accessible: boolean;
  hasPhone: boolean;
  hasInternet: boolean;
  hasBreakRoom: boolean;
  hasTrainersOffice: boolean;
  accessibilityNote: string;
}
const siteFields = ["name", "address", "postcode", "commune", "departementCode", "accessible", "hasPhone", "hasInternet", "hasBreakRoom", "hasTrainersOffice", "accessibilityNote"];
const emptySite: SiteValues = { name: "", address: "", postcode: "", commune: "", departementCode: "", accessible: true, hasPhone: false, hasInternet: false, hasBreakRoom: false, hasTrainersOffice: false, accessibilityNote: "" };
/** CP-SITES: the equipment facts as checkboxes (form name → label). */
const FACTS = [
  ["hasPhone", "Téléphone"],
  ["hasInternet", "Accès internet"],
  ["hasBreakRoom", "Salle de pause"],
  ["hasTrainersOffice", "Bureau des formateurs"],
] as const;

const siteValuesFromForm = (body: FormBody): SiteValues => ({
  name: str(body, "name"),
  address: str(body, "address"),
  postcode: str(body, "postcode"),
  commune: str(body, "commune"),
  departementCode: str(body, "departementCode"),
  accessible: str(body, "accessible") === "on",
  hasPhone: str(body, "hasPhone") === "on",
  hasInternet: str(body, "hasInternet") === "on",
  hasBreakRoom: str(body, "hasBreakRoom") === "on",
  hasTrainersOffice: str(body, "hasTrainersOffice") === "on",
  accessibilityNote: str(body, "accessibilityNote"),
});

async function SiteForm(props: { c: Ctx; action: string; values: SiteValues; violations: Violation[]; submitLabel: string }) {
  const { values: v, violations } = props;
  const departements = await listDepartements(depsOf(props.c).db);
  const general = generalErrors(violations, siteFields);
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      {general.length > 0 ? <ViolationList violations={general} /> : null}
      <div class="grid">
        <Field name="name" label="Nom du site" value={v.name} required error={errorFor(violations, "name")} />
        <Field name="address" label="Adresse" value={v.address} required error={errorFor(violations, "address")} />
        <Field name="postcode" label="Code postal" value={v.postcode} required error={errorFor(violations, "postcode")} attrs={{ inputmode: "numeric", pattern: "[0-9]{5}", autocomplete: "postal-code" }} />
        <Field name="commune" label="Commune" value={v.commune} required error={errorFor(violations, "commune")} />
        <Select
          name="departementCode"
          label="Département"
          value={v.departementCode}
          required
          emptyLabel="— Choisir —"
          error={errorFor(violations, "departementCode")}
          options={departements.map((d) => ({ value: d.code, label: `${d.code} — ${d.name}` }))}
        />
      </div>
      <div class="field">
        <input type="checkbox" id="f-accessible" name="accessible" checked={v.accessible} />{" "}
        <label for="f-accessible">Accessible aux personnes à mobilité réduite (CP-SITES)</label>
      </div>
      <fieldset>
        <legend>Équipements du site (CP-SITES, CCTP §4.4)</legend>
        {FACTS.map(([name, label]) => (
          <div class="field">
            <input type="checkbox" id={`f-${name}`} name={name} checked={v[name]} /> <label for={`f-${name}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <div class={errorFor(violations, "accessibilityNote") ? "field has-error" : "field"}>
        <label for="f-accessibilityNote">Accessibilité : précisions (accès, stationnement, ascenseur…)</label>
        <textarea id="f-accessibilityNote" name="accessibilityNote" rows={2} maxlength={1000}>
          {v.accessibilityNote}
        </textarea>
      </div>
      <div class="actions">
        <button type="submit">{props.submitLabel}</button>
        <a href="/offre/sites">Retour aux sites</a>
      </div>
    </form>
  );
}

async function SitesPage(c: Ctx, form: { values: SiteValues; violations: Violation[] } | undefined, status: 200 | 422 = 200) {
  const actor = actorOf(c);
  const sites = await uc.listSites(depsOf(c).db, actor);
  return c.html(
    <Layout c={c} title="Sites de réalisation">
      <h1>Sites de réalisation</h1>
      {c.req.query("enregistre") === "1" ? (
        <p class="alert success" role="status">
          Le site a été enregistré.
          {/^[1-9][0-9]{0,3}$/.test(c.req.query("avis") ?? "")
            ? ` Le changement a été notifié à la Région (CP-TRAINER-CHANGE) : ${c.req.query("avis")} avis, un par commande en cours sur ce site, visible sur la page « Équipe pédagogique » de la commande.`
            : ""}
        </p>
      ) : null}
      <Table label="Sites de l'organisme">
        <caption>Sites de l'organisme</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Adresse</th>
            <th scope="col">Département</th>
            <th scope="col">Accessibilité PMR</th>
            <th scope="col">Équipements manquants (CP-SITES)</th>
          </tr>
        </thead>
        <tbody>
          {sites.length === 0 ? (
            <tr>
              <td colspan={5}>Aucun site déclaré.</td>
            </tr>
          ) : null}
          {sites.map((s) => (
            <tr>
              <td>
                <a href={`/offre/sites/${s.id}`}>{s.name}</a>
              </td>
              <td>
                {s.address}, {s.postcode} {s.commune}
              </td>
              <td>{s.departement_code}</td>
              <td>{s.accessible ? "Oui" : <span class="badge refused">Non</span>}</td>
              <td>{missingSiteFacts(s).filter((k) => k !== "accessible").map((k) => SITE_FACT_LABELS[k]).join(", ") || "Aucun"}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {may(actorOf(c), "offer.write") ? (
        <>
          <h2>Déclarer un site</h2>
          <SiteForm c={c} action="/offre/sites" values={form?.values ?? emptySite} violations={form?.violations ?? []} submitLabel="Ajouter le site" />
        </>
      ) : null}
    </Layout>,
    status,
  );
}

const UUID = "{[0-9a-fA-F-]{36}}";

export function registerSitePages(app: OpenAPIHono<AppEnv>) {
  app.get("/offre/sites", (c) => {
    ownProviderId(actorOf(c));
    return SitesPage(c, undefined);
  });

  app.post("/offre/sites", async (c) => {
    const actor = actorOf(c);
    const values = siteValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.createSite(depsOf(c).db, actor, values));
    if (r.ok) return c.redirect("/offre/sites?enregistre=1", 303);
    return SitesPage(c, { values, violations: r.violations }, 422);
  });

  const editPage = async (c: Ctx, id: string, form?: { values: SiteValues; violations: Violation[] }) => {
    const site = await uc.getSite(depsOf(c).db, actorOf(c), id);
    const values = form?.values ?? {
      name: site.name,
      address: site.address,
      postcode: site.postcode,
      commune: site.commune,
      departementCode: site.departement_code,
      accessible: site.accessible,
      hasPhone: site.has_phone,
      hasInternet: site.has_internet,
      hasBreakRoom: site.has_break_room,
      hasTrainersOffice: site.has_trainers_office,
      accessibilityNote: site.accessibility_note ?? "",
    };
    return c.html(
      <Layout c={c} title={`Site ${site.name}`}>
        <h1>Site « {site.name} »</h1>
        {may(actorOf(c), "offer.write") ? (
          <SiteForm c={c} action={`/offre/sites/${id}`} values={values} violations={form?.violations ?? []} submitLabel="Enregistrer le site" />
        ) : (
          <p>
            {site.address}, {site.postcode} {site.commune} ({site.departement_code}) — accessibilité PMR : {site.accessible ? "oui" : "non"}
          </p>
        )}
      </Layout>,
      form ? 422 : 200,
    );
  };

  app.get(`/offre/sites/:id${UUID}`, (c) => {
    ownProviderId(actorOf(c));
    return editPage(c, c.req.param("id"));
  });

  app.post(`/offre/sites/:id${UUID}`, async (c) => {
    const actor = actorOf(c);
    const id = c.req.param("id");
    const values = siteValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.updateSite(depsOf(c).db, actor, id, values, depsOf(c).clock, publicUrl(c)));
    if (r.ok) return c.redirect(`/offre/sites?enregistre=1${r.value.changeNoticeIds.length > 0 ? `&avis=${r.value.changeNoticeIds.length}` : ""}`, 303);
    return editPage(c, id, { values, violations: r.violations });
  });
}
