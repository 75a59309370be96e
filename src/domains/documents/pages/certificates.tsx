// A path's certificates of completion: issue form (a period of the path; a replacement with its
// reason), the history of versions, download links and « Envoyer par courriel ».
import { dateTimeFr, de } from "../../../core/french.ts";
import type { Ctx } from "../../../core/http/context.ts";
import type { NotificationRow } from "../../../core/notifications/index.ts";
import { CsrfField, Field, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import { REPLACE_REASON_MAX } from "../rules.ts";
import type { CertificateView } from "../use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

export function CertificatesPage(props: {
  c: Ctx;
  pathId: string;
  traineeName: string;
  canIssue: boolean;
  certificates: CertificateView[];
  mails: Map<string, NotificationRow[]>;
  /** One key per page shown: the mail button's double click sends once. */
  mailKey: string;
  defaults: { from: string; to: string };
  body?: Record<string, string>;
  violations?: Violation[];
  notice?: string;
}) {
  const err = (f: string) => props.violations?.find((v) => v.field === f)?.message;
  const inForce = props.certificates.filter((x) => !x.replacedBy);
  const versionOf = new Map(props.certificates.map((x) => [x.id, x.version]));
  return (
    <Layout c={props.c} title={`Certificats de réalisation — ${props.traineeName}`}>
      <p>
        <a href={`/parcours/${props.pathId}`}>← Parcours {de(props.traineeName)}</a>
      </p>
      <h1>Certificats de réalisation — {props.traineeName}</h1>
      {props.notice ? (
        <div class="alert success" role="status">
          <p>{props.notice}</p>
        </div>
      ) : null}
      {props.violations?.length ? <ViolationList violations={props.violations} title="Demande refusée" /> : null}
      {props.canIssue ? (
        <section aria-labelledby="issue-title">
          <h2 id="issue-title">Émettre un certificat</h2>
          <p>
            Le certificat reprend les heures réalisées de la période, issues des seuls émargements signés. La période est ramenée aux dates du parcours (de l'entrée à la sortie, ou à aujourd'hui).
            Un seul certificat par période : pour corriger un certificat, remplacez-le en indiquant le motif (CP-CERTIFICATE-OF-COMPLETION).
          </p>
          <form method="post" action={`/parcours/${props.pathId}/certificats`}>
            <CsrfField c={props.c} />
            <div class="grid">
              <Field name="from" label="Début de la période" type="date" required value={props.body?.from ?? props.defaults.from} error={err("from")} />
              <Field name="to" label="Fin de la période" type="date" required value={props.body?.to ?? props.defaults.to} error={err("to")} />
            </div>
            {inForce.length ? (
              <fieldset>
                <legend>Remplacement (facultatif)</legend>
                <div class={err("replaces") ? "field has-error" : "field"}>
                  <label for="f-replaces">Remplace le certificat</label>
                  <select id="f-replaces" name="replaces" aria-invalid={err("replaces") ? "true" : undefined} aria-describedby={err("replaces") ? "f-replaces-err" : undefined}>
                    <option value="">Aucun : nouveau certificat</option>
                    {inForce.map((x) => (
                      <option value={x.id} selected={props.body?.replaces === x.id}>
                        Version {x.version} — du {formatDateFr(x.periodStart)} au {formatDateFr(x.periodEnd)}
                      </option>
                    ))}
                  </select>
                  {err("replaces") ? (
                    <p class="field-error" id="f-replaces-err">
                      {err("replaces")}
                    </p>
                  ) : null}
                </div>
                <div class={err("reason") ? "field has-error" : "field"}>
                  <label for="f-reason">Motif du remplacement</label>
                  <p class="hint" id="f-reason-hint">
                    Requis pour un remplacement ; {REPLACE_REASON_MAX} caractères au plus. Il figure sur le nouveau certificat.
                  </p>
                  <textarea
                    id="f-reason"
                    name="reason"
                    rows={2}
                    maxlength={REPLACE_REASON_MAX}
                    aria-invalid={err("reason") ? "true" : undefined}
                    aria-describedby={err("reason") ? "f-reason-hint f-reason-err" : "f-reason-hint"}
                  >
                    {props.body?.reason ?? ""}
                  </textarea>
                  {err("reason") ? (
                    <p class="field-error" id="f-reason-err">
                      {err("reason")}
                    </p>
                  ) : null}
                </div>
              </fieldset>
            ) : null}
            <button type="submit">Émettre le certificat de réalisation</button>
          </form>
        </section>
      ) : null}
      <section aria-labelledby="list-title">
        <h2 id="list-title">Certificats émis et historique</h2>
        {props.certificates.length === 0 ? (
          <p>Aucun certificat émis.</p>
        ) : (
            <Table label="Certificats de réalisation du parcours">
              <caption>Certificats de réalisation du parcours, du plus récent au plus ancien</caption>
              <thead>
                <tr>
                  <th scope="col">Période</th>
                  <th scope="col">Version</th>
                  <th scope="col" class="num">Heures réalisées</th>
                  <th scope="col">Émis le</th>
                  <th scope="col">État</th>
                  <th scope="col">Document</th>
                </tr>
              </thead>
              <tbody>
                {props.certificates.map((x) => {
                  const sent = props.mails.get(x.id) ?? [];
                  return (
                    <tr>
                      <th scope="row">
                        du {formatDateFr(x.periodStart)} au {formatDateFr(x.periodEnd)}
                      </th>
                      <td>
                        {x.version}
                        {x.replacesId ? <div class="muted">remplace la version {versionOf.get(x.replacesId) ?? x.version - 1} : {x.replaceReason}</div> : null}
                      </td>
                      <td class="num">{formatMinutes(x.content.minutes.total)}</td>
                      <td>{dateTimeFr(x.issuedAt)}</td>
                      <td>
                        {x.replacedBy ? (
                          <>
                            Remplacé par la version {versionOf.get(x.replacedBy) ?? x.version + 1}
                            {x.replacedAt ? ` le ${dateTimeFr(x.replacedAt)}` : ""}
                          </>
                        ) : (
                          "En vigueur"
                        )}
                        {sent.length ? <div class="muted">Envoyé par courriel le {dateTimeFr(sent[sent.length - 1].createdAt)}</div> : null}
                      </td>
                      <td>
                        <a href={`/certificats/${x.id}/pdf`}>Télécharger le PDF (version {x.version})</a>
                        <br />
                        <a href={`/verifier/${x.verificationCode}`}>Page de vérification</a>
                        {props.canIssue && !x.replacedBy ? (
                          <form method="post" action={`/certificats/${x.id}/envoyer`}>
                            <CsrfField c={props.c} />
                            <input type="hidden" name="key" value={props.mailKey} />
                            <button type="submit" class="secondary">
                              Envoyer par courriel
                            </button>
                          </form>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </Table>
        )}
      </section>
    </Layout>
  );
}
