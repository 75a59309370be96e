// « Mes documents »: the trainee's certificates to download and their own signed presences.
import { dateTimeFr } from "../../../core/french.ts";
import type { Ctx } from "../../../core/http/context.ts";
import { Layout } from "../../../core/pages/layout.tsx";
import { Table } from "../../../core/pages/table.tsx";
import { formatDateFr } from "../../../core/time.ts";
import { modalityLabels } from "../../paths/pages/labels.tsx";
import type { MyDocuments } from "../mine.ts";

export function MyDocumentsPage(p: { c: Ctx; d: MyDocuments }) {
  const { certificates, skillsCertificates, signedSlots } = p.d;
  return (
    <Layout c={p.c} title="Mes documents">
      <p>
        <a href="/mon-parcours">← Mon parcours</a>
      </p>
      <h1>Mes documents</h1>
      <section aria-labelledby="certs-title">
        <h2 id="certs-title">Mes attestations et certificats</h2>
        {certificates.length + skillsCertificates.length === 0 ? <p>Aucun certificat n'a encore été émis à votre nom.</p> : null}
        <ul>
          {certificates.map((x) => (
            <li>
              <a href={x.url}>
                Certificat de réalisation du {formatDateFr(x.periodStart)} au {formatDateFr(x.periodEnd)}
                {x.version > 1 ? ` (version ${x.version})` : ""} (PDF)
              </a>
              {x.inForce ? "" : " — remplacé par une version plus récente"}
            </li>
          ))}
          {skillsCertificates.map((x) => (
            <li>
              <a href={x.url}>Attestation de compétences — sortie du {formatDateFr(x.actualExitDate)} (PDF)</a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="signed-title">
        <h2 id="signed-title">Mes émargements</h2>
        {signedSlots.length === 0 ? (
          <p>Aucun émargement signé pour le moment.</p>
        ) : (
          <Table label="Mes émargements signés">
            <caption>Mes présences signées ({signedSlots.length})</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Horaires</th>
                <th scope="col">Modalité</th>
                <th scope="col">Signé le</th>
              </tr>
            </thead>
            <tbody>
              {signedSlots.map((s) => (
                <tr>
                  <th scope="row">{formatDateFr(s.date)}</th>
                  <td>
                    {s.start.replace(":", " h ")} – {s.end.replace(":", " h ")}
                  </td>
                  <td>{modalityLabels[s.modality] ?? s.modality}</td>
                  <td>{dateTimeFr(s.signedAt)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </Layout>
  );
}
