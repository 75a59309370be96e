// Staff screens: trainees' phones (device sessions), help requests, and the Region's evidence audit.
import QRCode from "qrcode";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Layout } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import type { evidenceReportState } from "../evidence-reports.ts";
import { parisDateTime } from "./parts.tsx";
import { Table } from "../../../core/pages/table.tsx";

export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
}

export function DevicesPage(props: {
  c: Ctx;
  trainees: { id: string; first_name: string; last_name: string }[];
  devices: { id: string; first_name: string; last_name: string; label: string | null; last_seen_at: Date | null; expires_at: Date }[];
  enrolment?: { url: string; svg: string; name: string };
}) {
  return (
    <Layout c={props.c} title="Téléphones des stagiaires">
      <h1>Téléphones des stagiaires</h1>
      <p>Un téléphone enregistré permet au·à la stagiaire d'émarger pendant 120 jours sans mot de passe. Le lien d'enregistrement ne sert qu'une fois.</p>
      {props.enrolment ? (
        <div class="alert success" role="status">
          <p>
            Lien d'enregistrement pour {props.enrolment.name} (valable 7 jours, à ouvrir une seule fois sur son téléphone) : <a href={props.enrolment.url}>{props.enrolment.url}</a>
          </p>
          <div role="img" aria-label="QR code du lien d'enregistrement" class="qr small" dangerouslySetInnerHTML={{ __html: props.enrolment.svg }} />
        </div>
      ) : null}
      <form method="post" action="/emargement/appareils">
        <CsrfField c={props.c} />
        <div class="field">
          <label for="f-trainee">Stagiaire</label>
          <select id="f-trainee" name="traineeId" required>
            {props.trainees.map((t) => (
              <option value={t.id}>
                {t.last_name} {t.first_name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-label">Téléphone (libellé facultatif)</label>
          <input id="f-label" name="label" maxlength={100} />
        </div>
        <button type="submit">Créer le lien d'enregistrement</button>
      </form>
      <Table label="Sessions d'appareil actives ou en attente">
        <caption>Sessions d'appareil actives ou en attente</caption>
        <thead>
          <tr>
            <th scope="col">Stagiaire</th>
            <th scope="col">Téléphone</th>
            <th scope="col">Enregistré / dernière utilisation</th>
            <th scope="col">Expire le</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {props.devices.map((d) => (
            <tr>
              <th scope="row">
                {d.last_name} {d.first_name}
              </th>
              <td>{d.label ?? "—"}</td>
              <td>{d.last_seen_at ? parisDateTime(d.last_seen_at) : "Lien non encore ouvert"}</td>
              <td>{parisDateTime(d.expires_at)}</td>
              <td>
                <form method="post" action={`/emargement/appareils/${d.id}/revoquer`}>
                  <CsrfField c={props.c} />
                  <button type="submit" class="secondary">
                    Révoquer
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

export function HelpPage(props: {
  c: Ctx;
  rows: { id: string; question: string; asked_at: Date; answered_at: Date | null; answer: string | null; first_name: string; last_name: string; violation: Violation | null }[];
}) {
  return (
    <Layout c={props.c} title="Demandes d'aide en autoformation">
      <h1>Demandes d'aide en autoformation</h1>
      <p class="hint">Réponse attendue en 2 h au plus (CP-SELFSTUDY-ASSIST-2H) ; les délais dépassés sont signalés.</p>
      {props.rows.length === 0 ? <p>Aucune demande.</p> : null}
      {props.rows.map((h) => (
        <article class="card">
          <h2>
            {h.first_name} {h.last_name} — {parisDateTime(h.asked_at)}
          </h2>
          <p>{h.question}</p>
          {h.violation ? (
            <p class="alert warning" data-code={h.violation.code}>
              {h.violation.message}
            </p>
          ) : null}
          {h.answer ? (
            <p>
              Réponse ({parisDateTime(h.answered_at)}) : {h.answer}
            </p>
          ) : (
            <form method="post" action={`/emargement/aide/${h.id}`}>
              <CsrfField c={props.c} />
              <div class="field">
                <label for={`f-answer-${h.id}`}>Réponse</label>
                <textarea id={`f-answer-${h.id}`} name="answer" rows={3} required></textarea>
              </div>
              <button type="submit">Répondre</button>
            </form>
          )}
        </article>
      ))}
    </Layout>
  );
}

type EvidenceState = Awaited<ReturnType<typeof evidenceReportState>>;

/** The stored verification: the background job's last report, the run under way, the alerts raised as links were written. */
export function EvidencePage(props: { c: Ctx; state: EvidenceState }) {
  const { last, open, alerts } = props.state;
  const r = last?.report;
  return (
    <Layout c={props.c} title="Preuves d'émargement">
      <h1>Intégrité des preuves d'émargement</h1>
      <p>
        La vérification des chaînes de preuves tourne en tâche de fond, chaque jour et à la demande ; chaque nouvelle signature vérifie aussi, au moment où elle
        s'écrit, le maillon auquel elle s'enchaîne.
      </p>
      <p>
        Une feuille trouvée intacte est scellée : la vérification courante ne recalcule en entier que les feuilles dont une ligne a été écrite, modifiée ou
        supprimée depuis leur scellement. La vérification complète recalcule toutes les feuilles ; elle a lieu au moins une fois par semaine.
      </p>
      {open ? (
        <p class="alert" role="status">
          {open.status === "running" ? `Vérification en cours depuis le ${parisDateTime(open.startedAt ?? open.requestedAt)}.` : `Vérification demandée le ${parisDateTime(open.requestedAt)} : elle démarre à la prochaine tâche de fond.`}
        </p>
      ) : (
        <form method="post" action="/preuves/verifier" class="actions">
          <CsrfField c={props.c} />
          <button type="submit">Relancer la vérification</button>
          <button type="submit" name="complete" value="1" class="secondary">
            Lancer une vérification complète
          </button>
        </form>
      )}
      {!last ? (
        <p>Aucune vérification n'a encore abouti.</p>
      ) : last.status === "failed" ? (
        <p class="alert error" role="alert">
          La vérification du {parisDateTime(last.finishedAt ?? last.requestedAt)} a échoué : {last.error}
        </p>
      ) : (
        <>
          <h2>Dernière vérification</h2>
          <p>
            Vérification {last.complete ? "complète" : "courante"} terminée le {parisDateTime(last.finishedAt!)} (heure de Paris ; {last.finishedAt!.toISOString()} UTC) :{" "}
            {r!.entries} entrées sur {r!.slots} feuilles
            {last.rechecked === null ? "." : last.complete ? `, toutes recalculées.` : `, dont ${last.rechecked} recalculée(s) en entier (les autres sont inchangées depuis leur scellement).`}
          </p>
          {r!.broken.length === 0 ? (
            <p class="alert success" role="status">
              Toutes les chaînes de preuves sont intactes.
            </p>
          ) : (
            <div class="alert error" role="alert">
              <h3>{r!.broken.length} anomalie(s) détectée(s)</h3>
              <BrokenTable caption="Premier maillon rompu de chaque feuille" rows={r!.broken} />
            </div>
          )}
        </>
      )}
      {alerts.length > 0 && (
        <div class="alert error" role="alert">
          <h2>{alerts.length} anomalie(s) relevée(s) à l'écriture</h2>
          <BrokenTable caption="Maillons auxquels une nouvelle entrée s'est enchaînée alors qu'ils ne correspondaient plus à leur empreinte" rows={alerts} />
        </div>
      )}
    </Layout>
  );
}

function BrokenTable(props: { caption: string; rows: { slotId: string; seq: number; problem: string }[] }) {
  return (
    <Table label={props.caption}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Créneau</th>
          <th scope="col" class="num">
            Maillon
          </th>
          <th scope="col">Anomalie</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((b) => (
          <tr>
            <td>
              <code>{b.slotId}</code>
            </td>
            <td class="num">{b.seq || "—"}</td>
            <td>{b.problem}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
