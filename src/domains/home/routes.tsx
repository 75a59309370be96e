// The home page ("/"): the caller's to-do list (issue 10, point 1), then the links to their screens
// (the same list as the main navigation, never a copy).
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Actor } from "../../core/auth/actor.ts";
import { roleLabels } from "../../core/auth/actor.ts";
import type { AppEnv } from "../../core/http/context.ts";
import { Layout, navFor } from "../../core/pages/layout.tsx";
import { formatDateFr, parisDate } from "../../core/time.ts";
import { homeTodo, type TodoGroup } from "./use-cases.ts";

export function registerHome(app: OpenAPIHono<AppEnv>) {
  app.get("/", async (c) => {
    const actor = c.get("actor");
    if (!actor) return c.redirect("/connexion");
    const { db, clock } = c.get("deps");
    const groups = await homeTodo(db, actor, clock);
    c.header("cache-control", "no-store");
    return c.html(
      <Layout c={c} title="Accueil">
        <h1>Bonjour {actor.fullName}</h1>
        <p>
          Vous êtes connecté·e en tant que {roleLabels[actor.role]}. Aujourd'hui, {formatDateFr(parisDate(clock.now()))}.
        </p>
        {actor.role === "access_site_staff" && actor.accessSiteId ? (
          <p>
            <a href={`/sites-acces/${actor.accessSiteId}/jour?date=${parisDate(clock.now())}`}>Journée de votre site aujourd'hui : qui vient, dans quelle salle, PC restants, pointage des arrivées</a>
          </p>
        ) : null}
        {groups.length > 0 ? <TodoList groups={groups} /> : null}
        <HomeLinks actor={actor} />
      </Layout>,
    );
  });
}

function TodoList(props: { groups: TodoGroup[] }) {
  const total = props.groups.reduce((n, g) => n + g.count, 0);
  return (
    <section aria-labelledby="a-faire" class="todo">
      <h2 id="a-faire">À faire{total === 0 ? "" : ` (${total})`}</h2>
      {total === 0 ? <p class="ok">Rien à faire pour l'instant.</p> : null}
      <ul class="todo-groups">
        {props.groups.map((g) => (
          <li class={g.count > 0 ? "todo-group has-items" : "todo-group"} data-todo={g.key}>
            <h3 id={`todo-${g.key}`}>
              {g.title} <span class="count" data-count={g.count}>{g.count}</span>
            </h3>
            {g.count > 0 ? (
              <ul aria-labelledby={`todo-${g.key}`}>
                {g.items.map((i) => (
                  <li>
                    <a href={i.href}>{i.label}</a>
                    {i.note ? <span class="muted"> — {i.note}</span> : null}
                  </li>
                ))}
                {g.count > g.items.length ? <li class="muted">… et {g.count - g.items.length} de plus</li> : null}
              </ul>
            ) : (
              <p class="muted">Rien en attente.</p>
            )}
            {g.more && g.count > 0 ? (
              <p class="todo-more">
                <a href={g.more.href}>{g.more.label}</a>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The home page lists the caller's screens: the same list as the main navigation, never a copy. */
function HomeLinks(props: { actor: Actor }) {
  const items = navFor(props.actor).filter((n) => n.href !== "/");
  return (
    <nav aria-labelledby="vos-espaces">
      <h2 id="vos-espaces">Vos espaces</h2>
      <ul>
        {items.map((n) => (
          <li>
            <a href={n.href}>{n.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
