// The close section of an order page: the Region closes the order (POST /commandes/:id/cloturer);
// once closed, when, by whom and the warnings raised then (CP-SELFSTUDY-MAX-20, CP-EFORM-SELFSTUDY-MAX-50).
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, errorFor, ViolationList } from "../../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatShare } from "../rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import type { BlockingPath, OrderConsumption, OrderDetail } from "../use-cases.ts";
import { longDateTimeFr } from "../../../core/french.ts";


/** What a refused close re-renders with: the messages and whether the box was ticked. */
export interface CloseAttempt {
  violations: Violation[];
  confirmed: boolean;
}

export const CONFIRM_FIELD = "confirm";

const statusFr = { draft: "brouillon", validated: "validé — en formation" } as const;

export function CloseSection(props: { c: Ctx; detail: OrderDetail; consumption: OrderConsumption; region: boolean; attempt?: CloseAttempt; blocking: BlockingPath[] }) {
  const o = props.detail.order;
  const attempt = props.attempt;
  const confirmError = attempt ? errorFor(attempt.violations, CONFIRM_FIELD) : undefined;
  const general = attempt?.violations.filter((v) => v.field !== CONFIRM_FIELD) ?? [];
  const refusal = general.length > 0 ? <ViolationList violations={general} title="La commande n'a pas été clôturée" /> : null;
  if (o.status === "closed") {
    const warnings = props.detail.closeWarnings;
    return (
      <section aria-labelledby="cloture">
        <h2 id="cloture">Clôture de la commande</h2>
        {refusal}
        <p>
          Commande close le {o.closed_at ? longDateTimeFr(o.closed_at) : "—"}
          {o.closed_by_name ? ` par ${o.closed_by_name}` : ""} : elle ne se modifie plus.
        </p>
        {warnings.length > 0 ? (
          <ViolationList violations={warnings} />
        ) : (
          <p class="ok">Aucun avertissement à la clôture : l'autoformation réalisée restait dans ses plafonds (CP-SELFSTUDY-MAX-20).</p>
        )}
      </section>
    );
  }
  if (!props.region) return null;
  const running = props.consumption.lines.reduce((n, l) => n + l.paths.draft + l.paths.validated, 0);
  const over = props.consumption.selfStudy.filter((p) => p.over);
  return (
    <section aria-labelledby="cloture">
      <h2 id="cloture">Clôture de la commande</h2>
      {refusal}
      <p>
        La clôture est définitive : la commande ne se modifie plus et ne reçoit plus de sessions. Elle est refusée tant qu'un parcours est en brouillon ou validé ; l'organisme le clôture
        (sortie) ou le déclare abandonné d'abord.
      </p>
      {running > 0 ? (
        <div class="alert warning" id="parcours-bloquants">
          <h3>
            {running} parcours {running > 1 ? "empêchent" : "empêche"} la clôture
          </h3>
          <p>L'organisme {running > 1 ? "les clôture (sortie) ou les déclare abandonnés" : "le clôture (sortie) ou le déclare abandonné"} ; le bouton de clôture apparaît ensuite.</p>
          <ul>
            {props.blocking.map((p) => (
              <li>
                <a href={`/parcours/${p.id}`}>{`${p.first_name} ${p.last_name}`}</a> — {statusFr[p.status as keyof typeof statusFr] ?? p.status}, sortie prévue le {formatDateFr(p.planned_exit_date)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {over.map((p) => (
        <p class="alert warning" data-code={p.code}>
          À ce jour, l'autoformation réalisée {p.eFormation ? "des composantes e-formation" : "des composantes hors e-formation"} ({formatMinutes(p.selfStudyMinutes)}, soit{" "}
          {formatShare(p.selfStudyMinutes, p.centreMinutes)} des heures centre réalisées) dépasse {p.capPercent} % : la clôture émettra un avertissement {p.code}, sans être bloquée.
        </p>
      ))}
      {running > 0 ? null : (
      <form method="post" action={`/commandes/${o.id}/cloturer`}>
        <CsrfField c={props.c} />
        <div class={confirmError ? "field has-error" : "field"}>
          <input
            type="checkbox"
            id="f-confirm"
            name={CONFIRM_FIELD}
            value="1"
            required
            checked={attempt?.confirmed ?? false}
            aria-invalid={confirmError ? "true" : undefined}
            aria-describedby={confirmError ? "f-confirm-err" : undefined}
          />{" "}
          <label for="f-confirm">Je confirme la clôture définitive de la commande {o.number}</label>
          {confirmError ? (
            <p class="field-error" id="f-confirm-err">
              {confirmError}
            </p>
          ) : null}
        </div>
        <button type="submit">Clôturer la commande</button>
      </form>
      )}
    </section>
  );
}
