// A path's certificates of completion: list, issue form (any period) and download links.
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import type { CertificateView } from "../use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

export function CertificatesPage(props: {
  c: Ctx;
  pathId: string;
  traineeName: string;
  canIssue: boolean;
  certificates: CertificateView[];
  defaults: { from: string; to: string };
  body?: Record<string, string>;
  violations?: Violation[];
  issued?: boolean;
}) {
  const err = (f: string) => props.violations?.find((v) => v.field === f)?.message;
  return (
    <Layout c={props.c} title={`Certificats de réalisation — ${props.traineeName}`}>
      <p>
        <a href={`/parcours/${props.pathId}`}>← Parcours de {props.traineeName}</a>
      </p>
      <h1>Certificats de réalisation — {props.traineeName}</h1>
      {props.issued ? (
        <div class="alert success" role="status">
          <p>Certificat émis : téléchargez-le ci-dessous.</p>
        </div>
      ) : null}
      {props.canIssue ? (
        <section aria-labelledby="issue-title">
          <h2 id="issue-title">Émettre un certificat</h2>
          <p>Le certificat reprend les heures réalisées de la période, issues des seuls émargements signés (CP-CERTIFICATE-OF-COMPLETION).</p>
          {props.violations?.length ? <ViolationList violations={props.violations} title="Certificat non émis" /> : null}
          <form method="post" action={`/parcours/${props.pathId}/certificats`}>
            <CsrfField c={props.c} />
            <div class="grid">
              <Field name="from" label="Début de la période" type="date" required value={props.body?.from ?? props.defaults.from} error={err("from")} />
              <Field name="to" label="Fin de la période" type="date" required value={props.body?.to ?? props.defaults.to} error={err("to")} />
            </div>
            <button type="submit">Émettre le certificat de réalisation</button>
          </form>
        </section>
      ) : null}
      <section aria-labelledby="list-title">
        <h2 id="list-title">Certificats émis</h2>
        {props.certificates.length === 0 ? (
          <p>Aucun certificat émis.</p>
        ) : (
          <Table label="Certificats de réalisation du parcours">
            <caption>Certificats de réalisation du parcours</caption>
            <thead>
              <tr>
                <th scope="col">Période</th>
                <th scope="col" class="num">Heures réalisées</th>
                <th scope="col">Émis le</th>
                <th scope="col">Vérification</th>
                <th scope="col">Document</th>
              </tr>
            </thead>
            <tbody>
              {props.certificates.map((x) => (
                <tr>
                  <th scope="row">
                    du {formatDateFr(x.periodStart)} au {formatDateFr(x.periodEnd)}
                  </th>
                  <td class="num">{formatMinutes(x.content.minutes.total)}</td>
                  <td>{new Date(x.issuedAt).toLocaleString("fr-FR", { timeZone: "Europe/Paris" })}</td>
                  <td>
                    <a href={`/verifier/${x.verificationCode}`}>{x.verificationCode}</a>
                  </td>
                  <td>
                    <a href={`/certificats/${x.id}/pdf`}>Télécharger le PDF</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </Layout>
  );
}
