// Pages /lots, /lots/nouveau, /lots/:id — the Region's lots (CP-LOTS).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { requireRole } from "../../../core/auth/actor.ts";
import type { Category } from "../../../core/db/schema.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { CsrfField, errorFor, Field, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import * as uc from "../use-cases.ts";
import { attempt, type FormBody, formBody, generalErrors, str, strs } from "./form.ts";
import { Table } from "../../../core/pages/table.tsx";

export const categoryLabels: Record<Category, string> = {
  transverse: "Transverse",
  regulatory: "Réglementaire",
  specific_preparation: "Préparation spécifique",
};

interface LotValues {
  code: string;
  name: string;
  frameworkEnd: string;
  departements: string[];
  expectedComponents: { title: string; category: string }[];
}

const BLANK_ROWS = 3;

function lotValuesFromForm(body: FormBody): LotValues {
  const titles = strs(body, "expected_title");
  const categories = strs(body, "expected_category");
  return {
    code: str(body, "code"),
    name: str(body, "name"),
    frameworkEnd: str(body, "frameworkEnd"),
    departements: strs(body, "departements"),
    expectedComponents: titles
      .map((title, i) => ({ title: title.trim(), category: categories[i] ?? "" }))
      .filter((e) => e.title !== ""),
  };
}

function LotForm(props: { c: Ctx; action: string; values: LotValues; departements: { code: string; name: string }[]; violations: Violation[] }) {
  const { values, violations } = props;
  const rows = [...values.expectedComponents, ...Array.from({ length: BLANK_ROWS }, () => ({ title: "", category: "transverse" }))];
  const general = generalErrors(violations, ["code", "name", "frameworkEnd", "departements"]);
  const depError = errorFor(violations, "departements");
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      {general.length > 0 ? <ViolationList violations={general} /> : null}
      <div class="grid">
        <Field name="code" label="Code du lot" value={values.code} required error={errorFor(violations, "code")} hint="Exemple : LOT-1" />
        <Field name="name" label="Nom du lot" value={values.name} required error={errorFor(violations, "name")} />
        <Field
          name="frameworkEnd"
          label="Fin de l'accord-cadre"
          type="date"
          value={values.frameworkEnd}
          required
          error={errorFor(violations, "frameworkEnd")}
        />
      </div>
      <fieldset aria-describedby={depError ? "departements-err" : undefined}>
        <legend>Territoire : départements couverts (CP-LOTS)</legend>
        {props.departements.length === 0 ? <p class="muted">Aucun département n'est enregistré sur la plateforme.</p> : null}
        <div class="cards">
          {props.departements.map((d) => (
            <div>
              <input type="checkbox" id={`dep-${d.code}`} name="departements" value={d.code} checked={values.departements.includes(d.code)} />{" "}
              <label for={`dep-${d.code}`}>
                {d.code} — {d.name}
              </label>
            </div>
          ))}
        </div>
        {depError ? (
          <p class="field-error" id="departements-err">
            {depError}
          </p>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Composantes attendues par la Région (CP-SCHEME-CATEGORIES)</legend>
        <p class="hint">Laissez l'intitulé vide pour retirer une ligne. Enregistrez pour obtenir de nouvelles lignes vides.</p>
        {rows.map((r, i) => (
          <div class="grid">
            <div class="field">
              <label for={`exp-title-${i}`}>Intitulé (ligne {i + 1})</label>
              <input id={`exp-title-${i}`} name="expected_title" value={r.title} />
            </div>
            <div class="field">
              <label for={`exp-cat-${i}`}>Catégorie (ligne {i + 1})</label>
              <select id={`exp-cat-${i}`} name="expected_category">
                {Object.entries(categoryLabels).map(([value, label]) => (
                  <option value={value} selected={value === r.category}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ))}
      </fieldset>
      <div class="actions">
        <button type="submit">Enregistrer le lot</button>
        <a href="/lots">Retour à la liste des lots</a>
      </div>
    </form>
  );
}

function LotListPage(props: { c: Ctx; lots: Awaited<ReturnType<typeof uc.listLots>> }) {
  return (
    <Layout c={props.c} title="Lots">
      <h1>Lots</h1>
      <p class="actions">
        <a class="button" href="/lots/nouveau">
          Créer un lot
        </a>
      </p>
      <Table label="Lots de l'accord-cadre Compétences Plus">
        <caption>Lots de l'accord-cadre Compétences Plus</caption>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Nom</th>
            <th scope="col">Départements</th>
            <th scope="col">Fin de l'accord-cadre</th>
          </tr>
        </thead>
        <tbody>
          {props.lots.length === 0 ? (
            <tr>
              <td colspan={4}>Aucun lot pour le moment.</td>
            </tr>
          ) : null}
          {props.lots.map((l) => (
            <tr>
              <td>
                <a href={`/lots/${l.id}`}>{l.code}</a>
              </td>
              <td>{l.name}</td>
              <td>{l.departements.join(", ") || "—"}</td>
              <td>{formatDateFr(l.framework_end)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Layout>
  );
}

const emptyLot: LotValues = { code: "", name: "", frameworkEnd: "", departements: [], expectedComponents: [] };
const UUID = "{[0-9a-fA-F-]{36}}";

export function registerLotPages(app: OpenAPIHono<AppEnv>) {
  const page = async (c: Ctx, title: string, action: string, values: LotValues, violations: Violation[], status: 200 | 422, saved = false) => {
    const departements = await uc.listDepartements(depsOf(c).db);
    return c.html(
      <Layout c={c} title={title}>
        <h1>{title}</h1>
        {saved ? (
          <p class="alert success" role="status">
            Le lot a été enregistré.
          </p>
        ) : null}
        <LotForm c={c} action={action} values={values} departements={departements} violations={violations} />
      </Layout>,
      status,
    );
  };

  app.get("/lots", async (c) => {
    requireRole(actorOf(c), "region_officer");
    return c.html(<LotListPage c={c} lots={await uc.listLots(depsOf(c).db)} />);
  });

  app.get("/lots/nouveau", (c) => {
    requireRole(actorOf(c), "region_officer");
    return page(c, "Nouveau lot", "/lots/nouveau", emptyLot, [], 200);
  });

  app.post("/lots/nouveau", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const values = lotValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.createLot(depsOf(c).db, actor, values));
    if (r.ok) return c.redirect(`/lots/${r.value.id}?enregistre=1`, 303);
    return page(c, "Nouveau lot", "/lots/nouveau", values, r.violations, 422);
  });

  app.get(`/lots/:id${UUID}`, async (c) => {
    requireRole(actorOf(c), "region_officer");
    const lot = await uc.getLot(depsOf(c).db, c.req.param("id"));
    const values: LotValues = {
      code: lot.code,
      name: lot.name,
      frameworkEnd: lot.framework_end,
      departements: lot.departements,
      expectedComponents: lot.expectedComponents,
    };
    return page(c, `Lot ${lot.code}`, `/lots/${lot.id}`, values, [], 200, c.req.query("enregistre") === "1");
  });

  app.post(`/lots/:id${UUID}`, async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const id = c.req.param("id");
    const values = lotValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.updateLot(depsOf(c).db, actor, id, values));
    if (r.ok) return c.redirect(`/lots/${id}?enregistre=1`, 303);
    return page(c, `Lot ${values.code || ""}`.trim(), `/lots/${id}`, values, r.violations, 422);
  });
}
