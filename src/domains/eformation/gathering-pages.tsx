// /eformation/sessions/:id/regroupements: the session's gatherings (CP-EFORM-GATHERINGS), the argued
// requests the Region authorises, and the welcome-day checklist per trainee × item (CP-EFORM-WELCOME-DAY).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { may } from "../../core/auth/roles.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt, type FormBody, formBody, str, strs } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, ViolationList } from "../../core/pages/layout.tsx";
import type { Violation } from "../../core/rules.ts";
import * as g from "./gatherings.ts";
import { DELIVERY_ITEMS, deliveryLabels, gatheringKindLabels, gatheringRequestWording } from "./rules.ts";
import { frDate } from "./use-cases.ts";
import { Table } from "../../core/pages/table.tsx";

type Failed = { form: string; values: FormBody; violations: Violation[] };

function GatheringsPage(props: { c: Ctx; v: g.GatheringsView; failed?: Failed; notice?: string }) {
  const { c, v } = props;
  const s = v.session;
  const actor = actorOf(c);
  const writer = actor.providerId === s.provider_id && may(actor, "sessions.write");
  const isRegion = actor.role === "region_officer";
  const base = `/eformation/sessions/${s.id}`;
  const fail = (form: string) => (props.failed?.form === form ? props.failed : undefined);
  const add = fail("add");
  const req = fail("request");
  const authorised = v.requests.filter((r) => r.status === "authorised" && !r.gathering_id);
  return (
    <Layout c={c} title={`Regroupements — ${s.component_title}`}>
      <h1>Regroupements et journée d'accueil — {s.component_title}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>
        Session du {frDate(s.start_date)} au {frDate(s.end_date)} ({s.provider_name}). En e-formation, les regroupements physiques sont la journée d'accueil (le premier jour) et les examens ou
        évaluations réglementées ; tout autre regroupement demande l'autorisation de la Région (CP-EFORM-GATHERINGS).
      </p>
      {v.warnings.length ? <ViolationList violations={v.warnings} /> : null}
      <h2>Regroupements prévus</h2>
      {v.gatherings.length === 0 ? (
        <p>Aucun regroupement prévu.</p>
      ) : (
        <ul>
          {v.gatherings.map((x) => (
            <li>
              {frDate(x.gathering_date)} — {gatheringKindLabels[x.kind]} — {x.place}
            </li>
          ))}
        </ul>
      )}
      {writer ? (
        <form method="post" action={`${base}/regroupements`}>
          <h3>Prévoir un regroupement</h3>
          <CsrfField c={c} />
          {add ? <ViolationList violations={add.violations} title="Le regroupement n'a pas été enregistré" /> : null}
          <div class="field">
            <label for="f-kind">Type</label>
            <select id="f-kind" name="kind" required>
              {(["welcome_day", "exam", "other"] as const).map((k) => (
                <option value={k} selected={str(add?.values ?? {}, "kind") === k}>
                  {gatheringKindLabels[k]}
                </option>
              ))}
            </select>
          </div>
          <Field name="date" label="Date" type="date" value={str(add?.values ?? {}, "date")} error={add ? errorFor(add.violations, "date") : undefined} />
          <Field name="place" label="Lieu" value={str(add?.values ?? {}, "place")} attrs={{ maxlength: 300 }} error={add ? errorFor(add.violations, "place") : undefined} />
          {authorised.length ? (
            <div class="field">
              <label for="f-requestId">Demande autorisée (autre regroupement)</label>
              <select id="f-requestId" name="requestId">
                <option value="">—</option>
                {authorised.map((r) => (
                  <option value={r.id}>
                    {frDate(r.gathering_date)} — {r.place}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <button type="submit">Enregistrer le regroupement</button>
        </form>
      ) : null}

      <h2>Demandes d'autres regroupements</h2>
      {v.requests.length === 0 ? <p>Aucune demande.</p> : null}
      {v.requests.map((r) => {
        const d = fail(`decide-${r.id}`);
        return (
          <section aria-label={`Demande du ${frDate(r.gathering_date)}`}>
            <p>
              <strong>{frDate(r.gathering_date)}</strong> — {r.place} — {gatheringRequestWording.labels[r.status]}
              {r.region_reason ? ` : ${r.region_reason}` : ""}
            </p>
            <p>Argumentaire : {r.argument}</p>
            {r.status === "filed" && (isRegion || writer) ? (
              <form method="post" action={`/eformation/demandes-regroupement/${r.id}/decision`}>
                <CsrfField c={c} />
                {d ? <ViolationList violations={d.violations} title="La décision n'a pas été enregistrée" /> : null}
                <div class="field">
                  <label for={`f-reason-${r.id}`}>Motif {isRegion ? "(obligatoire pour un refus)" : ""}</label>
                  <textarea id={`f-reason-${r.id}`} name="reason" rows={2} maxlength={2000}></textarea>
                </div>
                {isRegion ? (
                  <>
                    <button type="submit" name="decision" value="authorised">
                      Autoriser
                    </button>{" "}
                    <button type="submit" name="decision" value="refused">
                      Refuser
                    </button>
                  </>
                ) : (
                  <button type="submit" name="decision" value="withdrawn">
                    Retirer la demande
                  </button>
                )}
              </form>
            ) : null}
          </section>
        );
      })}
      {writer ? (
        <form method="post" action={`${base}/demandes-regroupement`}>
          <h3>Demander l'autorisation d'un autre regroupement</h3>
          <CsrfField c={c} />
          {req ? <ViolationList violations={req.violations} title="La demande n'a pas été déposée" /> : null}
          <Field name="date" label="Date" type="date" value={str(req?.values ?? {}, "date")} error={req ? errorFor(req.violations, "date") : undefined} />
          <Field name="place" label="Lieu" value={str(req?.values ?? {}, "place")} attrs={{ maxlength: 300 }} error={req ? errorFor(req.violations, "place") : undefined} />
          <div class="field">
            <label for="f-argument">Argumentaire</label>
            <textarea id="f-argument" name="argument" rows={4} maxlength={4000} required>
              {str(req?.values ?? {}, "argument")}
            </textarea>
          </div>
          <button type="submit">Déposer la demande</button>
        </form>
      ) : null}

      <h2>Remises de la journée d'accueil (CP-EFORM-WELCOME-DAY)</h2>
      {!v.welcome ? (
        <p>La journée d'accueil n'est pas encore prévue.</p>
      ) : v.trainees.length === 0 ? (
        <p>Aucun·e stagiaire dans la session.</p>
      ) : (
        <Table label="Remises de la journée d'accueil">
          <caption>Journée d'accueil du {frDate(v.welcome.gathering_date)} : ce que chaque stagiaire a reçu</caption>
          <thead>
            <tr>
              <th scope="col">Stagiaire</th>
              {DELIVERY_ITEMS.map((i) => (
                <th scope="col">{deliveryLabels[i]}</th>
              ))}
              {writer ? <th scope="col">Enregistrer</th> : null}
            </tr>
          </thead>
          <tbody>
            {v.trainees.map((t) => (
              <tr>
                <th scope="row">{t.name}</th>
                {DELIVERY_ITEMS.map((i) => (
                  <td>
                    {writer ? (
                      <>
                        <input type="checkbox" id={`d-${t.pathId}-${i}`} name="items" value={i} form={`deliv-${t.pathId}`} checked={t.received.includes(i)} />
                        <label for={`d-${t.pathId}-${i}`}>{t.received.includes(i) ? "remis" : "manquant"}<span class="visually-hidden"> — {deliveryLabels[i]}, {t.name}</span></label>
                      </>
                    ) : t.received.includes(i) ? (
                      "remis"
                    ) : (
                      <strong>manquant</strong>
                    )}
                  </td>
                ))}
                {writer ? (
                  <td>
                    <form method="post" action={`${base}/remises`} id={`deliv-${t.pathId}`}>
                      <CsrfField c={c} />
                      <input type="hidden" name="pathId" value={t.pathId} />
                      <button type="submit">Enregistrer<span class="visually-hidden"> les remises de {t.name}</span></button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <p>
        <a href={base}>Retour à la session</a>
      </p>
    </Layout>
  );
}

export function registerGatheringPages(app: OpenAPIHono<AppEnv>) {
  const page = "/eformation/sessions/:id/regroupements";
  app.get(page, async (c) => {
    const { db, clock } = depsOf(c);
    return c.html(<GatheringsPage c={c} v={await g.gatheringsView(db, actorOf(c), clock, c.req.param("id"))} notice={c.req.query("ok") ? "Enregistré." : undefined} />);
  });
  const post = (path: string, form: (body: FormBody, id: string) => string, run: (c: Ctx, id: string, body: FormBody) => Promise<unknown>, sessionOf: (c: Ctx, id: string) => Promise<string>) =>
    app.post(path, async (c) => {
      const { db, clock } = depsOf(c);
      const id = c.req.param("id") ?? "";
      const sessionId = await sessionOf(c, id);
      const body = await formBody(c);
      const result = await attempt(() => run(c, id, body));
      if (result.ok) return c.redirect(`/eformation/sessions/${sessionId}/regroupements?ok=1`, 303);
      return c.html(<GatheringsPage c={c} v={await g.gatheringsView(db, actorOf(c), clock, sessionId)} failed={{ form: form(body, id), values: body, violations: result.violations }} />, 422);
    });
  const same = async (c: Ctx, id: string) => (await g.gatheringsView(depsOf(c).db, actorOf(c), depsOf(c).clock, id)).session.id;
  post(
    `${page}`,
    () => "add",
    (c, id, b) => g.addGathering(depsOf(c).db, actorOf(c), depsOf(c).clock, id, { kind: str(b, "kind"), date: str(b, "date"), place: str(b, "place"), requestId: str(b, "requestId") || undefined }),
    same,
  );
  post(
    "/eformation/sessions/:id/demandes-regroupement",
    () => "request",
    (c, id, b) => g.fileGatheringRequest(depsOf(c).db, actorOf(c), depsOf(c).clock, id, { date: str(b, "date"), place: str(b, "place"), argument: str(b, "argument") }),
    same,
  );
  post(
    "/eformation/sessions/:id/remises",
    (b) => `deliv-${str(b, "pathId")}`,
    (c, id, b) => g.recordDeliveries(depsOf(c).db, actorOf(c), depsOf(c).clock, id, { pathId: str(b, "pathId"), items: strs(b, "items") }),
    same,
  );
  post(
    "/eformation/demandes-regroupement/:id/decision",
    (_b, id) => `decide-${id}`,
    (c, id, b) => g.decideGatheringRequest(depsOf(c).db, actorOf(c), depsOf(c).clock, id, { decision: str(b, "decision"), reason: str(b, "reason") || undefined }),
    async (c, id) => g.requestSession(depsOf(c).db, actorOf(c), id),
  );
}
