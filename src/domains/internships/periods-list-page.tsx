// Staff and Region: every company period of the provider (all providers for the Region), by state.
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { Layout } from "../../core/pages/layout.tsx";
import { formatDateFr } from "../../core/time.ts";
import { periodStatusLabels, placeLabels } from "./rules.ts";
import * as uc from "./use-cases.ts";
import { Table } from "../../core/pages/table.tsx";

async function periodsPage(c: Ctx) {
  const actor = actorOf(c);
  const rows = await uc.listPeriods(depsOf(c).db, actor);
  return c.html(
    <Layout c={c} title="Périodes en entreprise">
      <h1>Périodes en entreprise</h1>
      {actor.role === "region_officer" ? null : (
        <p>
          Une période se crée depuis le parcours du ou de la stagiaire (« Périodes en entreprise »). Voir aussi le <a href="/entreprises">réseau d'entreprises</a> et les{" "}
          <a href="/livret-accueil">réglages du livret d'accueil</a>.
        </p>
      )}
      <Table label="Périodes en entreprise">
        <caption>{rows.length} période(s), les plus récentes d'abord</caption>
        <thead>
          <tr>
            <th scope="col">Stagiaire</th>
            <th scope="col">Entreprise</th>
            <th scope="col">Dates</th>
            <th scope="col">Lieu</th>
            <th scope="col">État</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                <a href={`/periodes/${r.id}`}>{r.trainee}</a>
              </td>
              <td>{r.company}</td>
              <td>
                {formatDateFr(r.start_date)} – {formatDateFr(r.end_date)}
              </td>
              <td>{placeLabels[r.place]}</td>
              <td>{periodStatusLabels[r.status]}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Layout>,
  );
}

export function registerPeriodsListPage(app: OpenAPIHono<AppEnv>) {
  app.get("/periodes", (c) => periodsPage(c));
}
