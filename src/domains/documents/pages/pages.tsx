// Screens of the documents domain: the public verification page, the batches page and the billing statement.
import { dateTimeSecondsFr, monthFr } from "../../../core/french.ts";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import { formatEuros, formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import { modalityRows } from "../certificate.ts";
import type { BillingStatement, Verification } from "../use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

export function VerifyPage(props: { c: Ctx; code: string; result: Verification }) {
  const r = props.result;
  return (
    <Layout c={props.c} title="Vérification d'un certificat de réalisation">
      <h1>Vérification d'un certificat de réalisation</h1>
      {!r.genuine ? (
        <div class="alert error" role="alert">
          <h2>Certificat non authentique</h2>
          <p>Aucun certificat de réalisation émis par la plateforme Compétences Plus ne porte le code « {props.code} ». Ce document n'est pas authentique ou le code a été mal recopié.</p>
        </div>
      ) : !r.intact ? (
        <div class="alert error" role="alert">
          <h2>Certificat altéré</h2>
          <p>Ce code correspond à un certificat émis, mais son contenu enregistré ne correspond plus à son empreinte : contactez la Région.</p>
        </div>
      ) : r.replacement ? (
        <div class="alert warning" role="status">
          <h2>Certificat authentique, remplacé par la version {r.replacement.version}</h2>
          <p>
            Ce certificat (version {r.certificate.version}) a été émis par la plateforme Compétences Plus, puis remplacé par la version {r.replacement.version} le{" "}
            {dateTimeSecondsFr(r.replacement.issuedAt)} : il n'est plus en vigueur. Demandez la version {r.replacement.version} au·à la titulaire.
          </p>
        </div>
      ) : (
        <div class="alert success" role="status">
          <p>
            <strong>Certificat authentique</strong> — émis le {dateTimeSecondsFr(r.certificate.issuedAt)} par la plateforme Compétences Plus (Région Occitanie).
          </p>
        </div>
      )}
      {r.genuine ? (
        <section aria-labelledby="cert-content">
          <h2 id="cert-content">Contenu certifié</h2>
          <dl>
            <dt>Stagiaire</dt>
            <dd>
              {r.certificate.content.trainee.firstName} {r.certificate.content.trainee.lastName}
            </dd>
            <dt>Organisme de formation</dt>
            <dd>
              {r.certificate.content.provider.name} (SIRET {r.certificate.content.provider.siret})
            </dd>
            <dt>Action</dt>
            <dd>
              {r.certificate.content.action.title} — {r.certificate.content.action.nature} — bon de commande {r.certificate.content.action.orderNumber}
            </dd>
            <dt>Période</dt>
            <dd>
              du {formatDateFr(r.certificate.periodStart)} au {formatDateFr(r.certificate.periodEnd)}, à {r.certificate.content.site.name} ({r.certificate.content.site.commune})
            </dd>
          </dl>
          <Table label="Heures réalisées par modalité">
            <caption>Heures réalisées par modalité</caption>
            <thead>
              <tr>
                <th scope="col">Modalité</th>
                <th scope="col" class="num">Heures</th>
              </tr>
            </thead>
            <tbody>
              {modalityRows(r.certificate.content.minutes).map(([label, m]) => (
                <tr>
                  <th scope="row">{label}</th>
                  <td class="num">{formatMinutes(m)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Total</th>
                <td class="num">
                  <strong>{formatMinutes(r.certificate.content.minutes.total)}</strong>
                </td>
              </tr>
            </tbody>
          </Table>
          <p class="muted">Empreinte SHA-256 du contenu : {r.certificate.contentHash}</p>
        </section>
      ) : null}
    </Layout>
  );
}

export interface BatchRow {
  id: string;
  order_number: string;
  period_start: string;
  period_end: string;
  total: number;
  done: number;
  /** Paths whose certificate could not be issued. */
  failed: number;
  status: "running" | "done" | "failed";
  error: string | null;
}

/**
 * Polled by htmx every second while running; plain link to refresh without JS. A batch whose
 * server stopped is taken up again by the background loop, so "en cours" always ends: done, or
 * failed with the reason (role=alert) and the certificates that were issued.
 */
export function BatchProgress(props: { b: BatchRow }) {
  const b = props.b;
  const running = b.status === "running";
  const state = b.status === "done" ? "— terminé" : b.status === "failed" ? "— terminé avec des erreurs" : "— en cours";
  return (
    <div id={`batch-${b.id}`} hx-get={running ? `/documents/lots/${b.id}/progression` : undefined} hx-trigger={running ? "every 1s" : undefined} hx-swap="outerHTML">
      <label for={`p-${b.id}`}>
        {b.done} / {b.total} certificat(s) émis{b.failed ? `, ${b.failed} en erreur` : ""} {state}
      </label>{" "}
      <progress id={`p-${b.id}`} max={Math.max(b.total, 1)} value={b.total === 0 ? 1 : b.done + b.failed}>
        {b.done + b.failed} / {b.total}
      </progress>
      {b.status === "failed" ? (
        <p class="alert error" role="alert">
          Échec du lot : {b.error ?? "raison inconnue."}
        </p>
      ) : null}
      {!running && b.done > 0 ? (
        <>
          {" "}
          <a href={`/documents/lots/${b.id}/pdf`}>{b.status === "done" ? "Télécharger les certificats (PDF)" : "Télécharger les certificats émis (PDF)"}</a>
        </>
      ) : null}
      {running ? (
        <>
          {" "}
          <a href="/documents">Actualiser</a>
        </>
      ) : null}
    </div>
  );
}

export function DocumentsPage(props: {
  c: Ctx;
  orders: { id: string; number: string; planned_start: string; planned_end: string }[];
  batches: BatchRow[];
  body?: Record<string, string>;
  violations?: Violation[];
}) {
  const b = props.body ?? {};
  const err = (field: string) => props.violations?.find((v) => v.field === field)?.message;
  return (
    <Layout c={props.c} title="Documents">
      <h1>Documents</h1>
      <p>Les certificats de réalisation sont établis à partir des seuls émargements signés (CP-CERTIFICATE-OF-COMPLETION, CP-ATTENDANCE-REALISED). Chaque certificat porte un code et une adresse de vérification publique.</p>
      <p>
        <a href="/certificats">Tous les certificats émis</a> : recherche, tri, filtres et export CSV.
      </p>
      {props.orders.length ? (
        <section aria-labelledby="batch-title">
          <h2 id="batch-title">Émettre les certificats d'une commande</h2>
          {props.violations?.length ? <ViolationList violations={props.violations} title="Lot non lancé" /> : null}
          <form method="post" action="/documents/lots">
            <CsrfField c={props.c} />
            <div class="grid">
              <div class="field">
                <label for="f-orderId">Commande</label>
                <select id="f-orderId" name="orderId" required>
                  {props.orders.map((o) => (
                    <option value={o.id} selected={b.orderId === o.id}>
                      {o.number} (du {formatDateFr(o.planned_start)} au {formatDateFr(o.planned_end)})
                    </option>
                  ))}
                </select>
              </div>
              <Field name="from" label="Début de la période" type="date" required value={b.from ?? ""} error={err("from")} />
              <Field name="to" label="Fin de la période" type="date" required value={b.to ?? ""} error={err("to")} />
            </div>
            <button type="submit">Émettre les certificats</button>
          </form>
        </section>
      ) : null}
      <section aria-labelledby="batches-title">
        <h2 id="batches-title">Lots de certificats</h2>
        {props.batches.length === 0 ? (
          <p>Aucun lot pour l'instant.</p>
        ) : (
          <Table label="Derniers lots">
            <caption>Derniers lots</caption>
            <thead>
              <tr>
                <th scope="col">Commande</th>
                <th scope="col">Période</th>
                <th scope="col">Progression</th>
              </tr>
            </thead>
            <tbody>
              {props.batches.map((x) => (
                <tr>
                  <th scope="row">{x.order_number}</th>
                  <td>
                    du {formatDateFr(x.period_start)} au {formatDateFr(x.period_end)}
                  </td>
                  <td>
                    <BatchProgress b={x} />
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

export function BillingPage(props: { c: Ctx; s: BillingStatement }) {
  const s = props.s;
  return (
    <Layout c={props.c} title={`Relevé de facturation ${s.order.number} — ${monthFr(s.month)}`} wide>
      <p>
        <a href={`/commandes/${s.order.id}`}>← Commande {s.order.number}</a>
      </p>
      <h1>
        Relevé de facturation {s.order.number} — relevé de {monthFr(s.month)}
      </h1>
      <p>
        Période du {formatDateFr(s.period.from)} au {formatDateFr(s.period.to)}. Heures réalisées = émargements signés uniquement (CP-BILLING-REALISED) ; e-formation en heures-groupe synchrones signées (CP-EFORM-BILLING).
      </p>
      <p class="actions">
        <a class="button" href={`/commandes/${s.order.id}/facturation/${s.month}/pdf`}>
          Télécharger en PDF
        </a>
        <a class="button" href={`/commandes/${s.order.id}/facturation/${s.month}/csv`}>
          Télécharger en CSV (Excel)
        </a>
        <a class="button" href={`/commandes/${s.order.id}/facturation/${s.month}/xlsx`}>
          Télécharger en XLSX
        </a>
      </p>
      <Table label="Heures réalisées et montant par composante">
        <caption>Heures réalisées et montant par composante</caption>
        <thead>
          <tr>
            <th scope="col">Composante</th>
            <th scope="col" class="num">Présentiel</th>
            <th scope="col" class="num">Positionnement</th>
            <th scope="col" class="num">Regroupement</th>
            <th scope="col" class="num">Distance</th>
            <th scope="col" class="num">Autoformation</th>
            <th scope="col" class="num">Entreprise</th>
            <th scope="col" class="num">Facturable</th>
            <th scope="col" class="num">Montant avant plafond</th>
          </tr>
        </thead>
        <tbody>
          {s.lines.map((l) => (
            <tr>
              <th scope="row">
                {l.componentTitle}
                {l.eFormation ? " (heures-groupe)" : ""}
              </th>
              <td class="num">{formatMinutes(l.realised.inPerson)}</td>
              <td class="num">{formatMinutes(l.realised.positioning)}</td>
              <td class="num">{formatMinutes(l.realised.gathering)}</td>
              <td class="num">{formatMinutes(l.realised.distance)}</td>
              <td class="num">{formatMinutes(l.realised.selfStudy)}</td>
              <td class="num">{formatMinutes(l.realised.company)}</td>
              <td class="num">{formatMinutes(l.basisMinutes)}</td>
              <td class="num">{formatEuros(l.amountCents)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <dl>
        <dt>Total du mois avant plafond</dt>
        <dd>
          {formatMinutes(s.realisedMinutes)} — {formatEuros(s.uncappedAmountCents)}
        </dd>
        <dt>Volume commandé / déjà facturable les mois précédents</dt>
        <dd>
          {formatMinutes(s.orderedMinutes)} / {formatMinutes(s.billableBeforeMinutes)}
        </dd>
        <dt>Écrêté au-delà du volume commandé</dt>
        <dd>{formatMinutes(s.cappedMinutes)}</dd>
        <dt>Total facturable du mois (plafonné)</dt>
        <dd>
          <strong>
            {formatMinutes(s.billableMinutes)} — {formatEuros(s.amountCents)}
          </strong>
        </dd>
        <dt>Présences déclarées, preuve en attente (non facturées)</dt>
        <dd>{formatMinutes(s.lines.reduce((sum, l) => sum + l.declaredMinutes, 0))}</dd>
      </dl>
      {s.violations.length ? <ViolationList violations={s.violations} /> : null}
    </Layout>
  );
}
