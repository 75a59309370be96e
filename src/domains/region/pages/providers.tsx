// Pages /organismes, /organismes/nouveau, /organismes/:id — the Region manages providers.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { requireRole, roleLabels } from "../../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr, parisDate } from "../../../core/time.ts";
import * as uc from "../use-cases.ts";
import { attempt, type FormBody, formBody, generalErrors, str } from "./form.ts";
import { ReferentsSection, type ReferentValue, referentValuesFromRows, saveReferentsFromForm } from "./referents.tsx";
import { Table } from "../../../core/pages/table.tsx";

interface ProviderValues {
  name: string;
  siret: string;
  nda: string;
  legalRepresentative: string;
  address: string;
  qualiopiIssuer: string;
  qualiopiNumber: string;
  qualiopiValidUntil: string;
}
const providerFields = ["name", "siret", "nda", "legalRepresentative", "address", "qualiopiIssuer", "qualiopiNumber", "qualiopiValidUntil"] as const;

const providerValuesFromForm = (body: FormBody) =>
  Object.fromEntries(providerFields.map((f) => [f, str(body, f)])) as unknown as ProviderValues;

const emptyProvider: ProviderValues = { name: "", siret: "", nda: "", legalRepresentative: "", address: "", qualiopiIssuer: "", qualiopiNumber: "", qualiopiValidUntil: "" };

function ProviderForm(props: { c: Ctx; action: string; values: ProviderValues; violations: Violation[] }) {
  const { values: v, violations } = props;
  const general = generalErrors(violations, [...providerFields]);
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      {general.length > 0 ? <ViolationList violations={general} /> : null}
      <div class="grid">
        <Field name="name" label="Raison sociale" value={v.name} required error={errorFor(violations, "name")} />
        <Field
          name="siret"
          label="SIRET"
          value={v.siret}
          required
          hint="14 chiffres, contrôlés par leur clé."
          error={errorFor(violations, "siret")}
          attrs={{ inputmode: "numeric", autocomplete: "off" }}
        />
        <Field
          name="nda"
          label="Numéro de déclaration d'activité (NDA)"
          value={v.nda}
          hint="11 chiffres, facultatif."
          error={errorFor(violations, "nda")}
          attrs={{ inputmode: "numeric" }}
        />
        <Field name="legalRepresentative" label="Représentant légal" value={v.legalRepresentative} error={errorFor(violations, "legalRepresentative")} />
        <Field name="address" label="Adresse du siège" value={v.address} error={errorFor(violations, "address")} />
        <Field name="qualiopiIssuer" label="Organisme certificateur (Qualiopi ou Certif'Région)" value={v.qualiopiIssuer} error={errorFor(violations, "qualiopiIssuer")} attrs={{ maxlength: 200 }} />
        <Field name="qualiopiNumber" label="Numéro de certificat Qualiopi" value={v.qualiopiNumber} error={errorFor(violations, "qualiopiNumber")} />
        <Field
          name="qualiopiValidUntil"
          label="Certificat Qualiopi valable jusqu'au"
          type="date"
          value={v.qualiopiValidUntil}
          error={errorFor(violations, "qualiopiValidUntil")}
        />
      </div>
      <div class="actions">
        <button type="submit">Enregistrer l'organisme</button>
        <a href="/organismes">Retour à la liste des organismes</a>
      </div>
    </form>
  );
}

interface StaffValues {
  email: string;
  fullName: string;
  role: string;
}

function StaffSection(props: { c: Ctx; providerId: string; staff: { id: string; email: string; full_name: string; role: string; active: boolean }[]; values: StaffValues; violations: Violation[]; created?: boolean }) {
  const { values: v, violations } = props;
  const general = generalErrors(violations, ["email", "fullName", "role", "password"]);
  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">Comptes du personnel</h2>
      {props.created ? (
        <p class="alert success" role="status">
          Le compte a été créé. Transmettez le mot de passe initial à son titulaire par un canal sûr.
        </p>
      ) : null}
      <Table label="Comptes de l'organisme">
        <caption>Comptes de l'organisme</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Courriel</th>
            <th scope="col">Rôle</th>
          </tr>
        </thead>
        <tbody>
          {props.staff.length === 0 ? (
            <tr>
              <td colspan={3}>Aucun compte.</td>
            </tr>
          ) : null}
          {props.staff.map((s) => (
            <tr>
              <td>{s.full_name}</td>
              <td>{s.email}</td>
              <td>{roleLabels[s.role as keyof typeof roleLabels] ?? s.role}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h3>Créer un compte</h3>
      <form method="post" action={`/organismes/${props.providerId}/comptes`}>
        <CsrfField c={props.c} />
        {general.length > 0 ? <ViolationList violations={general} /> : null}
        <div class="grid">
          <Field name="fullName" label="Nom et prénom" value={v.fullName} required error={errorFor(violations, "fullName")} />
          <Field name="email" label="Courriel (identifiant de connexion)" type="email" value={v.email} required error={errorFor(violations, "email")} />
          <Select
            name="role"
            label="Rôle"
            value={v.role}
            required
            error={errorFor(violations, "role")}
            options={(["provider_admin", "pedagogical_referent", "trainer"] as const).map((r) => ({ value: r, label: roleLabels[r] }))}
          />
          <Field
            name="password"
            label="Mot de passe initial"
            type="password"
            required
            hint="12 caractères au moins."
            error={errorFor(violations, "password")}
            attrs={{ autocomplete: "new-password" }}
          />
        </div>
        <div class="actions">
          <button type="submit">Créer le compte</button>
        </div>
      </form>
    </section>
  );
}

type DetailForms = {
  provider?: { values: ProviderValues; violations: Violation[] };
  referents?: { values: ReferentValue[]; violations: Violation[] };
  staff?: { values: StaffValues; violations: Violation[] };
};

async function ProviderDetailPage(c: Ctx, id: string, forms: DetailForms = {}) {
  const actor = actorOf(c);
  requireRole(actor, "region_officer");
  const { db, clock } = depsOf(c);
  const o = await uc.providerOverview(db, actor, id, parisDate(clock.now()));
  const p = o.provider;
  const saved = c.req.query("enregistre");
  const failed = Boolean(forms.provider || forms.referents || forms.staff);
  return c.html(
    <Layout c={c} title={p.name}>
      <h1>{p.name}</h1>
      <ViolationList violations={o.warnings} id="provider-warnings" />
      {saved === "organisme" ? (
        <p class="alert success" role="status">
          L'organisme a été enregistré.
        </p>
      ) : null}
      <section aria-labelledby="identity-title">
        <h2 id="identity-title">Identité et certification</h2>
        <ProviderForm
          c={c}
          action={`/organismes/${p.id}`}
          values={
            forms.provider?.values ?? {
              name: p.name,
              siret: p.siret,
              nda: p.nda ?? "",
              legalRepresentative: p.legal_representative ?? "",
              address: p.address ?? "",
              qualiopiIssuer: p.qualiopi_issuer ?? "",
              qualiopiNumber: p.qualiopi_number ?? "",
              qualiopiValidUntil: p.qualiopi_valid_until ?? "",
            }
          }
          violations={forms.provider?.violations ?? []}
        />
      </section>
      <ReferentsSection
        c={c}
        action={`/organismes/${p.id}/referents`}
        values={forms.referents?.values ?? referentValuesFromRows(o.referents)}
        editable
        violations={forms.referents?.violations ?? []}
        saved={saved === "referents"}
      />
      <StaffSection
        c={c}
        providerId={p.id}
        staff={o.staff}
        values={forms.staff?.values ?? { email: "", fullName: "", role: "trainer" }}
        violations={forms.staff?.violations ?? []}
        created={saved === "compte"}
      />
    </Layout>,
    failed ? 422 : 200,
  );
}

const UUID = "{[0-9a-fA-F-]{36}}";

export function registerProviderPages(app: OpenAPIHono<AppEnv>) {
  app.get("/organismes", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const { db, clock } = depsOf(c);
    const today = parisDate(clock.now());
    const providers = await uc.listProviders(db, actor);
    const warnings = await Promise.all(providers.map((p) => uc.providerWarnings(db, p.id, today)));
    return c.html(
      <Layout c={c} title="Organismes de formation">
        <h1>Organismes de formation</h1>
        <p class="actions">
          <a class="button" href="/organismes/nouveau">
            Enregistrer un organisme
          </a>
        </p>
        <Table label="Organismes titulaires">
          <caption>Organismes titulaires</caption>
          <thead>
            <tr>
              <th scope="col">Raison sociale</th>
              <th scope="col">SIRET</th>
              <th scope="col">Qualiopi valable jusqu'au</th>
              <th scope="col">Conformité</th>
            </tr>
          </thead>
          <tbody>
            {providers.length === 0 ? (
              <tr>
                <td colspan={4}>Aucun organisme pour le moment.</td>
              </tr>
            ) : null}
            {providers.map((p, i) => (
              <tr>
                <td>
                  <a href={`/organismes/${p.id}`}>{p.name}</a>
                </td>
                <td>{p.siret}</td>
                <td>{formatDateFr(p.qualiopi_valid_until)}</td>
                <td>
                  {warnings[i].length === 0 ? (
                    <span class="badge accepted">Conforme</span>
                  ) : (
                    <span class="badge requested">
                      {warnings[i].length} avertissement{warnings[i].length > 1 ? "s" : ""} ({warnings[i].map((w) => w.code).join(", ")})
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Layout>,
    );
  });

  const newPage = (c: Ctx, values: ProviderValues, violations: Violation[], status: 200 | 422) =>
    c.html(
      <Layout c={c} title="Nouvel organisme">
        <h1>Nouvel organisme de formation</h1>
        <ProviderForm c={c} action="/organismes/nouveau" values={values} violations={violations} />
      </Layout>,
      status,
    );

  app.get("/organismes/nouveau", (c) => {
    requireRole(actorOf(c), "region_officer");
    return newPage(c, emptyProvider, [], 200);
  });

  app.post("/organismes/nouveau", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const values = providerValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.createProvider(depsOf(c).db, actor, values));
    if (r.ok) return c.redirect(`/organismes/${r.value.id}?enregistre=organisme`, 303);
    return newPage(c, values, r.violations, 422);
  });

  app.get(`/organismes/:id${UUID}`, (c) => ProviderDetailPage(c, c.req.param("id")));

  app.post(`/organismes/:id${UUID}`, async (c) => {
    const actor = actorOf(c);
    const id = c.req.param("id");
    const values = providerValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.updateProvider(depsOf(c).db, actor, id, values));
    if (r.ok) return c.redirect(`/organismes/${id}?enregistre=organisme`, 303);
    return ProviderDetailPage(c, id, { provider: { values, violations: r.violations } });
  });

  app.post(`/organismes/:id${UUID}/referents`, async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const id = c.req.param("id");
    const r = await saveReferentsFromForm(c, actor, id);
    if (r.ok) return c.redirect(`/organismes/${id}?enregistre=referents#referents-title`, 303);
    return ProviderDetailPage(c, id, { referents: r });
  });

  app.post(`/organismes/:id${UUID}/comptes`, async (c) => {
    const actor = actorOf(c);
    const id = c.req.param("id");
    const body = await formBody(c);
    const values = { email: str(body, "email"), fullName: str(body, "fullName"), role: str(body, "role") };
    const r = await attempt(() => uc.createStaffAccount(depsOf(c).db, actor, id, { ...values, password: str(body, "password") }));
    if (r.ok) return c.redirect(`/organismes/${id}?enregistre=compte#staff-title`, 303);
    return ProviderDetailPage(c, id, { staff: { values, violations: r.violations } });
  });
}
