// Pages of e-formation: /eformation (overview), /eformation/composantes/:id (typical week),
// /eformation/lots (the Region's minimum synchronous share per lot).
import { de } from "../../core/french.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { may } from "../../core/auth/roles.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt, type FormBody, formBody, str } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, ViolationList } from "../../core/pages/layout.tsx";
import { formatMinutes, parseDuration, type Violation } from "../../core/rules.ts";
import { syncPercent } from "./rules.ts";
import * as uc from "./use-cases.ts";
import { Table } from "../../core/pages/table.tsx";
import { WebconfSection, type WebconfFailed, webconfInput } from "./webconf-pages.tsx";
import { decideWebconf, declareWebconf } from "./webconf.ts";
import { webconfWording } from "./rules.ts";

const durationField = (body: FormBody, name: string) => {
  const raw = str(body, name).trim();
  if (raw === "") return 0;
  return parseDuration(raw) ?? Number.NaN;
};
const hours = (m: number | null | undefined) => (m === null || m === undefined ? "" : formatMinutes(m));

/** Zod paths → the form's field names. */
const FIELD: Record<string, string> = { tutoratMinutes: "tutorat", selfStudyMinutes: "selfStudy", gatheringMinutes: "gatherings" };
const placed = (vs: Violation[]) => vs.map((v) => (v.field && FIELD[v.field] ? { ...v, field: FIELD[v.field] } : v));

export function HomePage(props: { c: Ctx; components: uc.ComponentWeekRow[]; sessions: uc.SessionListRow[]; departements: Awaited<ReturnType<typeof uc.traineesByDepartement>> }) {
  const { c, components, sessions, departements } = props;
  const actor = actorOf(c);
  return (
    <Layout c={c} title="Occitanie e-formation">
      <h1>Occitanie e-formation</h1>
      {actor.role === "region_officer" ? (
        <p>
          <a href="/eformation/lots">Part synchrone minimale par lot</a>
        </p>
      ) : null}
      <h2>Composantes e-formation</h2>
      {components.length === 0 ? (
        <p>Aucune composante e-formation.</p>
      ) : (
        <Table label="Composantes e-formation et leur semaine type">
          <caption class="visually-hidden">Composantes e-formation et leur semaine type</caption>
          <thead>
            <tr>
              <th scope="col">Composante</th>
              {actor.role === "region_officer" ? <th scope="col">Organisme</th> : null}
              <th scope="col">Lot</th>
              <th scope="col">Semaine type</th>
              <th scope="col">Part synchrone (minimum du lot)</th>
              <th scope="col">Outils (CP-WEBCONF)</th>
            </tr>
          </thead>
          <tbody>
            {components.map((r) => {
              const w = uc.weekOf(r);
              return (
                <tr>
                  <td>
                    <a href={`/eformation/composantes/${r.id}`}>{r.title}</a>
                  </td>
                  {actor.role === "region_officer" ? <td>{r.provider_name}</td> : null}
                  <td>{r.lot_code}</td>
                  <td>{w ? `tutorat ${hours(w.tutorat)}, autoformation ${hours(w.selfStudy)}, regroupements ${hours(w.gatherings)}` : "à déclarer"}</td>
                  <td>
                    {w ? `${syncPercent(w)} %` : "—"} ({r.sync_min_percent === null ? "minimum non fixé" : `${r.sync_min_percent} %`})
                  </td>
                  <td>{r.webconf_status ? webconfWording.labels[r.webconf_status] : "à déclarer"}</td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
      <h2>Sessions e-formation</h2>
      {sessions.length === 0 ? (
        <p>Aucune session e-formation.</p>
      ) : (
        <Table label="Sessions e-formation">
          <caption class="visually-hidden">Sessions e-formation</caption>
          <thead>
            <tr>
              <th scope="col">Session</th>
              {actor.role === "region_officer" ? <th scope="col">Organisme</th> : null}
              <th scope="col">Du</th>
              <th scope="col">Au</th>
              <th scope="col">Stagiaires par département</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr>
                <td>
                  <a href={`/eformation/sessions/${s.id}`}>{s.component_title}</a>
                </td>
                {actor.role === "region_officer" ? <td>{s.provider_name}</td> : null}
                <td>{uc.frDate(s.start_date)}</td>
                <td>{uc.frDate(s.end_date)}</td>
                <td>
                  <a href={`/sessions/${s.id}/departements`}>Par département</a>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <h2>Stagiaires par département de résidence</h2>
      <p>Le recrutement e-formation est régional : les stagiaires viennent de tous les départements (CP-EFORM-REGIONAL-RECRUIT, CCTP §3.3).</p>
      {departements.length === 0 ? (
        <p>Aucun stagiaire entré en e-formation.</p>
      ) : (
        <Table label="Stagiaires e-formation par département de résidence">
          <caption class="visually-hidden">Stagiaires e-formation par département de résidence</caption>
          <thead>
            <tr>
              <th scope="col">Département</th>
              <th scope="col" class="num">Stagiaires</th>
              <th scope="col" class="num">Sessions concernées</th>
            </tr>
          </thead>
          <tbody>
            {departements.map((d) => (
              <tr>
                <td>{d.code ? `${d.name} (${d.code})` : d.name}</td>
                <td class="num">{d.trainees}</td>
                <td class="num">{d.sessions}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Layout>
  );
}

function ComponentPage(props: { c: Ctx; page: Awaited<ReturnType<typeof uc.componentPage>>; values?: FormBody; violations?: Violation[]; saved?: boolean | string; webconfFailed?: WebconfFailed }) {
  const { c, page, saved } = props;
  const { component: r } = page;
  const actor = actorOf(c);
  const w = uc.weekOf(r);
  const violations = props.violations ?? [];
  const value = (name: string, fallback: number | undefined) => (props.values ? str(props.values, name) : hours(fallback));
  return (
    <Layout c={c} title={`Semaine type — ${r.title}`}>
      <h1>{r.title}</h1>
      <p>
        Composante Occitanie e-formation {de(r.provider_name)}, lot {r.lot_code} ({r.lot_name}).
      </p>
      {saved ? (
        <p class="notice" role="status">
          {typeof saved === "string" ? saved : "Semaine type enregistrée."}
        </p>
      ) : null}
      <h2>Semaine type (CP-EFORM-TYPICAL-WEEK)</h2>
      <dl class="facts">
        <dt>Part synchrone minimale du lot</dt>
        <dd>{r.sync_min_percent === null ? "non fixée par la Région" : `${r.sync_min_percent} % du temps total (tutorat + regroupements)`}</dd>
        <dt>Semaine déclarée</dt>
        <dd>{w ? `tutorat ${hours(w.tutorat)}, autoformation ${hours(w.selfStudy)}, regroupements ${hours(w.gatherings)} — part synchrone ${syncPercent(w)} %` : "pas encore déclarée"}</dd>
      </dl>
      {page.findings.length > 0 && !props.violations ? <ViolationList violations={page.findings} title="La semaine déclarée ne respecte plus le minimum du lot" /> : null}
      {isWriter(actor, r.provider_id) ? (
        <form method="post" action={`/eformation/composantes/${r.id}/semaine-type`}>
          <CsrfField c={c} />
          {violations.length > 0 ? <ViolationList violations={violations} title="La semaine type n'a pas été enregistrée" /> : null}
          <Field name="tutorat" label="Tutorat (synchrone)" value={value("tutorat", w?.tutorat)} required hint="Durée par semaine, ex. 14 h ou 14h30." error={errorFor(violations, "tutorat")} />
          <Field name="selfStudy" label="Autoformation (asynchrone)" value={value("selfStudy", w?.selfStudy)} required hint="Durée par semaine." error={errorFor(violations, "selfStudy")} />
          <Field name="gatherings" label="Regroupements (physiques)" value={value("gatherings", w?.gatherings)} required hint="Durée par semaine, en moyenne (journée d'accueil, examens)." error={errorFor(violations, "gatherings")} />
          <button type="submit">Enregistrer la semaine type</button>
        </form>
      ) : null}
      <WebconfSection c={c} componentId={r.id} providerId={r.provider_id} webconf={page.webconf} writer={isWriter(actor, r.provider_id)} failed={props.webconfFailed} />
      <h2>Parcours des stagiaires (CP-EFORM-SYNC-MIN)</h2>
      {page.pathCount === 0 ? (
        <p>Aucun parcours sur cette composante.</p>
      ) : page.pathWarnings.length === 0 ? (
        <p>
          {page.pathCount} parcours : {r.sync_min_percent === null ? "pas de minimum fixé pour le lot." : "tous atteignent la part synchrone minimale du lot."}
        </p>
      ) : (
        <ViolationList violations={page.pathWarnings} />
      )}
      <p>
        <a href="/eformation">Retour à Occitanie e-formation</a>
      </p>
    </Layout>
  );
}

const WEBCONF_NOTICES: Record<string, string> = {
  outils: "Déclaration d'outils envoyée à la Région.",
  accepted: "Outils acceptés.",
  refused: "Outils refusés : l'organisme est prévenu par le motif affiché.",
};

const isWriter = (actor: ReturnType<typeof actorOf>, providerId: string) => actor.providerId === providerId && may(actor, "offer.write");

function LotsPage(props: { c: Ctx; lots: Awaited<ReturnType<typeof uc.listLotSettings>>; failed?: { lotId: string; value: string; violations: Violation[] }; saved?: boolean }) {
  const { c, lots, failed } = props;
  return (
    <Layout c={c} title="Part synchrone minimale par lot">
      <h1>Part synchrone minimale par lot (CP-EFORM-SYNC-MIN)</h1>
      <p>
        Part minimale du temps synchrone (tutorat + regroupements) dans le temps total d'une composante e-formation. Une semaine type en dessous est refusée ; un parcours
        en dessous est signalé.
      </p>
      {props.saved ? (
        <p class="notice" role="status">
          Minimum enregistré.
        </p>
      ) : null}
      {lots.map((l) => {
        const mine = failed?.lotId === l.id ? failed : undefined;
        return (
          <form method="post" action={`/eformation/lots/${l.id}`} class="inline-form">
            <h2>
              {l.code} — {l.name}
            </h2>
            <CsrfField c={c} />
            <Field
              name={`min-${l.id}`}
              label={`Part synchrone minimale du lot ${l.code} (%)`}
              type="number"
              value={mine ? mine.value : (l.sync_min_percent ?? "")}
              required
              attrs={{ min: 0, max: 100, step: 1, inputmode: "numeric" }}
              error={mine?.violations[0]?.message}
            />
            <button type="submit">Enregistrer</button>
          </form>
        );
      })}
      <p>
        <a href="/eformation">Retour à Occitanie e-formation</a>
      </p>
    </Layout>
  );
}

export function registerEformationPages(app: OpenAPIHono<AppEnv>) {
  app.get("/eformation", async (c) => {
    const { db } = depsOf(c);
    const actor = actorOf(c);
    return c.html(<HomePage c={c} components={await uc.listComponents(db, actor)} sessions={await uc.listSessions(db, actor)} departements={await uc.traineesByDepartement(db, actor)} />);
  });
  app.get("/eformation/composantes/:id", async (c) => {
    const page = await uc.componentPage(depsOf(c).db, actorOf(c), c.req.param("id"));
    const ok = c.req.query("ok");
    const saved = ok === "1" ? true : ok ? WEBCONF_NOTICES[ok] : undefined;
    return c.html(<ComponentPage c={c} page={page} saved={saved} />);
  });
  // CP-WEBCONF: the provider declares its tools; the Region accepts or refuses them (with a reason).
  app.post("/eformation/composantes/:id/outils", async (c) => {
    const { db, clock } = depsOf(c);
    const actor = actorOf(c);
    const id = c.req.param("id");
    await uc.getComponent(db, actor, id);
    const body = await formBody(c);
    const result = await attempt(() => declareWebconf(db, actor, clock, id, webconfInput(body)));
    if (result.ok) return c.redirect(`/eformation/composantes/${id}?ok=outils`, 303);
    return c.html(<ComponentPage c={c} page={await uc.componentPage(db, actor, id)} webconfFailed={{ form: "declare", values: body, violations: result.violations }} />, 422);
  });
  app.post("/eformation/composantes/:id/outils/decision", async (c) => {
    const { db, clock } = depsOf(c);
    const actor = actorOf(c);
    const id = c.req.param("id");
    await uc.getComponent(db, actor, id);
    const body = await formBody(c);
    const result = await attempt(() => decideWebconf(db, actor, clock, id, { decision: str(body, "decision"), reason: str(body, "reason") || undefined }));
    if (result.ok) return c.redirect(`/eformation/composantes/${id}?ok=${result.value.status}`, 303);
    return c.html(<ComponentPage c={c} page={await uc.componentPage(db, actor, id)} webconfFailed={{ form: "decide", values: body, violations: result.violations }} />, 422);
  });
  app.post("/eformation/composantes/:id/semaine-type", async (c) => {
    const { db, clock } = depsOf(c);
    const actor = actorOf(c);
    const id = c.req.param("id");
    await uc.getComponent(db, actor, id);
    const body = await formBody(c);
    const result = await attempt(() =>
      uc.saveTypicalWeek(db, actor, clock, id, { tutoratMinutes: durationField(body, "tutorat"), selfStudyMinutes: durationField(body, "selfStudy"), gatheringMinutes: durationField(body, "gatherings") }),
    );
    if (result.ok) return c.redirect(`/eformation/composantes/${id}?ok=1`, 303);
    return c.html(<ComponentPage c={c} page={await uc.componentPage(db, actor, id)} values={body} violations={placed(result.violations)} />, 422);
  });
  app.get("/eformation/lots", async (c) => c.html(<LotsPage c={c} lots={await uc.listLotSettings(depsOf(c).db, actorOf(c))} saved={c.req.query("ok") === "1"} />));
  app.post("/eformation/lots/:id", async (c) => {
    const { db, clock } = depsOf(c);
    const actor = actorOf(c);
    const id = c.req.param("id");
    const body = await formBody(c);
    const raw = str(body, `min-${id}`).trim();
    const result = await attempt(() => uc.setLotSyncMin(db, actor, clock, id, { syncMinPercent: raw === "" ? Number.NaN : Number(raw) }));
    if (result.ok) return c.redirect("/eformation/lots?ok=1", 303);
    return c.html(<LotsPage c={c} lots={await uc.listLotSettings(db, actor)} failed={{ lotId: id, value: raw, violations: result.violations }} />, 422);
  });
}
