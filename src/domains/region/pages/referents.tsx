// The referents form (CP-REFERENTS), shown on /organismes/:id (Region) and /organisme (provider staff).
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Actor } from "../../../core/auth/actor.ts";
import { isProviderStaff, ownProviderId } from "../../../core/auth/actor.ts";
import type { ReferentKind } from "../../../core/db/schema.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { CsrfField, errorFor, Field, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr, parisDate } from "../../../core/time.ts";
import { REFERENT_KINDS, referentKindLabels } from "../rules.ts";
import * as uc from "../use-cases.ts";
import { attempt, type FormBody, formBody, generalErrors, str } from "./form.ts";
import { Table } from "../../../core/pages/table.tsx";

export interface ReferentValue {
  kind: ReferentKind;
  fullName: string;
  email: string;
  phone: string;
}

export const referentValuesFromRows = (rows: { kind: ReferentKind; full_name: string; email: string | null; phone: string | null }[]) =>
  rows.map((r) => ({ kind: r.kind, fullName: r.full_name, email: r.email ?? "", phone: r.phone ?? "" }));

/** A kind whose name is left empty is not designated. */
export function referentValuesFromForm(body: FormBody): ReferentValue[] {
  return REFERENT_KINDS.map((kind) => ({
    kind,
    fullName: str(body, `referent_${kind}_name`).trim(),
    email: str(body, `referent_${kind}_email`).trim(),
    phone: str(body, `referent_${kind}_phone`).trim(),
  })).filter((r) => r.fullName !== "" || r.email !== "" || r.phone !== "");
}

/** Zod paths ("referents.2.email") → the form's field names ("referent_disability_email"). */
export function referentFieldViolations(values: ReferentValue[], violations: Violation[]): Violation[] {
  const suffix: Record<string, string> = { fullName: "name", email: "email", phone: "phone" };
  return violations.map((v) => {
    const m = /^referents\.(\d+)\.(\w+)$/.exec(v.field ?? "");
    const r = m ? values[Number(m[1])] : undefined;
    return r && m ? { ...v, field: `referent_${r.kind}_${suffix[m[2]] ?? m[2]}` } : v;
  });
}

export async function saveReferentsFromForm(c: Ctx, actor: Actor, providerId: string) {
  const values = referentValuesFromForm(await formBody(c));
  const r = await attempt(() => uc.setReferents(depsOf(c).db, actor, providerId, { referents: values }));
  return r.ok ? { ok: true as const } : { ok: false as const, values, violations: referentFieldViolations(values, r.violations) };
}

export function ReferentsSection(props: {
  c: Ctx;
  action: string;
  values: ReferentValue[];
  editable: boolean;
  violations: Violation[];
  saved?: boolean;
}) {
  const byKind = new Map(props.values.map((v) => [v.kind, v]));
  const fields = REFERENT_KINDS.flatMap((k) => [`referent_${k}_name`, `referent_${k}_email`, `referent_${k}_phone`]);
  const general = generalErrors(props.violations, fields);
  return (
    <section aria-labelledby="referents-title">
      <h2 id="referents-title">Référents de l'organisme (CP-REFERENTS, CCTP §4.1.1)</h2>
      {props.saved ? (
        <p class="alert success" role="status">
          Les référents ont été enregistrés.
        </p>
      ) : null}
      {!props.editable ? (
        <Table label="Référents désignés">
          <caption>Référents désignés</caption>
          <thead>
            <tr>
              <th scope="col">Fonction</th>
              <th scope="col">Nom</th>
              <th scope="col">Courriel</th>
              <th scope="col">Téléphone</th>
            </tr>
          </thead>
          <tbody>
            {REFERENT_KINDS.map((k) => {
              const r = byKind.get(k);
              return (
                <tr>
                  <td>{referentKindLabels[k]}</td>
                  <td>{r?.fullName || "Non désigné"}</td>
                  <td>{r?.email || "—"}</td>
                  <td>{r?.phone || "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      ) : (
        <form method="post" action={props.action}>
          <CsrfField c={props.c} />
          {general.length > 0 ? <ViolationList violations={general} /> : null}
          <p class="hint">Laissez le nom vide pour une fonction non encore pourvue.</p>
          {REFERENT_KINDS.map((k) => {
            const r = byKind.get(k);
            return (
              <fieldset>
                <legend>{referentKindLabels[k]}</legend>
                <div class="grid">
                  <Field name={`referent_${k}_name`} label="Nom et prénom" value={r?.fullName} error={errorFor(props.violations, `referent_${k}_name`)} />
                  <Field
                    name={`referent_${k}_email`}
                    label="Courriel"
                    type="email"
                    value={r?.email}
                    error={errorFor(props.violations, `referent_${k}_email`)}
                  />
                  <Field name={`referent_${k}_phone`} label="Téléphone" type="tel" value={r?.phone} error={errorFor(props.violations, `referent_${k}_phone`)} />
                </div>
              </fieldset>
            );
          })}
          <div class="actions">
            <button type="submit">Enregistrer les référents</button>
          </div>
        </form>
      )}
    </section>
  );
}

async function OwnProviderPage(c: Ctx, form?: { values: ReferentValue[]; violations: Violation[] }) {
  const actor = actorOf(c);
  const providerId = ownProviderId(actor);
  const { db, clock } = depsOf(c);
  const o = await uc.providerOverview(db, actor, providerId, parisDate(clock.now()));
  const p = o.provider;
  return c.html(
    <Layout c={c} title="Organisme et référents">
      <h1>{p.name}</h1>
      <ViolationList violations={o.warnings} id="provider-warnings" />
      <dl class="grid">
        <div>
          <dt>SIRET</dt>
          <dd>{p.siret}</dd>
        </div>
        <div>
          <dt>Déclaration d'activité (NDA)</dt>
          <dd>{p.nda ?? "—"}</dd>
        </div>
        <div>
          <dt>Représentant légal</dt>
          <dd>{p.legal_representative ?? "—"}</dd>
        </div>
        <div>
          <dt>Adresse</dt>
          <dd>{p.address ?? "—"}</dd>
        </div>
        <div>
          <dt>Qualiopi</dt>
          <dd>{p.qualiopi_number ? `${p.qualiopi_number}, valable jusqu'au ${formatDateFr(p.qualiopi_valid_until)}` : "Non renseigné"}</dd>
        </div>
      </dl>
      <p class="muted">Ces informations sont tenues par la Région ; demandez-lui toute modification.</p>
      <ReferentsSection
        c={c}
        action="/organisme/referents"
        values={form?.values ?? referentValuesFromRows(o.referents)}
        editable={actor.role === "provider_admin"}
        violations={form?.violations ?? []}
        saved={c.req.query("enregistre") === "1"}
      />
      <section aria-labelledby="staff-title">
        <h2 id="staff-title">Personnel ayant un compte</h2>
        <ul>
          {o.staff.map((s) => (
            <li>
              {s.full_name} — {s.email}
            </li>
          ))}
        </ul>
      </section>
    </Layout>,
    form ? 422 : 200,
  );
}

export function registerOwnProviderPages(app: OpenAPIHono<AppEnv>) {
  app.get("/organisme", (c) => {
    if (!isProviderStaff(actorOf(c))) return c.redirect("/organismes");
    return OwnProviderPage(c);
  });
  app.post("/organisme/referents", async (c) => {
    const actor = actorOf(c);
    const r = await saveReferentsFromForm(c, actor, ownProviderId(actor));
    if (r.ok) return c.redirect("/organisme?enregistre=1#referents-title", 303);
    return OwnProviderPage(c, r);
  });
}
