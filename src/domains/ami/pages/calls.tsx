// Pages /ami (the call's home for each role), /ami/appels/… (publish, read, rank, renew) and the
// Region's registers (eligible organisations, expert providers and their accounts).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { requireRole } from "../../../core/auth/actor.ts";
import { may } from "../../../core/auth/roles.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { attempt, formBody, type FormBody, str, strs } from "../../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { parisDate } from "../../../core/time.ts";
import { formatParis } from "../paris.ts";
import { blankFormPdf } from "../pdf.ts";
import { type ApplicationStatus, SEED_EXPERTS, SEED_LOTS } from "../rules.ts";
import * as uc from "../use-cases.ts";
import { Choices, frDate, pdfResponse, StatusBadge, TextArea } from "./parts.tsx";
import { Table } from "../../../core/pages/table.tsx";

const now = (c: Ctx) => depsOf(c).clock.now();

async function home(c: Ctx, forms: { violations?: Violation[] } = {}, status = 200) {
  const actor = actorOf(c);
  const db = depsOf(c).db;
  const calls = await uc.listCalls(db, actor);
  const apps = await uc.listApplications(db, actor);
  const isRegion = actor.role === "region_officer";
  const registers = isRegion ? await uc.listRegisters(db, actor) : undefined;
  const done = c.req.query("ok");
  return c.html(
    <Layout c={c} title="AMI modernisation de l'appareil de formation">
      <h1>AMI « Modernisation de l'appareil de formation »</h1>
      <p>
        La Région accompagne les organismes de formation et CFA qui veulent moderniser leurs pratiques : un prestataire expert réalise le diagnostic et le plan d'actions (mission 1), la mise en
        œuvre de ce que le comité de sélection approuve (mission 2), puis l'évaluation et des livrables réutilisables (mission 3).
      </p>
      {done ? (
        <p class="alert success" role="status">
          Enregistré.
        </p>
      ) : null}
      {forms.violations?.length ? <ViolationList violations={forms.violations} /> : null}
      <section aria-labelledby="calls-title">
        <h2 id="calls-title">Appels publiés</h2>
        {calls.length === 0 ? (
          <p class="muted">Aucun appel publié.</p>
        ) : (
          <Table label="Appels à manifestation d'intérêt">
            <caption>Appels à manifestation d'intérêt</caption>
            <thead>
              <tr>
                <th scope="col">Appel</th>
                <th scope="col">Date limite de dépôt (Paris)</th>
                <th scope="col">Fin de la mission 2 au plus tard</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((x) => (
                <tr>
                  <td>
                    <a href={`/ami/appels/${x.id}`}>{x.title}</a>
                    {x.renewed_from ? " (renouvellement)" : ""}
                  </td>
                  <td>{formatParis(x.submission_deadline)}</td>
                  <td>{frDate(x.mission2_latest_end)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {isRegion ? (
          <p>
            <a href="/ami/appels/nouveau">Publier un appel</a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="apps-title">
        <h2 id="apps-title">{isRegion ? "Candidatures déposées" : actor.role === "expert" ? "Candidatures que vous accompagnez" : "Vos candidatures"}</h2>
        {apps.length === 0 ? (
          <p class="muted">Aucune candidature.</p>
        ) : (
          <Table label="Candidatures">
            <caption>Candidatures</caption>
            <thead>
              <tr>
                <th scope="col">Organisme</th>
                <th scope="col">Lot</th>
                <th scope="col">État</th>
                <th scope="col">Valable jusqu'au</th>
              </tr>
            </thead>
            <tbody>
              {apps.map((a) => (
                <tr>
                  <td>
                    <a href={`/ami/candidatures/${a.id}`}>{a.provider_name}</a>
                  </td>
                  <td>{a.lot_number ? `Lot ${a.lot_number}` : "—"}</td>
                  <td>
                    <StatusBadge status={a.status as ApplicationStatus} />
                  </td>
                  <td>{frDate(a.valid_until)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
      {registers ? <Registers c={c} registers={registers} violations={forms.violations ?? []} /> : null}
    </Layout>,
    status as 200,
  );
}

function Registers(props: { c: Ctx; registers: Awaited<ReturnType<typeof uc.listRegisters>>; violations: Violation[] }) {
  const { eligible, experts, providers } = props.registers;
  return (
    <>
      <section aria-labelledby="eligible-title">
        <h2 id="eligible-title">Organismes éligibles inscrits par la Région (AMI-ELIGIBLE)</h2>
        <p>Les titulaires d'une commande de l'année du PRF sont éligibles d'office ; inscrivez ici les autres organismes référencés, par exemple les centres de formation d'apprentis.</p>
        {eligible.length > 0 ? (
          <ul>
            {eligible.map((e) => (
              <li>
                {e.name} — PRF {e.prf_year} — {e.kind === "apprentice_centre" ? "centre de formation d'apprentis" : "organisme de formation"}
              </li>
            ))}
          </ul>
        ) : null}
        <form method="post" action="/ami/eligibles">
          <CsrfField c={props.c} />
          <div class="grid">
            <Select name="providerId" label="Organisme" options={providers.map((p) => ({ value: p.id, label: p.name }))} required />
            <Field name="prfYear" label="Année du PRF" type="number" value={new Date().getFullYear()} required attrs={{ min: 2000, max: 2100 }} />
            <Select
              name="kind"
              label="Type"
              options={[
                { value: "apprentice_centre", label: "Centre de formation d'apprentis" },
                { value: "training_organisation", label: "Organisme de formation" },
              ]}
              required
            />
          </div>
          <div class="actions">
            <button type="submit">Inscrire l'organisme</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="experts-title">
        <h2 id="experts-title">Prestataires experts référencés (AMI-EXPERT-IN-LOT)</h2>
        <ul>
          {experts.map((e) => (
            <li>
              {e.name}
              <form method="post" action={`/ami/experts/${e.id}/comptes`} class="inline">
                <CsrfField c={props.c} />
                <fieldset>
                  <legend>Ouvrir un compte de consultant chez {e.name}</legend>
                  <div class="grid">
                    <Field name="fullName" label={`Nom et prénom (${e.name})`} required />
                    <Field name="email" label={`Courriel (${e.name})`} type="email" required />
                    <Field name="password" label={`Mot de passe initial (${e.name})`} type="password" required hint="12 caractères au moins." attrs={{ autocomplete: "new-password" }} />
                  </div>
                  <button type="submit">Ouvrir le compte</button>
                </fieldset>
              </form>
            </li>
          ))}
        </ul>
        <form method="post" action="/ami/experts">
          <CsrfField c={props.c} />
          <Field name="name" label="Nom du prestataire expert" required error={errorFor(props.violations, "name")} />
          <div class="actions">
            <button type="submit">Référencer le prestataire</button>
          </div>
        </form>
      </section>
    </>
  );
}

// ---- Publishing a call (AMI-CALL, AMI-LOTS) ----

interface CallForm {
  title: string;
  body: string;
  prfYear: string;
  deadlineDate: string;
  deadlineTime: string;
  mission2LatestEnd: string;
  priorities: string;
  lots: { name: string; departements: string; experts: string[] }[];
}

function callValues(body: FormBody): CallForm {
  return {
    title: str(body, "title"),
    body: str(body, "body"),
    prfYear: str(body, "prfYear"),
    deadlineDate: str(body, "deadlineDate"),
    deadlineTime: str(body, "deadlineTime"),
    mission2LatestEnd: str(body, "mission2LatestEnd"),
    priorities: str(body, "priorities"),
    lots: [1, 2].map((n) => ({ name: str(body, `lot${n}_name`), departements: str(body, `lot${n}_departements`), experts: strs(body, `lot${n}_experts`) })),
  };
}

const toCallInput = (v: CallForm) => ({
  ...v,
  lots: v.lots
    .map((l, i) => ({ number: i + 1, name: l.name, departements: l.departements.split(/[\s,;]+/).filter(Boolean), expertProviderIds: l.experts }))
    .filter((l) => l.name !== "" || l.departements.length > 0),
});

async function publishPage(c: Ctx, values: CallForm | undefined, violations: Violation[], status = 200) {
  const actor = actorOf(c);
  requireRole(actor, "region_officer");
  const experts = await uc.listExpertProviders(depsOf(c).db, actor);
  const byName = new Map(experts.map((e) => [e.name, e.id]));
  const v: CallForm = values ?? {
    title: "Modernisation de l'appareil de formation",
    body: "",
    prfYear: String(Number(parisDate(now(c)).slice(0, 4))),
    deadlineDate: "",
    deadlineTime: "12:00",
    mission2LatestEnd: "",
    priorities: "Organismes jamais accompagnés lors d'un précédent appel ; actions de formation liées à la transition énergétique et écologique ; publics cibles du PIC ; implication de l'équipe.",
    lots: SEED_LOTS.map((l) => ({ name: l.name, departements: l.departements.join(", "), experts: SEED_EXPERTS[l.number].map((n) => byName.get(n) ?? "").filter(Boolean) })),
  };
  return c.html(
    <Layout c={c} title="Publier un appel">
      <p>
        <a href="/ami">← AMI modernisation</a>
      </p>
      <h1>Publier un appel à manifestation d'intérêt</h1>
      {violations.length > 0 ? <ViolationList violations={violations} /> : null}
      <form method="post" action="/ami/appels">
        <CsrfField c={c} />
        <Field name="title" label="Titre" value={v.title} required error={errorFor(violations, "title")} />
        <TextArea name="body" label="Texte de l'appel" value={v.body} rows={8} violations={violations} />
        <div class="grid">
          <Field name="prfYear" label="Année du PRF de référence" type="number" value={v.prfYear} required attrs={{ min: 2000, max: 2100 }} error={errorFor(violations, "prfYear")} />
          <Field name="deadlineDate" label="Date limite de dépôt" type="date" value={v.deadlineDate} required error={errorFor(violations, "deadlineDate")} />
          <Field name="deadlineTime" label="Heure limite (heure de Paris)" type="time" value={v.deadlineTime} required error={errorFor(violations, "deadlineTime")} />
          <Field name="mission2LatestEnd" label="Fin de la mission 2 au plus tard" type="date" value={v.mission2LatestEnd} required error={errorFor(violations, "mission2LatestEnd")} />
        </div>
        <TextArea name="priorities" label="Priorités de sélection" value={v.priorities} violations={violations} />
        {v.lots.map((l, i) => (
          <fieldset>
            <legend>Lot {i + 1}</legend>
            <Field name={`lot${i + 1}_name`} label={`Nom du lot ${i + 1}`} value={l.name} />
            <Field name={`lot${i + 1}_departements`} label={`Départements du lot ${i + 1}`} value={l.departements} hint="Codes séparés par des virgules (ex. 31, 32, 46)." error={errorFor(violations, "lots")} />
            <Choices name={`lot${i + 1}_experts`} legend={`Prestataires experts référencés pour le lot ${i + 1}`} type="checkbox" options={experts.map((e) => ({ value: e.id, label: e.name }))} checked={l.experts} />
          </fieldset>
        ))}
        <div class="actions">
          <button type="submit">Publier l'appel</button>
        </div>
      </form>
    </Layout>,
    status as 200,
  );
}

// ---- A call: its lots, the ranking (Region), applying (providers) ----

async function callPage(c: Ctx, id: string, violations: Violation[] = [], status = 200) {
  const actor = actorOf(c);
  const db = depsOf(c).db;
  const call = await uc.getCall(db, actor, id);
  const isRegion = actor.role === "region_officer";
  const ranked = isRegion ? await uc.ranking(db, actor, id) : [];
  const open = now(c).getTime() <= call.submission_deadline.getTime() + 999;
  return c.html(
    <Layout c={c} title={call.title}>
      <p>
        <a href="/ami">← AMI modernisation</a>
      </p>
      <h1>{call.title}</h1>
      {violations.length > 0 ? <ViolationList violations={violations} /> : null}
      <dl>
        <dt>Date limite de dépôt</dt>
        <dd>{formatParis(call.submission_deadline)} (heure de Paris)</dd>
        <dt>Fin de la mission 2 au plus tard</dt>
        <dd>{frDate(call.mission2_latest_end)}</dd>
        <dt>Organismes éligibles</dt>
        <dd>Organismes de formation et CFA d'Occitanie référencés au PRF {call.prf_year}</dd>
        <dt>Priorités</dt>
        <dd>{call.priorities || "—"}</dd>
      </dl>
      {call.body ? <p class="preline">{call.body}</p> : null}
      <Table label="Lots et prestataires experts référencés">
        <caption>Lots et prestataires experts référencés</caption>
        <thead>
          <tr>
            <th scope="col">Lot</th>
            <th scope="col">Départements</th>
            <th scope="col">Prestataires experts</th>
          </tr>
        </thead>
        <tbody>
          {call.lots.map((l) => (
            <tr>
              <td>{l.name}</td>
              <td>{l.departements.join(", ")}</td>
              <td>{l.experts.map((e) => e.name).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p>
        <a href={`/ami/appels/${call.id}/formulaire.pdf`}>Télécharger le formulaire vierge (PDF)</a> pour préparer votre réponse.
      </p>
      {may(actor, "ami.apply") ? (
        open ? (
          <form method="post" action={`/ami/appels/${call.id}/candidater`}>
            <CsrfField c={c} />
            <button type="submit">Commencer une candidature</button>
          </form>
        ) : (
          <p class="alert warning">La date limite de dépôt est passée (AMI-CALL-DEADLINE).</p>
        )
      ) : null}
      {isRegion ? (
        <>
          <section aria-labelledby="rank-title">
            <h2 id="rank-title">Classement des candidatures (AMI-PRIORITY)</h2>
            {ranked.length === 0 ? (
              <p class="muted">Aucune candidature déposée.</p>
            ) : (
              <Table label="Classement des candidatures">
                <caption>Par priorité : jamais accompagné, transition écologique, publics du PIC, puis implication de l'équipe</caption>
                <thead>
                  <tr>
                    <th scope="col">Rang</th>
                    <th scope="col">Organisme</th>
                    <th scope="col">Lot</th>
                    <th scope="col">Raisons</th>
                    <th scope="col">État</th>
                  </tr>
                </thead>
                <tbody>
                  {ranked.map((a) => (
                    <tr>
                      <td>
                        {a.position}
                        {a.override_position !== null ? ` (forcé ; calculé : ${a.computedPosition} — ${a.override_reason})` : ""}
                      </td>
                      <td>
                        <a href={`/ami/candidatures/${a.id}`}>{a.provider_name}</a>
                      </td>
                      <td>{a.lot_number ? `Lot ${a.lot_number}` : "—"}</td>
                      <td>
                        <ul>
                          {a.reasons.map((r) => (
                            <li>{r}</li>
                          ))}
                        </ul>
                      </td>
                      <td>
                        <StatusBadge status={a.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
          <section aria-labelledby="renew-title">
            <h2 id="renew-title">Renouveler l'appel (AMI-CALL)</h2>
            <form method="post" action={`/ami/appels/${call.id}/renouveler`}>
              <CsrfField c={c} />
              <div class="grid">
                <Field name="prfYear" label="Année du PRF" type="number" value={call.prf_year + 1} required />
                <Field name="deadlineDate" label="Nouvelle date limite" type="date" required />
                <Field name="deadlineTime" label="Heure limite (Paris)" type="time" value="12:00" required />
                <Field name="mission2LatestEnd" label="Nouvelle fin de la mission 2 au plus tard" type="date" required />
              </div>
              <button type="submit">Renouveler</button>
            </form>
          </section>
        </>
      ) : null}
    </Layout>,
    status as 200,
  );
}

export function registerAmiCallPages(app: OpenAPIHono<AppEnv>) {
  app.get("/ami", (c) => home(c));

  app.post("/ami/eligibles", async (c) => {
    const body = await formBody(c);
    const r = await attempt(() => uc.registerEligible(depsOf(c).db, actorOf(c), { providerId: str(body, "providerId"), prfYear: str(body, "prfYear"), kind: str(body, "kind") }));
    return r.ok ? c.redirect("/ami?ok=1", 303) : home(c, { violations: r.violations }, 422);
  });
  app.post("/ami/experts", async (c) => {
    const body = await formBody(c);
    const r = await attempt(() => uc.createExpertProvider(depsOf(c).db, actorOf(c), { name: str(body, "name") }));
    return r.ok ? c.redirect("/ami?ok=1", 303) : home(c, { violations: r.violations }, 422);
  });
  app.post("/ami/experts/:id/comptes", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    await uc.getExpertProvider(depsOf(c).db, actor, c.req.param("id"));
    const body = await formBody(c);
    const r = await attempt(() => uc.createExpertAccount(depsOf(c).db, actor, c.req.param("id"), { email: str(body, "email"), fullName: str(body, "fullName"), password: str(body, "password") }));
    return r.ok ? c.redirect("/ami?ok=1", 303) : home(c, { violations: r.violations }, 422);
  });

  app.get("/ami/appels/nouveau", (c) => publishPage(c, undefined, []));
  app.post("/ami/appels", async (c) => {
    const values = callValues(await formBody(c));
    const r = await attempt(() => uc.publishCall(depsOf(c).db, actorOf(c), toCallInput(values), now(c)));
    return r.ok ? c.redirect(`/ami/appels/${r.value}`, 303) : publishPage(c, values, r.violations, 422);
  });
  app.get("/ami/appels/:id", (c) => callPage(c, c.req.param("id")));
  app.get("/ami/appels/:id/formulaire.pdf", async (c) => {
    const call = await uc.getCall(depsOf(c).db, actorOf(c), c.req.param("id"));
    return pdfResponse(c, await blankFormPdf(call), "ami-formulaire-vierge.pdf");
  });
  app.post("/ami/appels/:id/candidater", async (c) => {
    const id = c.req.param("id");
    const r = await attempt(() => uc.startApplication(depsOf(c).db, actorOf(c), id, now(c)));
    return r.ok ? c.redirect(`/ami/candidatures/${r.value}/modifier`, 303) : callPage(c, id, r.violations, 422);
  });
  app.post("/ami/appels/:id/renouveler", async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const id = c.req.param("id");
    await uc.getCall(depsOf(c).db, actor, id);
    const body = await formBody(c);
    const input = { prfYear: str(body, "prfYear"), deadlineDate: str(body, "deadlineDate"), deadlineTime: str(body, "deadlineTime"), mission2LatestEnd: str(body, "mission2LatestEnd") };
    const r = await attempt(() => uc.renewCall(depsOf(c).db, actor, id, input, now(c)));
    return r.ok ? c.redirect(`/ami/appels/${r.value}`, 303) : callPage(c, id, r.violations, 422);
  });
}
