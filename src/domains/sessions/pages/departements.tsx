// Page /sessions/:id/departements — CP-EFORM-REGIONAL-RECRUIT: a session's candidacies and trainees
// per département of residence (e-formation recruits across the whole region).
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../core/http/context.ts";
import { actorOf } from "../../../core/http/context.ts";
import { Layout } from "../../../core/pages/layout.tsx";
import { formatDateFr } from "../../../core/time.ts";
import * as uc from "../use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

export function registerSessionDepartementsPage(app: OpenAPIHono<AppEnv>) {
  app.get("/sessions/:id/departements", async (c) => {
    const { session, departements } = await uc.sessionDepartements(c.get("deps").db, actorOf(c), c.req.param("id"));
    const total = departements.reduce((n, d) => n + d.trainees, 0);
    return c.html(
      <Layout c={c} title="Stagiaires par département">
        <p>
          <a href="/sessions">← Sessions</a>
        </p>
        <h1>
          {session.component_title} — session du {formatDateFr(session.start_date)} : stagiaires par département
        </h1>
        <p>
          {session.e_formation
            ? "Session en e-formation : le recrutement est régional, les candidatures viennent de tous les départements (CP-EFORM-REGIONAL-RECRUIT, CCTP §3.3)."
            : "Répartition des candidatures et des stagiaires selon leur département de résidence."}
        </p>
        {departements.length === 0 ? (
          <p class="muted">Aucune candidature pour cette session.</p>
        ) : (
          <Table label={`Par département de résidence (${total} stagiaire${total > 1 ? "s" : ""} entré·es)`}>
            <caption>{`Par département de résidence (${total} stagiaire${total > 1 ? "s" : ""} entré·es)`}</caption>
            <thead>
              <tr>
                <th scope="col">Département</th>
                <th scope="col" class="num">Candidatures</th>
                <th scope="col" class="num">Stagiaires</th>
              </tr>
            </thead>
            <tbody>
              {departements.map((d) => (
                <tr>
                  <td>{d.code ? `${d.name} (${d.code})` : d.name}</td>
                  <td class="num">{d.candidacies}</td>
                  <td class="num">{d.trainees}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Layout>,
    );
  });
}
