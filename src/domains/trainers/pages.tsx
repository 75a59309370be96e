// Pages of the teaching team (CP-TRAINER-CHANGE): /formateurs (the provider's trainers, CV and qualifications),
// /commandes/:id/equipe (an order's team, a change, a replacement), /equipes-pedagogiques/avis (the notices the
// Region acknowledges, with the CVs they carried). Plain forms, working without JavaScript.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { isProviderStaff } from "../../core/auth/actor.ts";
import { may } from "../../core/auth/roles.ts";
import { publicUrl } from "../../core/http/client.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { attempt, type FormBody, formBody, generalErrors, str, strs } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../core/pages/layout.tsx";
import type { Violation } from "../../core/rules.ts";
import { formatDateFr, parisDate } from "../../core/time.ts";
import * as uc from "./use-cases.ts";
import { Table } from "../../core/pages/table.tsx";

const UUID = "{[0-9a-fA-F-]{36}}";
const when = (d: Date | string | null) => (d ? formatDateFr(parisDate(new Date(d))) : "");

export const fileOf = async (body: FormBody, name: string) => {
  const f = body[name];
  return f instanceof File && f.size > 0 ? { filename: f.name, contentType: f.type, bytes: new Uint8Array(await f.arrayBuffer()) } : undefined;
};

const download = (c: Ctx, a: { filename: string; content_type: string; bytes: Uint8Array | Buffer }) =>
  c.body(new Uint8Array(a.bytes), 200, { "content-type": a.content_type, "content-disposition": `attachment; filename="${a.filename.replace(/[^\w.-]/g, "_")}"`, "x-content-type-options": "nosniff" });

const trainerInputOf = (body: FormBody) => ({ fullName: str(body, "fullName"), qualifications: str(body, "qualifications"), active: str(body, "active") === "on" });

function TrainerForm(props: { c: Ctx; action: string; v: { fullName: string; qualifications: string; active: boolean }; violations: Violation[]; submit: string; hasCv?: boolean }) {
  const { v, violations } = props;
  const general = generalErrors(violations, ["fullName", "qualifications", "cv"]);
  return (
    <form method="post" action={props.action} enctype="multipart/form-data">
      <CsrfField c={props.c} />
      {general.length > 0 ? <ViolationList violations={general} /> : null}
      <Field name="fullName" label="Nom et prénom" value={v.fullName} required error={errorFor(violations, "fullName")} attrs={{ maxlength: 200, autocomplete: "off" }} />
      <div class={errorFor(violations, "qualifications") ? "field has-error" : "field"}>
        <label for="f-qualifications">Qualifications (diplômes, titres, expérience)</label>
        <textarea id="f-qualifications" name="qualifications" rows={3} maxlength={2000}>
          {v.qualifications}
        </textarea>
      </div>
      <Field
        name="cv"
        label={props.hasCv ? "Remplacer le CV (PDF, JPEG ou PNG, 10 Mo au plus)" : "CV (PDF, JPEG ou PNG, 10 Mo au plus)"}
        type="file"
        hint="Le CV est transmis à la Région quand le formateur rejoint une équipe pédagogique (CP-TRAINER-CHANGE)."
        error={errorFor(violations, "cv")}
        attrs={{ accept: "application/pdf,image/jpeg,image/png" }}
      />
      <div class="field">
        <input type="checkbox" id="f-active" name="active" checked={v.active} /> <label for="f-active">Actif dans l'organisme</label>
      </div>
      <div class="actions">
        <button type="submit">{props.submit}</button>
      </div>
    </form>
  );
}

async function TrainersPage(c: Ctx, form?: { v: ReturnType<typeof trainerInputOf>; violations: Violation[] }) {
  const actor = actorOf(c);
  const providerId = c.req.query("organisme");
  const trainers = await uc.listTrainers(depsOf(c).db, actor, providerId);
  return c.html(
    <Layout c={c} title="Formateurs">
      <h1>Formateurs de l'organisme</h1>
      <p>
        Chaque changement d'équipe pédagogique d'une commande est notifié à la Région avec le CV des nouveaux formateurs ; un formateur absent est remplacé sans délai par un formateur de
        qualification équivalente (CP-TRAINER-CHANGE, CCTP §4.1.2).
      </p>
      {c.req.query("enregistre") ? (
        <p class="alert success" role="status">
          Le formateur a été enregistré.
        </p>
      ) : null}
      <Table label="Formateurs">
        <caption>Formateurs</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Qualifications</th>
            <th scope="col">CV</th>
            <th scope="col">Actif</th>
          </tr>
        </thead>
        <tbody>
          {trainers.length === 0 ? (
            <tr>
              <td colspan={4}>Aucun formateur enregistré.</td>
            </tr>
          ) : null}
          {trainers.map((t) => (
            <tr>
              <td>{isProviderStaff(actor) ? <a href={`/formateurs/${t.id}`}>{t.full_name}</a> : t.full_name}</td>
              <td>{t.qualifications || <span class="badge refused">Non renseignées</span>}</td>
              <td>{t.cv_attachment_id ? <a href={`/formateurs/${t.id}/cv`}>CV de {t.full_name}</a> : <span class="badge refused">Manquant</span>}</td>
              <td>{t.active ? "Oui" : "Non"}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {may(actor, "trainers.write") ? (
        <>
          <h2>Ajouter un formateur</h2>
          <TrainerForm c={c} action="/formateurs" v={form?.v ?? { fullName: "", qualifications: "", active: true }} violations={form?.violations ?? []} submit="Ajouter le formateur" />
        </>
      ) : null}
    </Layout>,
    form ? 422 : 200,
  );
}

async function TeamPage(c: Ctx, orderId: string, violations: Violation[] = [], notice?: string) {
  const actor = actorOf(c);
  const { db } = depsOf(c);
  const { order, team, notices } = await uc.orderTeam(db, actor, orderId);
  const trainers = isProviderStaff(actor) ? (await uc.listTrainers(db, actor)).filter((t) => t.active || team.some((m) => m.id === t.id)) : [];
  const closed = order.status === "closed";
  const writable = may(actor, "trainers.write") && isProviderStaff(actor) && !closed;
  const teamErrors = violations.filter((v) => v.field !== "absentTrainerId" && v.field !== "replacementTrainerId" && v.field !== "absenceFrom" && v.field !== "absenceTo" && v.field !== "replacementReason");
  return c.html(
    <Layout c={c} title={`Équipe pédagogique — commande ${order.number}`}>
      <p>
        <a href={`/commandes/${order.id}`}>Commande {order.number}</a>
      </p>
      <h1>Équipe pédagogique de la commande {order.number}</h1>
      {notice ? (
        <p class="alert success" role="status">
          {notice}
        </p>
      ) : null}
      <ViolationList violations={violations.filter((v) => v.severity === "warning")} title="Avertissements" />
      {closed ? (
        <p class="alert warning" role="note">
          Cette commande est close : son équipe pédagogique ne change plus et aucun remplacement ne peut y être déclaré (CP-TRAINER-CHANGE, CCTP §4.1.2). L'équipe et les avis envoyés à la
          Région restent consultables ci-dessous.
        </p>
      ) : null}
      <Table label="Formateurs de l'équipe">
        <caption>Formateurs de l'équipe</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Qualifications</th>
            <th scope="col">Depuis le</th>
          </tr>
        </thead>
        <tbody>
          {team.length === 0 ? (
            <tr>
              <td colspan={3}>Aucun formateur désigné.</td>
            </tr>
          ) : null}
          {team.map((t) => (
            <tr>
              <td>{t.full_name}</td>
              <td>{t.qualifications}</td>
              <td>{when(t.added_at)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {writable ? (
        <>
          <h2>Modifier l'équipe</h2>
          <form method="post" action={`/commandes/${order.id}/equipe`}>
            <CsrfField c={c} />
            {generalErrors(teamErrors, ["reason"]).length > 0 ? <ViolationList violations={generalErrors(teamErrors, ["reason"])} /> : null}
            <fieldset>
              <legend>Formateurs de l'équipe (la Région reçoit le CV de chaque nouveau formateur)</legend>
              {trainers.map((t) => (
                <div class="field">
                  <input type="checkbox" id={`f-trainer-${t.id}`} name="trainerIds" value={t.id} checked={team.some((m) => m.id === t.id)} />{" "}
                  <label for={`f-trainer-${t.id}`}>
                    {t.full_name}
                    {t.cv_attachment_id ? "" : " (CV manquant)"}
                  </label>
                </div>
              ))}
            </fieldset>
            <Field name="reason" label="Motif du changement" required error={errorFor(teamErrors, "reason")} attrs={{ maxlength: 2000 }} />
            <div class="actions">
              <button type="submit">Notifier le changement à la Région</button>
            </div>
          </form>
          {team.length > 0 ? (
            <>
              <h2>Remplacer un formateur absent</h2>
              <form method="post" action={`/commandes/${order.id}/equipe/remplacement`}>
                <CsrfField c={c} />
                <Select name="absentTrainerId" label="Formateur absent" required emptyLabel="— Choisir —" error={errorFor(violations, "absentTrainerId")} options={team.map((t) => ({ value: t.id, label: t.full_name }))} />
                <Select
                  name="replacementTrainerId"
                  label="Remplaçant (qualification équivalente)"
                  required
                  emptyLabel="— Choisir —"
                  error={errorFor(violations, "replacementTrainerId")}
                  options={trainers.filter((t) => t.active).map((t) => ({ value: t.id, label: `${t.full_name} — ${t.qualifications || "qualifications non renseignées"}` }))}
                />
                <Field name="absenceFrom" label="Absent à partir du" type="date" required error={errorFor(violations, "absenceFrom")} />
                <Field name="absenceTo" label="Absent jusqu'au (si connu)" type="date" error={errorFor(violations, "absenceTo")} />
                <Field name="replacementReason" label="Motif de l'absence" required error={errorFor(violations, "replacementReason")} attrs={{ maxlength: 2000 }} />
                <div class="actions">
                  <button type="submit">Enregistrer le remplacement</button>
                </div>
              </form>
            </>
          ) : null}
        </>
      ) : null}
      <h2>Avis envoyés à la Région</h2>
      <NoticeTable notices={notices} />
    </Layout>,
    violations.some((v) => v.severity === "error") ? 422 : 200,
  );
}

function NoticeTable({ notices }: { notices: Awaited<ReturnType<typeof uc.listNotices>> }) {
  if (notices.length === 0) return <p>Aucun avis.</p>;
  return (
    <Table label="Avis de changement d'équipe pédagogique ou de site">
      <caption>Avis de changement d'équipe pédagogique ou de site</caption>
      <thead>
        <tr>
          <th scope="col">Avis</th>
          <th scope="col">Organisme</th>
          <th scope="col">Commande</th>
          <th scope="col">Nature</th>
          <th scope="col">Déposé le</th>
          <th scope="col">Pris en compte</th>
        </tr>
      </thead>
      <tbody>
        {notices.map((n) => (
          <tr>
            <td>
              <a href={`/equipes-pedagogiques/avis/${n.id}`}>{uc.noticeReference(n.id)}</a>
            </td>
            <td>{n.provider_name}</td>
            <td>{n.order_number}</td>
            <td>{uc.noticeKindLabels[n.kind]}</td>
            <td>{when(n.filed_at)}</td>
            <td>{n.acknowledged_at ? `le ${when(n.acknowledged_at)}` : <span class="badge pending">À prendre en compte</span>}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

async function NoticePage(c: Ctx, id: string, notice?: string) {
  const actor = actorOf(c);
  const n = await uc.getNotice(depsOf(c).db, actor, id);
  const added = n.trainers.filter((t) => t.change === "added");
  const removed = n.trainers.filter((t) => t.change === "removed");
  return c.html(
    <Layout c={c} title={`Avis ${uc.noticeReference(n.id)}`}>
      <h1>
        {uc.noticeKindLabels[n.kind]} — avis {uc.noticeReference(n.id)}
      </h1>
      {notice ? (
        <p class="alert success" role="status">
          {notice}
        </p>
      ) : null}
      <dl>
        <dt>Organisme</dt>
        <dd>{n.provider_name}</dd>
        <dt>Commande</dt>
        <dd>
          <a href={`/commandes/${n.order_id}/equipe`}>{n.order_number}</a>
        </dd>
        <dt>Déposé le</dt>
        <dd>{when(n.filed_at)}</dd>
        <dt>{n.kind === "site_change" ? "Ce qui change" : "Motif"}</dt>
        <dd>{n.reason}</dd>
        {n.kind === "replacement" ? (
          <>
            <dt>Formateur absent</dt>
            <dd>
              {n.absent_name} ({n.absent_qualifications || "qualifications non renseignées"}), à partir du {formatDateFr(n.absence_from)}
              {n.absence_to ? ` jusqu'au ${formatDateFr(n.absence_to)}` : ""}
            </dd>
            <dt>Remplaçant</dt>
            <dd>
              {n.replacement_name} ({n.replacement_qualifications})
            </dd>
          </>
        ) : null}
        <dt>Pris en compte par la Région</dt>
        <dd>{n.acknowledged_at ? `le ${when(n.acknowledged_at)}` : "pas encore"}</dd>
      </dl>
      {n.kind === "site_change" ? null : <h2>Nouveaux formateurs et leur CV</h2>}
      {n.kind === "site_change" ? null : added.length === 0 ? (
        <p>Aucun nouveau formateur.</p>
      ) : (
        <ul>
          {added.map((t) => (
            <li>
              {t.full_name} — {t.qualifications || "qualifications non renseignées"} — <a href={`/equipes-pedagogiques/avis/${n.id}/cv/${t.id}`}>CV de {t.full_name}</a>
            </li>
          ))}
        </ul>
      )}
      {removed.length > 0 ? <p>Quittent l'équipe : {removed.map((t) => t.full_name).join(", ")}.</p> : null}
      {actor.role === "region_officer" && !n.acknowledged_at ? (
        <form method="post" action={`/equipes-pedagogiques/avis/${n.id}/prise-en-compte`}>
          <CsrfField c={c} />
          <button type="submit">Accuser réception de l'avis</button>
        </form>
      ) : null}
      <p>
        <a href="/equipes-pedagogiques/avis">Tous les avis</a>
      </p>
    </Layout>,
  );
}

export function registerTrainerPages(app: OpenAPIHono<AppEnv>) {
  app.get("/formateurs", (c) => TrainersPage(c));
  app.post("/formateurs", async (c) => {
    const body = await formBody(c);
    const v = trainerInputOf(body);
    const r = await attempt(async () => uc.createTrainer(depsOf(c).db, actorOf(c), v, await fileOf(body, "cv")));
    if (r.ok) return c.redirect("/formateurs?enregistre=1", 303);
    return TrainersPage(c, { v, violations: r.violations });
  });
  const editPage = async (c: Ctx, id: string, form?: { v: ReturnType<typeof trainerInputOf>; violations: Violation[] }) => {
    const t = await uc.getTrainer(depsOf(c).db, actorOf(c), id);
    return c.html(
      <Layout c={c} title={`Formateur ${t.full_name}`}>
        <p>
          <a href="/formateurs">Formateurs</a>
        </p>
        <h1>{t.full_name}</h1>
        {t.cv_attachment_id ? (
          <p>
            <a href={`/formateurs/${t.id}/cv`}>CV actuel de {t.full_name}</a>
          </p>
        ) : (
          <p class="alert warning">Aucun CV : ce formateur ne peut pas rejoindre une équipe pédagogique (CP-TRAINER-CHANGE).</p>
        )}
        {may(actorOf(c), "trainers.write") ? (
          <TrainerForm c={c} action={`/formateurs/${t.id}`} v={form?.v ?? { fullName: t.full_name, qualifications: t.qualifications, active: t.active }} violations={form?.violations ?? []} submit="Enregistrer" hasCv={!!t.cv_attachment_id} />
        ) : null}
      </Layout>,
      form ? 422 : 200,
    );
  };
  app.get(`/formateurs/:id${UUID}`, (c) => editPage(c, c.req.param("id")));
  app.post(`/formateurs/:id${UUID}`, async (c) => {
    const body = await formBody(c);
    const v = trainerInputOf(body);
    const id = c.req.param("id");
    const r = await attempt(async () => uc.updateTrainer(depsOf(c).db, actorOf(c), id, v, await fileOf(body, "cv")));
    if (r.ok) return c.redirect("/formateurs?enregistre=1", 303);
    return editPage(c, id, { v, violations: r.violations });
  });
  app.get(`/formateurs/:id${UUID}/cv`, async (c) => download(c, await uc.trainerCv(depsOf(c).db, actorOf(c), c.req.param("id"))));

  app.get(`/commandes/:id${UUID}/equipe`, (c) => TeamPage(c, c.req.param("id"), [], c.req.query("avis") ? "Le changement a été notifié à la Région avec les CV des nouveaux formateurs." : undefined));
  app.post(`/commandes/:id${UUID}/equipe`, async (c) => {
    const body = await formBody(c);
    const id = c.req.param("id");
    const r = await attempt(() => uc.setOrderTeam(depsOf(c).db, actorOf(c), depsOf(c).clock, publicUrl(c), id, { trainerIds: strs(body, "trainerIds"), reason: str(body, "reason") }));
    if (r.ok) return c.redirect(`/commandes/${id}/equipe${r.value.noticeId ? "?avis=1" : ""}`, 303);
    return TeamPage(c, id, r.violations);
  });
  app.post(`/commandes/:id${UUID}/equipe/remplacement`, async (c) => {
    const body = await formBody(c);
    const id = c.req.param("id");
    const input = { absentTrainerId: str(body, "absentTrainerId"), replacementTrainerId: str(body, "replacementTrainerId"), absenceFrom: str(body, "absenceFrom"), absenceTo: str(body, "absenceTo"), reason: str(body, "replacementReason") };
    const r = await attempt(() => uc.replaceAbsentTrainer(depsOf(c).db, actorOf(c), depsOf(c).clock, publicUrl(c), id, input));
    if (r.ok) return TeamPage(c, id, r.value.warnings, "Le remplacement a été enregistré et notifié à la Région.");
    return TeamPage(c, id, r.violations.map((v) => (v.field === "reason" ? { ...v, field: "replacementReason" } : v)));
  });

  app.get("/equipes-pedagogiques/avis", async (c) => {
    const open = c.req.query("ouverts") === "1";
    const notices = await uc.listNotices(depsOf(c).db, actorOf(c), { open });
    return c.html(
      <Layout c={c} title="Avis de changement d'équipe pédagogique ou de site">
        <h1>Avis de changement d'équipe pédagogique ou de site</h1>
        <p>{open ? <a href="/equipes-pedagogiques/avis">Voir tous les avis</a> : <a href="/equipes-pedagogiques/avis?ouverts=1">Voir les avis à prendre en compte</a>}</p>
        <NoticeTable notices={notices} />
      </Layout>,
    );
  });
  app.get(`/equipes-pedagogiques/avis/:id${UUID}`, (c) => NoticePage(c, c.req.param("id")));
  app.post(`/equipes-pedagogiques/avis/:id${UUID}/prise-en-compte`, async (c) => {
    const id = c.req.param("id");
    const r = await attempt(() => uc.acknowledgeNotice(depsOf(c).db, actorOf(c), depsOf(c).clock, id));
    return NoticePage(c, id, r.ok ? "Avis pris en compte." : r.violations[0]?.message);
  });
  app.get(`/equipes-pedagogiques/avis/:id${UUID}/cv/:trainerId${UUID}`, async (c) => download(c, await uc.noticeCv(depsOf(c).db, actorOf(c), c.req.param("id"), c.req.param("trainerId"))));
}
