// Pages /commandes/nouvelle and /commandes/:id/modifier — the Region places and edits orders (CP-ORDER-CONTENT).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { requireRole } from "../../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import { type Violation, formatMinutes } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import * as uc from "../use-cases.ts";
import { attempt, formBody, hoursInput, inputFromValues, type LineValues, type OrderFormValues, orderedFromValues, valuesFromForm, valuesFromOrder } from "./form.ts";
import { Table } from "../../../core/pages/table.tsx";

type Offer = uc.OrderFormOptions["offer"];
type OfferRow = Offer[number];

const UUID = "{[0-9a-fA-F-]{36}}";
const HEAD_FIELDS = ["number", "lotId", "providerId", "plannedStart", "plannedEnd", "headcount", "unitPrice", "coFunders"];

/**
 * Live ordered hours of what is typed: the section stays and htmx swaps its content on every change
 * (the latest request wins); without JS, "Recalculer" re-renders the whole form.
 */
export function OrderedTotals(props: { values: OrderFormValues; offer: Offer }) {
  return (
    <section
      id="heures-commandees"
      aria-live="polite"
      hx-post="/commandes/calcul"
      hx-trigger="input from:closest form delay:400ms, change from:closest form"
      hx-include="closest form"
      hx-target="this"
      hx-swap="innerHTML"
      hx-sync="this:replace"
    >
      <OrderedTotalsTable values={props.values} offer={props.offer} />
    </section>
  );
}

export function OrderedTotalsTable(props: { values: OrderFormValues; offer: Offer }) {
  const titles = new Map(props.offer.map((o) => [o.id, o.title]));
  const { lines, total } = orderedFromValues(props.values, titles);
  return (
    <>
      <h2>Heures commandées (CP-ORDER-CONTENT)</h2>
      <Table label="Heures commandées = effectif × parcours moyen, par composante">
        <caption>Heures commandées = effectif × parcours moyen, par composante</caption>
        <thead>
          <tr>
            <th scope="col">Composante</th>
            <th scope="col" class="num">Effectif</th>
            <th scope="col" class="num">Heures centre</th>
            <th scope="col" class="num">Heures entreprise</th>
            <th scope="col" class="num">Heures totales</th>
          </tr>
        </thead>
        <tbody>
          {lines.length === 0 ? (
            <tr>
              <td colspan={5}>Aucune composante cochée pour le moment.</td>
            </tr>
          ) : null}
          {lines.map((l) => (
            <tr>
              <th scope="row">{l.title}</th>
              <td class="num">{l.headcount}</td>
              <td class="num">{formatMinutes(l.ordered.centre)}</td>
              <td class="num">{formatMinutes(l.ordered.company)}</td>
              <td class="num">{formatMinutes(l.ordered.total)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total de la commande</th>
            <td class="num">{lines.reduce((a, l) => a + l.headcount, 0)}</td>
            <td class="num" data-total="centre">{formatMinutes(total.centre)}</td>
            <td class="num" data-total="company">{formatMinutes(total.company)}</td>
            <td class="num" data-total="total">{formatMinutes(total.total)}</td>
          </tr>
        </tfoot>
      </Table>
    </>
  );
}

const blankLine = (o: OfferRow): LineValues => ({
  included: false,
  headcount: "",
  centre: hoursInput(o.defaults.centreMinutes),
  company: hoursInput(o.defaults.companyMinutes),
  siteIds: o.sites.length === 1 ? [o.sites[0].id] : [],
});

function LineFieldset(props: { row: OfferRow; values: LineValues; violations: Violation[]; index: number | undefined }) {
  const { row, values } = props;
  const p = `line_${row.id}`;
  const err = (f: string) => (props.index === undefined ? undefined : errorFor(props.violations, `lines.${props.index}.${f}`));
  const siteError = err("siteIds");
  const componentError = err("componentId");
  const defaults = `${formatMinutes(row.defaults.centreMinutes)} en centre, ${formatMinutes(row.defaults.companyMinutes)} en entreprise`;
  return (
    <fieldset class={componentError || siteError ? "has-error" : undefined}>
      <legend>
        {row.title}
        {row.eFormation ? " (Occitanie e-formation)" : ""}
      </legend>
      <div>
        <input type="checkbox" id={`${p}_include`} name={`${p}_include`} value="1" checked={values.included} />{" "}
        <label for={`${p}_include`}>Commander cette composante</label>
      </div>
      {componentError ? <p class="field-error">{componentError}</p> : null}
      <div class="grid">
        <Field name={`${p}_headcount`} label="Effectif de la composante" value={values.headcount} error={err("headcount")} attrs={{ inputmode: "numeric" }} />
        <Field
          name={`${p}_centre`}
          label="Parcours moyen : heures en centre"
          value={values.centre}
          error={err("averagePathCentreMinutes")}
          hint={`En heures (ex. 120 ou 120 h 30). Offre : ${defaults}.`}
        />
        <Field
          name={`${p}_company`}
          label="Parcours moyen : heures en entreprise"
          value={values.company}
          error={err("averagePathCompanyMinutes")}
          hint="70 h au plus (CP-COMPANY-MAX-70H)."
        />
      </div>
      <fieldset aria-describedby={siteError ? `${p}_sites-err` : undefined}>
        <legend>Sites de réalisation</legend>
        {row.sites.length === 0 ? <p class="muted">Aucun site n'est prévu pour cette composante dans l'offre.</p> : null}
        {row.sites.map((s) => (
          <div>
            <input type="checkbox" id={`${p}_site_${s.id}`} name={`${p}_sites`} value={s.id} checked={values.siteIds.includes(s.id)} />{" "}
            <label for={`${p}_site_${s.id}`}>
              {s.name} — {s.commune} ({s.departementCode})
            </label>
          </div>
        ))}
        {siteError ? (
          <p class="field-error" id={`${p}_sites-err`}>
            {siteError}
          </p>
        ) : null}
      </fieldset>
    </fieldset>
  );
}

interface FormProps {
  c: Ctx;
  action: string;
  values: OrderFormValues;
  offer: Offer;
  violations: Violation[];
  lineComponents: string[];
  editing?: { orderId: string; lotLabel: string; providerLabel: string };
}

function OrderForm(props: FormProps) {
  const { values, violations } = props;
  const lineFields = props.offer.map((o) => o.id);
  const general = violations.filter((v) => v.severity === "error" && (!v.field || !(HEAD_FIELDS.includes(v.field) || /^lines\.\d+\./.test(v.field))));
  const rowErrorsUnshown = violations.filter((v) => v.field && /^lines\.(\d+)\./.test(v.field) && !lineFields.includes(props.lineComponents[Number(/^lines\.(\d+)\./.exec(v.field)![1])]));
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      <input type="hidden" name="lotId" value={values.lotId} />
      <input type="hidden" name="providerId" value={values.providerId} />
      {props.editing ? <input type="hidden" name="orderId" value={props.editing.orderId} /> : null}
      {general.length + rowErrorsUnshown.length > 0 ? <ViolationList violations={[...general, ...rowErrorsUnshown]} /> : null}
      <div class="grid">
        {props.editing ? (
          <div class="field">
            <p>
              <strong>Numéro :</strong> {values.number}
              <br />
              <strong>Lot :</strong> {props.editing.lotLabel}
              <br />
              <strong>Organisme :</strong> {props.editing.providerLabel}
            </p>
          </div>
        ) : (
          <Field name="number" label="Numéro du bon de commande" value={values.number} required error={errorFor(violations, "number")} hint="Exemple : BC-2026-031-004" />
        )}
        <Field name="plannedStart" label="Début prévu" type="date" value={values.plannedStart} required error={errorFor(violations, "plannedStart")} />
        <Field name="plannedEnd" label="Fin prévue" type="date" value={values.plannedEnd} required error={errorFor(violations, "plannedEnd")} />
        <Field name="headcount" label="Effectif prévisionnel (indicatif)" value={values.headcount} required error={errorFor(violations, "headcount")} attrs={{ inputmode: "numeric" }} />
        <Field name="unitPrice" label="Prix de l'heure (€)" value={values.unitPrice} required error={errorFor(violations, "unitPrice")} hint="Exemple : 12,50" attrs={{ inputmode: "decimal" }} />
      </div>
      <div class={errorFor(violations, "coFunders") ? "field has-error" : "field"}>
        <label for="f-coFunders">Cofinanceurs (un par ligne)</label>
        <p class="hint" id="f-coFunders-hint">
          Le Fonds social européen (FSE, FSE+) ne cofinance pas Compétences Plus (CP-NO-FSE, CCTP §II.1).
        </p>
        <textarea id="f-coFunders" name="coFunders" aria-describedby={errorFor(violations, "coFunders") ? "f-coFunders-hint f-coFunders-err" : "f-coFunders-hint"} aria-invalid={errorFor(violations, "coFunders") ? "true" : undefined}>
          {values.coFunders}
        </textarea>
        {errorFor(violations, "coFunders") ? (
          <p class="field-error" id="f-coFunders-err">
            {errorFor(violations, "coFunders")}
          </p>
        ) : null}
      </div>
      <h2>Composantes commandées (offre acceptée de l'organisme pour ce lot)</h2>
      {props.offer.length === 0 ? (
        <p class="alert warning">Cet organisme n'a aucune composante acceptée dans ce lot : la commande ne peut nommer que des composantes acceptées (CP-ORDER-FROM-OFFER).</p>
      ) : null}
      {props.offer.map((row) => {
        const index = props.lineComponents.indexOf(row.id);
        return <LineFieldset row={row} values={values.lines[row.id] ?? blankLine(row)} violations={violations} index={index === -1 ? undefined : index} />;
      })}
      <OrderedTotals values={values} offer={props.offer} />
      <div class="actions">
        <button type="submit">{props.editing ? "Enregistrer les modifications" : "Passer la commande"}</button>
        <button type="submit" name="intent" value="calcul" class="secondary">
          Recalculer les heures commandées
        </button>
        <a href={props.editing ? props.action.replace(/\/modifier$/, "") : "/commandes"}>Annuler</a>
      </div>
    </form>
  );
}

/** Offer rows, plus any line already ordered whose component is no longer in the accepted offer. */
function rowsFor(offer: Offer, detail?: uc.OrderDetail): Offer {
  if (!detail) return offer;
  const rows = offer.map((o) => {
    const line = detail.lines.find((l) => l.componentId === o.id);
    if (!line) return o;
    const sites = [...o.sites, ...line.sites.filter((s) => !o.sites.some((x) => x.id === s.id))];
    return { ...o, sites };
  });
  for (const l of detail.lines) {
    if (rows.some((r) => r.id === l.componentId)) continue;
    rows.push({ id: l.componentId, title: l.componentTitle, eFormation: false, defaults: { centreMinutes: l.averagePathCentreMinutes, companyMinutes: l.averagePathCompanyMinutes }, sites: l.sites });
  }
  return rows;
}

function ChooseLotAndProvider(props: { c: Ctx; options: uc.OrderFormOptions; lotId: string; providerId: string }) {
  return (
    <form method="get" action="/commandes/nouvelle" class="narrow">
      <p>Une commande porte sur un lot et s'adresse à un organisme titulaire (CP-LOTS). Choisissez-les pour afficher son offre acceptée.</p>
      <Select name="lot" label="Lot" required value={props.lotId} emptyLabel="— Choisir un lot —" options={props.options.lots.map((l) => ({ value: l.id, label: `${l.code} — ${l.name}` }))} />
      <Select name="organisme" label="Organisme de formation" required value={props.providerId} emptyLabel="— Choisir un organisme —" options={props.options.providers.map((p) => ({ value: p.id, label: p.name }))} />
      <div class="actions">
        <button type="submit">Afficher l'offre acceptée</button>
        <a href="/commandes">Retour aux commandes</a>
      </div>
    </form>
  );
}

/** The API names the price in cents; the form field is the price in euros. */
const aliasFields = (violations: Violation[]) => violations.map((v) => (v.field === "unitPriceCents" ? { ...v, field: "unitPrice" } : v));

export function registerOrderFormPages(app: OpenAPIHono<AppEnv>) {
  const newPage = async (c: Ctx, values: OrderFormValues, violations: Violation[], lineComponents: string[], status: 200 | 422) => {
    const options = await uc.orderFormOptions(depsOf(c).db, actorOf(c), values.lotId, values.providerId);
    const chosen = options.lot && options.provider;
    return c.html(
      <Layout c={c} title="Nouvelle commande" wide>
        <h1>Nouvelle commande</h1>
        {chosen ? (
          <>
            <p>
              Lot <strong>{options.lot!.code} — {options.lot!.name}</strong> ({options.lot!.departements.join(", ")}), organisme <strong>{options.provider!.name}</strong>.{" "}
              <a href="/commandes/nouvelle">Changer de lot ou d'organisme</a>
            </p>
            <OrderForm c={c} action="/commandes/nouvelle" values={values} offer={options.offer} violations={violations} lineComponents={lineComponents} />
          </>
        ) : (
          <ChooseLotAndProvider c={c} options={options} lotId={values.lotId} providerId={values.providerId} />
        )}
      </Layout>,
      status,
    );
  };

  app.get("/commandes/nouvelle", (c) => {
    requireRole(actorOf(c), "region_officer");
    const values: OrderFormValues = { number: "", lotId: c.req.query("lot") ?? "", providerId: c.req.query("organisme") ?? "", plannedStart: "", plannedEnd: "", headcount: "", unitPrice: "", coFunders: "", lines: {} };
    return newPage(c, values, [], [], 200);
  });

  app.post("/commandes/nouvelle", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const body = await formBody(c);
    const values = valuesFromForm(body);
    const parsed = inputFromValues(values);
    if (body.intent === "calcul") return newPage(c, values, [], parsed.lineComponents, 200);
    const r = parsed.violations.length > 0 ? { ok: false as const, violations: parsed.violations } : await attempt(() => uc.createOrder(depsOf(c).db, actor, parsed.input));
    if (r.ok) return c.redirect(`/commandes/${r.value.order.id}?enregistre=1`, 303);
    return newPage(c, values, aliasFields(r.violations), parsed.lineComponents, 422);
  });

  const editPage = async (c: Ctx, detail: uc.OrderDetail, values: OrderFormValues, violations: Violation[], lineComponents: string[], status: 200 | 422) => {
    const o = detail.order;
    const options = await uc.orderFormOptions(depsOf(c).db, actorOf(c), o.lot_id, o.provider_id);
    return c.html(
      <Layout c={c} title={`Modifier la commande ${o.number}`} wide>
        <h1>Modifier la commande {o.number}</h1>
        <p class="muted">
          Période actuelle : du {formatDateFr(o.planned_start)} au {formatDateFr(o.planned_end)}. Une composante qui a des parcours ne peut être ni retirée ni privée d'un de ses sites.
        </p>
        <OrderForm
          c={c}
          action={`/commandes/${o.id}/modifier`}
          values={values}
          offer={rowsFor(options.offer, detail)}
          violations={violations}
          lineComponents={lineComponents}
          editing={{ orderId: o.id, lotLabel: `${o.lot_code} — ${o.lot_name}`, providerLabel: o.provider_name }}
        />
      </Layout>,
      status,
    );
  };

  app.get(`/commandes/:id${UUID}/modifier`, async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const detail = await uc.getOrder(depsOf(c).db, actor, c.req.param("id"));
    const values = valuesFromOrder(detail);
    return editPage(c, detail, values, [], inputFromValues(values).lineComponents, 200);
  });

  app.post(`/commandes/:id${UUID}/modifier`, async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const detail = await uc.getOrder(depsOf(c).db, actor, c.req.param("id"));
    const body = await formBody(c);
    // Number, lot and provider are fixed once ordered: never taken from the form.
    const values = { ...valuesFromForm(body), number: detail.order.number, lotId: detail.order.lot_id, providerId: detail.order.provider_id };
    const parsed = inputFromValues(values);
    if (body.intent === "calcul") return editPage(c, detail, values, [], parsed.lineComponents, 200);
    const r = parsed.violations.length > 0 ? { ok: false as const, violations: parsed.violations } : await attempt(() => uc.updateOrder(depsOf(c).db, actor, detail.order.id, parsed.input));
    if (r.ok) return c.redirect(`/commandes/${detail.order.id}?enregistre=1`, 303);
    return editPage(c, detail, values, aliasFields(r.violations), parsed.lineComponents, 422);
  });

  // htmx: the live totals of the form being typed (region only, like the form itself).
  app.post("/commandes/calcul", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const body = await formBody(c);
    const values = valuesFromForm(body);
    const { db } = depsOf(c);
    const options = await uc.orderFormOptions(db, actor, values.lotId, values.providerId);
    // When editing, lines whose component has left the offer still need their title.
    const orderId = typeof body.orderId === "string" && /^[0-9a-fA-F-]{36}$/.test(body.orderId) ? body.orderId : undefined;
    const offer = orderId ? rowsFor(options.offer, await uc.getOrder(db, actor, orderId)) : options.offer;
    return c.html(<OrderedTotalsTable values={values} offer={offer} />);
  });
}
