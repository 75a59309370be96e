// Pages /demandes (list), /demandes/nouvelle (the provider files), /demandes/:id (detail, the Region decides).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { isProviderStaff } from "../../core/auth/actor.ts";
import { may } from "../../core/auth/roles.ts";
import type { ChangeRequestKind } from "../../core/db/schema.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt, type FormBody, formBody, generalErrors, str, strs } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../core/pages/layout.tsx";
import { parseDuration, type Violation } from "../../core/rules.ts";
import { formatDateFr, parisDate } from "../../core/time.ts";
import { listComponents, listSites } from "../offer/use-cases.ts";
import { listOrders } from "../orders/use-cases.ts";
import { KINDS, kindLabels, statusLabels } from "./rules.ts";
import * as uc from "./use-cases.ts";
import { Table } from "../../core/pages/table.tsx";

const when = (d: Date | string | null) => (d ? formatDateFr(parisDate(new Date(d))) : "");

/** The form's fields → the request input (nested site and module fields, hours read as people type them). */
function inputFromForm(body: FormBody): Record<string, unknown> {
  const s = (n: string) => str(body, n);
  const kind = s("kind") as ChangeRequestKind;
  const base = { kind, reason: s("reason") };
  const minutes = (n: string) => parseDuration(s(n)) ?? -1;
  switch (kind) {
    case "bank_details":
      return { ...base, iban: s("iban"), bic: s("bic"), accountHolder: s("accountHolder") };
    case "contacts":
      return { ...base, contactEmail: s("contactEmail"), contactPhone: s("contactPhone") };
    case "siret":
      return { ...base, siret: s("siret") };
    case "legal_representative":
      return { ...base, legalRepresentative: s("legalRepresentative") };
    case "address":
      return { ...base, address: s("address") };
    case "certification":
      return { ...base, certificateKind: s("certificateKind"), issuer: s("issuer"), number: s("number"), validFrom: s("validFrom"), validUntil: s("validUntil") };
    case "site":
      return {
        ...base,
        siteId: s("siteId"),
        site: { name: s("siteName"), address: s("siteAddress"), postcode: s("sitePostcode"), commune: s("siteCommune"), departementCode: s("siteDepartement"), accessible: s("siteAccessible") === "on" },
      };
    case "order_dates":
      return { ...base, orderId: s("orderId"), plannedStart: s("plannedStart"), plannedEnd: s("plannedEnd") };
    case "new_site":
      return { ...base, orderId: s("orderId"), componentId: s("componentId"), siteId: s("siteId") };
    case "new_component":
      return {
        ...base,
        orderId: s("orderId"),
        componentId: s("componentId"),
        siteIds: strs(body, "siteIds"),
        headcount: Number(s("headcount")) || 0,
        averagePathCentreMinutes: minutes("centreHours"),
        averagePathCompanyMinutes: minutes("companyHours"),
      };
    case "new_module":
      return { ...base, componentId: s("componentId"), module: { title: s("moduleTitle"), duration: s("moduleDuration"), modality: s("moduleModality") } };
    case "drop_component":
      return { ...base, orderId: s("orderId"), componentId: s("componentId") };
    default:
      return base;
  }
}

/** Form fields named as the input's fields (site.name → siteName…), so errors land next to them. */
const FIELD_OF: Record<string, string> = { "site.name": "siteName", "site.address": "siteAddress", "site.postcode": "sitePostcode", "site.commune": "siteCommune", "site.departementCode": "siteDepartement", departementCode: "siteDepartement", "module.title": "moduleTitle", "module.duration": "moduleDuration", "module.modality": "moduleModality", averagePathCentreMinutes: "centreHours", averagePathCompanyMinutes: "companyHours" };
const placed = (violations: Violation[]) => violations.map((v) => (v.field && FIELD_OF[v.field] ? { ...v, field: FIELD_OF[v.field] } : v));

interface Options {
  orders: { value: string; label: string }[];
  components: { value: string; label: string }[];
  sites: { value: string; label: string }[];
}

function KindFields(props: { kind: ChangeRequestKind; v: FormBody; violations: Violation[]; o: Options }) {
  const { v, violations: e, o } = props;
  const f = (name: string, label: string, extra: { type?: string; hint?: string; required?: boolean; attrs?: Record<string, string> } = {}) => (
    <Field name={name} label={label} value={str(v, name)} type={extra.type} hint={extra.hint} required={extra.required ?? true} error={errorFor(e, name)} attrs={extra.attrs} />
  );
  const sel = (name: string, label: string, options: { value: string; label: string }[]) => (
    <Select name={name} label={label} options={options} value={str(v, name)} required emptyLabel="— Choisir —" error={errorFor(e, name)} />
  );
  switch (props.kind) {
    case "bank_details":
      return (
        <>
          {f("iban", "IBAN", { hint: "27 caractères pour un compte français, contrôlés par leur clé (ex. FR76 3000 6000 0112 3456 7890 189).", attrs: { autocomplete: "off" } })}
          {f("bic", "BIC", { hint: "8 ou 11 caractères." })}
          {f("accountHolder", "Titulaire du compte")}
        </>
      );
    case "contacts":
      return (
        <>
          {f("contactEmail", "Adresse e-mail de contact", { type: "email" })}
          {f("contactPhone", "Téléphone", { required: false, type: "tel" })}
        </>
      );
    case "siret":
      return f("siret", "Nouveau SIRET", { hint: "14 chiffres, contrôlés par leur clé.", attrs: { inputmode: "numeric" } });
    case "legal_representative":
      return f("legalRepresentative", "Représentant légal");
    case "address":
      return f("address", "Adresse du siège");
    case "certification":
      return (
        <>
          {sel("certificateKind", "Certificat", [
            { value: "qualiopi", label: "Qualiopi" },
            { value: "certif_region", label: "Certif'Région" },
          ])}
          {f("issuer", "Organisme certificateur")}
          {f("number", "Numéro du certificat")}
          {f("validFrom", "Valable du", { type: "date" })}
          {f("validUntil", "Valable jusqu'au", { type: "date" })}
        </>
      );
    case "site":
      return (
        <>
          {sel("siteId", "Site concerné", o.sites)}
          {f("siteName", "Nom du site")}
          {f("siteAddress", "Adresse")}
          {f("sitePostcode", "Code postal", { attrs: { inputmode: "numeric" } })}
          {f("siteCommune", "Commune")}
          {f("siteDepartement", "Département", { hint: "Code à 2 chiffres (ex. 31)." })}
          <div class="field">
            <input type="checkbox" id="f-siteAccessible" name="siteAccessible" checked={str(v, "siteAccessible") === "on"} />
            <label for="f-siteAccessible">Accessible aux personnes à mobilité réduite</label>
          </div>
        </>
      );
    case "order_dates":
      return (
        <>
          {sel("orderId", "Commande", o.orders)}
          {f("plannedStart", "Nouveau début prévu", { type: "date" })}
          {f("plannedEnd", "Nouvelle fin prévue", { type: "date" })}
        </>
      );
    case "new_site":
      return (
        <>
          {sel("orderId", "Commande", o.orders)}
          {sel("componentId", "Composante commandée", o.components)}
          {sel("siteId", "Nouveau site", o.sites)}
        </>
      );
    case "new_component":
      return (
        <>
          {sel("orderId", "Commande", o.orders)}
          {sel("componentId", "Composante acceptée à ajouter", o.components)}
          {sel("siteIds", "Site de réalisation", o.sites)}
          {f("headcount", "Effectif", { type: "number", attrs: { min: "1" } })}
          {f("centreHours", "Parcours moyen en centre (heures)", { hint: "Ex. 150 ou 150h30." })}
          {f("companyHours", "Parcours moyen en entreprise (heures)", { hint: "0 si aucun." })}
        </>
      );
    case "new_module":
      return (
        <>
          {sel("componentId", "Composante", o.components)}
          {f("moduleTitle", "Intitulé du module")}
          {f("moduleDuration", "Durée", { hint: "Ex. 14 ou 3h30." })}
          {sel("moduleModality", "Modalité", [
            { value: "centre", label: "Présentiel en centre" },
            { value: "distance", label: "Formation à distance (tutorat)" },
            { value: "self_study", label: "Autoformation" },
            { value: "company", label: "Période en entreprise" },
            { value: "gathering", label: "Regroupement" },
          ])}
        </>
      );
    case "drop_component":
      return (
        <>
          {sel("orderId", "Commande", o.orders)}
          {sel("componentId", "Composante à abandonner", o.components)}
        </>
      );
  }
}

async function optionsFor(c: Ctx): Promise<Options> {
  const { db } = depsOf(c);
  const actor = actorOf(c);
  const orders = (await listOrders(db, actor)).filter((x) => x.status === "issued");
  const components = (await listComponents(db, actor)).filter((x) => x.offer_status === "accepted");
  const sites = await listSites(db, actor);
  return {
    orders: orders.map((x) => ({ value: x.id, label: `${x.number} (${x.lot_code})` })),
    components: components.map((x) => ({ value: x.id, label: x.title })),
    sites: sites.map((x) => ({ value: x.id, label: `${x.name} — ${x.commune} (${x.departement_code})` })),
  };
}

async function NewRequestPage(props: { c: Ctx; kind: ChangeRequestKind | undefined; values: FormBody; violations: Violation[] }) {
  const { c, kind, values, violations } = props;
  const fieldNames = ["reason", "attachments", "iban", "bic", "accountHolder", "contactEmail", "contactPhone", "siret", "legalRepresentative", "address", "certificateKind", "issuer", "number", "validFrom", "validUntil", "siteId", "siteName", "siteAddress", "sitePostcode", "siteCommune", "siteDepartement", "orderId", "plannedStart", "plannedEnd", "componentId", "siteIds", "headcount", "centreHours", "companyHours", "moduleTitle", "moduleDuration", "moduleModality"];
  const general = generalErrors(violations, fieldNames);
  return (
    <Layout c={c} title="Nouvelle demande de modification">
      <h1>Nouvelle demande de modification</h1>
      <p>La Région examine chaque demande et l'accepte ou la refuse par écrit (CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES, CCTP §3.1.1 et §4.1.2). Une demande acceptée s'applique aussitôt.</p>
      <form method="get" action="/demandes/nouvelle" class="inline">
        <Select name="type" label="Objet de la demande" options={KINDS.map((k) => ({ value: k, label: kindLabels[k] }))} value={kind ?? ""} emptyLabel="— Choisir —" required />
        <button type="submit">Choisir</button>
      </form>
      {kind ? (
        <form method="post" action="/demandes/nouvelle" enctype="multipart/form-data">
          <CsrfField c={c} />
          <input type="hidden" name="kind" value={kind} />
          <h2>{kindLabels[kind]}</h2>
          {general.length > 0 ? <ViolationList violations={general} /> : null}
          <KindFields kind={kind} v={values} violations={violations} o={await optionsFor(c)} />
          <div class={errorFor(violations, "reason") ? "field has-error" : "field"}>
            <label for="f-reason">
              Motif de la demande<span aria-hidden="true"> *</span>
            </label>
            <textarea id="f-reason" name="reason" required rows={3} maxlength={2000} aria-invalid={errorFor(violations, "reason") ? "true" : undefined}>
              {str(values, "reason")}
            </textarea>
            {errorFor(violations, "reason") ? <p class="field-error">{errorFor(violations, "reason")}</p> : null}
          </div>
          <div class={errorFor(violations, "attachments") ? "field has-error" : "field"}>
            <label for="f-attachments">Pièces justificatives (RIB, Kbis, certificat…)</label>
            <p class="hint" id="f-attachments-hint">
              PDF, JPEG ou PNG, 10 Mo au plus chacune.
            </p>
            <input type="file" id="f-attachments" name="attachments" multiple accept="application/pdf,image/jpeg,image/png" aria-describedby="f-attachments-hint" />
            {errorFor(violations, "attachments") ? <p class="field-error">{errorFor(violations, "attachments")}</p> : null}
          </div>
          <div class="actions">
            <button type="submit">Déposer la demande</button>
            <a href="/demandes">Retour aux demandes</a>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

function ListPage(props: { c: Ctx; rows: Awaited<ReturnType<typeof uc.listChangeRequests>>; status?: string }) {
  const { c, rows } = props;
  const actor = actorOf(c);
  const region = actor.role === "region_officer";
  return (
    <Layout c={c} title="Demandes de modification" wide>
      <h1>Demandes de modification</h1>
      {isProviderStaff(actor) && may(actor, "changes.file") ? (
        <p>
          <a href="/demandes/nouvelle" class="button">
            Nouvelle demande
          </a>
        </p>
      ) : null}
      <form method="get" action="/demandes" class="inline">
        <Select name="statut" label="État" options={Object.entries(statusLabels).map(([value, label]) => ({ value, label }))} value={props.status ?? ""} emptyLabel="Tous" />
        <button type="submit">Filtrer</button>
      </form>
      {rows.length === 0 ? (
        <p>Aucune demande.</p>
      ) : (
        <Table label="Demandes de modification">
          <caption class="visually-hidden">Demandes de modification</caption>
          <thead>
            <tr>
              <th scope="col">Référence</th>
              {region ? <th scope="col">Organisme</th> : null}
              <th scope="col">Objet</th>
              <th scope="col">Commande</th>
              <th scope="col">Déposée le</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/demandes/${r.id}`}>{uc.referenceOf(r.id)}</a>
                </td>
                {region ? <td>{r.provider_name}</td> : null}
                <td>{kindLabels[r.kind]}</td>
                <td>{r.order_number ?? "—"}</td>
                <td>{when(r.filed_at)}</td>
                <td>{statusLabels[r.status]}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Layout>
  );
}

const LABELS: Record<string, string> = {
  iban: "IBAN",
  bic: "BIC",
  accountHolder: "Titulaire",
  bank_account_holder: "Titulaire",
  contactEmail: "E-mail",
  contactPhone: "Téléphone",
  siret: "SIRET",
  legalRepresentative: "Représentant légal",
  address: "Adresse",
  certificateKind: "Certificat",
  issuer: "Certificateur",
  number: "Numéro",
  validFrom: "Valable du",
  validUntil: "Valable jusqu'au",
  plannedStart: "Début prévu",
  plannedEnd: "Fin prévue",
  headcount: "Effectif",
};
const shown = (v: unknown): string => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

function DetailPage(props: { c: Ctx; r: uc.ChangeRequestDetail; violations: Violation[]; typed?: { decision: string; reason: string } }) {
  const { c, r, violations } = props;
  const actor = actorOf(c);
  const payload = Object.entries(r.payload as Record<string, unknown>).filter(([k]) => k !== "kind" && !k.endsWith("Id"));
  return (
    <Layout c={c} title={`Demande ${uc.referenceOf(r.id)}`}>
      <h1>
        Demande {uc.referenceOf(r.id)} — {kindLabels[r.kind]}
      </h1>
      <dl class="facts">
        <dt>Organisme</dt>
        <dd>{r.provider_name}</dd>
        {r.order_number ? (
          <>
            <dt>Commande</dt>
            <dd>
              <a href={`/commandes/${r.order_id}`}>{r.order_number}</a>
            </dd>
          </>
        ) : null}
        <dt>Déposée</dt>
        <dd>
          le {when(r.filed_at)} par {r.filed_by_name}
        </dd>
        <dt>État</dt>
        <dd>
          <strong>{statusLabels[r.status]}</strong>
          {r.decided_at ? ` le ${when(r.decided_at)} par ${r.decided_by_name ?? "la Région"}` : ""}
        </dd>
        {r.decision_reason ? (
          <>
            <dt>Motif de la Région</dt>
            <dd>{r.decision_reason}</dd>
          </>
        ) : null}
        <dt>Motif de la demande</dt>
        <dd>{r.reason}</dd>
      </dl>
      <h2>Modification demandée</h2>
      <Table label="Valeurs demandées">
        <caption class="visually-hidden">Valeurs demandées</caption>
        <thead>
          <tr>
            <th scope="col">Champ</th>
            <th scope="col">Valeur demandée</th>
            {r.before ? <th scope="col">Valeur remplacée</th> : null}
          </tr>
        </thead>
        <tbody>
          {payload.map(([k, v]) => (
            <tr>
              <th scope="row">{LABELS[k] ?? k}</th>
              <td>{shown(v)}</td>
              {r.before ? <td>{shown((r.before as Record<string, unknown>)[k] ?? (r.before as Record<string, unknown>)[k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)])}</td> : null}
            </tr>
          ))}
        </tbody>
      </Table>
      <h2>Pièces jointes</h2>
      {r.attachments.length === 0 ? (
        <p>Aucune pièce jointe.</p>
      ) : (
        <ul>
          {r.attachments.map((a) => (
            <li>
              <a href={`/demandes/${r.id}/pieces/${a.id}`}>{a.filename}</a> ({Math.ceil(a.size_bytes / 1024)} Ko)
            </li>
          ))}
        </ul>
      )}
      {r.status === "filed" && actor.role === "region_officer" ? (
        <form method="post" action={`/demandes/${r.id}/decision`}>
          <h2>Décision de la Région</h2>
          <CsrfField c={c} />
          {violations.length > 0 ? <ViolationList violations={violations} title="La décision n'a pas été enregistrée" /> : null}
          <fieldset>
            <legend>Décision</legend>
            <div>
              <input type="radio" id="d-accepted" name="decision" value="accepted" required checked={props.typed?.decision === "accepted"} />
              <label for="d-accepted">Accepter (la modification s'applique aussitôt)</label>
            </div>
            <div>
              <input type="radio" id="d-refused" name="decision" value="refused" checked={props.typed?.decision === "refused"} />
              <label for="d-refused">Refuser</label>
            </div>
          </fieldset>
          <div class={errorFor(violations, "reason") ? "field has-error" : "field"}>
            <label for="f-reason">Motif (obligatoire pour un refus)</label>
            <textarea id="f-reason" name="reason" rows={3} maxlength={2000} aria-invalid={errorFor(violations, "reason") ? "true" : undefined} aria-describedby={errorFor(violations, "reason") ? "f-reason-err" : undefined}>
              {props.typed?.reason ?? ""}
            </textarea>
            {errorFor(violations, "reason") ? (
              <p class="field-error" id="f-reason-err">
                {errorFor(violations, "reason")}
              </p>
            ) : null}
          </div>
          <button type="submit">Enregistrer la décision</button>
        </form>
      ) : null}
      {r.status === "filed" && isProviderStaff(actor) && may(actor, "changes.file") ? (
        <form method="post" action={`/demandes/${r.id}/retrait`}>
          <CsrfField c={c} />
          <button type="submit" class="secondary">
            Retirer la demande
          </button>
        </form>
      ) : null}
      <p>
        <a href="/demandes">Retour aux demandes</a>
      </p>
    </Layout>
  );
}

const fileInputs = async (body: FormBody) => {
  const raw = body.attachments;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((f): f is File => f instanceof File && f.size > 0);
  return Promise.all(list.map(async (f) => ({ filename: f.name, contentType: f.type, bytes: new Uint8Array(await f.arrayBuffer()) })));
};

export function registerChangePages(app: OpenAPIHono<AppEnv>) {
  app.get("/demandes", async (c) => {
    const status = c.req.query("statut") || undefined;
    const rows = await uc.listChangeRequests(depsOf(c).db, actorOf(c), { status: status && status in statusLabels ? status : undefined });
    return c.html(<ListPage c={c} rows={rows} status={status} />);
  });
  app.get("/demandes/nouvelle", async (c) => {
    const type = c.req.query("type");
    const kind = (KINDS as readonly string[]).includes(type ?? "") ? (type as ChangeRequestKind) : undefined;
    return c.html(await NewRequestPage({ c, kind, values: {}, violations: [] }));
  });
  app.post("/demandes/nouvelle", async (c) => {
    const body = await formBody(c);
    const { db, clock } = depsOf(c);
    const result = await attempt(async () => uc.fileChangeRequest(db, actorOf(c), clock, inputFromForm(body), await fileInputs(body)));
    if (result.ok) return c.redirect(`/demandes/${result.value.id}`, 303);
    const kind = str(body, "kind");
    return c.html(await NewRequestPage({ c, kind: (KINDS as readonly string[]).includes(kind) ? (kind as ChangeRequestKind) : undefined, values: body, violations: placed(result.violations) }), 422);
  });
  app.get("/demandes/:id", async (c) => c.html(<DetailPage c={c} r={await uc.getChangeRequest(depsOf(c).db, actorOf(c), c.req.param("id"))} violations={[]} />));
  app.post("/demandes/:id/decision", async (c) => {
    const body = await formBody(c);
    const { db, clock } = depsOf(c);
    const id = c.req.param("id");
    const typed = { decision: str(body, "decision"), reason: str(body, "reason") };
    const result = await attempt(() => uc.decideChangeRequest(db, actorOf(c), clock, id, typed));
    if (result.ok) return c.redirect(`/demandes/${id}`, 303);
    return c.html(<DetailPage c={c} r={await uc.getChangeRequest(db, actorOf(c), id)} violations={result.violations} typed={typed} />, 422);
  });
  app.post("/demandes/:id/retrait", async (c) => {
    const id = c.req.param("id");
    await uc.withdrawChangeRequest(depsOf(c).db, actorOf(c), id);
    return c.redirect(`/demandes/${id}`, 303);
  });
  app.get("/demandes/:id/pieces/:attachmentId", async (c) => {
    const a = await uc.changeRequestAttachment(depsOf(c).db, actorOf(c), c.req.param("id"), c.req.param("attachmentId"));
    return c.body(new Uint8Array(a.bytes), 200, {
      "content-type": a.content_type,
      "content-disposition": `attachment; filename="${a.filename.replace(/[^\w.-]/g, "_")}"`,
      "x-content-type-options": "nosniff",
    });
  });
}
