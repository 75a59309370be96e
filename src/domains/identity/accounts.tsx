// The Region's accounts page and API: find an account, deactivate it (it can no longer log in and
// its sessions end at once) or reactivate it. Accounts are opened by the region and prescribers
// domains (core/auth/accounts.ts createAccount).
import { de } from "../../core/french.ts";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { listAccounts, setAccountActive } from "../../core/auth/accounts.ts";
import { roleLabels } from "../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt } from "../../core/pages/forms.ts";
import { CsrfField, Layout, ViolationList } from "../../core/pages/layout.tsx";
import type { Violation } from "../../core/rules.ts";
import type { Role } from "../../core/db/schema.ts";
import { Table } from "../../core/pages/table.tsx";

type Account = Awaited<ReturnType<typeof listAccounts>>[number];

function AccountsPage(props: { c: Ctx; accounts: Account[]; search: string; violations?: Violation[]; done?: string }) {
  return (
    <Layout c={props.c} title="Comptes" wide>
      <h1>Comptes</h1>
      <p>Un compte désactivé ne peut plus se connecter et ses sessions en cours sont fermées immédiatement. Il peut être réactivé.</p>
      {props.done ? (
        <p class="alert success" role="status">
          {props.done === "desactive" ? "Compte désactivé : ses sessions sont fermées." : "Compte réactivé."}
        </p>
      ) : null}
      {props.violations?.length ? <ViolationList violations={props.violations} title="Action refusée" /> : null}
      <form method="get" action="/comptes" aria-label="Rechercher un compte">
        <div class="field">
          <label for="f-q">Nom ou adresse e-mail</label>
          <input id="f-q" name="q" type="search" value={props.search} maxlength={200} />
        </div>
        <button type="submit">Rechercher</button>
      </form>
      <Table label="Comptes">
        <caption>{props.accounts.length} compte(s){props.accounts.length === 200 ? " (les 200 premiers : précisez la recherche)" : ""}</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Adresse e-mail</th>
            <th scope="col">Rôle</th>
            <th scope="col">État</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {props.accounts.map((a) => (
            <tr>
              <td>{a.full_name}</td>
              <td>{a.email}</td>
              <td>{roleLabels[a.role as Role]}</td>
              <td>{a.active ? "Actif" : "Désactivé"}</td>
              <td>
                <form method="post" action={`/comptes/${a.id}/${a.active ? "desactiver" : "reactiver"}`}>
                  <CsrfField c={props.c} />
                  <button type="submit" class="link" aria-label={`${a.active ? "Désactiver" : "Réactiver"} le compte ${de(a.full_name)}`}>
                    {a.active ? "Désactiver" : "Réactiver"}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Layout>
  );
}

const AccountOut = z.object({ id: z.string(), email: z.string(), fullName: z.string(), role: z.string(), active: z.boolean() });
const IdParam = z.object({ id: z.string().uuid("Identifiant de compte invalide.") });
const Problem = { description: "Erreur (application/problem+json)" };

export function registerAccounts(app: OpenAPIHono<AppEnv>) {
  const page = async (c: Ctx, extra: { violations?: Violation[]; done?: string } = {}, status: 200 | 422 = 200) => {
    const search = (c.req.query("q") ?? "").slice(0, 200);
    const accounts = await listAccounts(depsOf(c).db, actorOf(c), { search });
    return c.html(<AccountsPage c={c} accounts={accounts} search={search} {...extra} />, status);
  };
  app.get("/comptes", (c) => page(c, { done: c.req.query("ok") }));

  for (const [verb, active] of [["desactiver", false], ["reactiver", true]] as const) {
    app.post(`/comptes/:id/${verb}`, async (c) => {
      const r = await attempt(() => setAccountActive(depsOf(c).db, actorOf(c), c.req.param("id"), active));
      if (!r.ok) return page(c, { violations: r.violations }, 422);
      return c.redirect(`/comptes?ok=${active ? "reactive" : "desactive"}`, 303);
    });
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/accounts",
      tags: ["Comptes"],
      summary: "Comptes (Région) : recherche par nom ou adresse e-mail, 200 au plus",
      security: [{ bearer: [] }],
      request: { query: z.object({ search: z.string().max(200).optional() }) },
      responses: { 200: { description: "Comptes", content: { "application/json": { schema: z.array(AccountOut) } } }, 403: Problem },
    }),
    async (c) => {
      const rows = await listAccounts(depsOf(c).db, actorOf(c), { search: c.req.valid("query").search });
      return c.json(rows.map((a) => ({ id: a.id, email: a.email, fullName: a.full_name, role: a.role, active: a.active })), 200);
    },
  );

  for (const [action, active] of [["deactivate", false], ["reactivate", true]] as const) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/api/accounts/{id}/${action}`,
        tags: ["Comptes"],
        summary: active ? "Réactiver un compte (Région)" : "Désactiver un compte (Région) : il ne peut plus se connecter et ses sessions sont fermées",
        security: [{ bearer: [] }],
        request: { params: IdParam },
        responses: { 204: { description: active ? "Compte réactivé" : "Compte désactivé" }, 403: Problem, 404: Problem, 422: Problem },
      }),
      async (c) => {
        await setAccountActive(depsOf(c).db, actorOf(c), c.req.valid("param").id, active);
        return c.body(null, 204);
      },
    );
  }
}
