// Small pieces shared by the attendance pages.
import { assets } from "../../../core/http/assets.ts";
import type { Violation } from "../../../core/rules.ts";
import { formatMinutes } from "../../../core/rules.ts";
import { dateTimeSecondsFr, timeSecondsFr } from "../../../core/french.ts";

export const statusLabels: Record<string, string> = { present: "Présent·e", late: "En retard", absent: "Absent·e", excused: "Absence excusée" };
export const methodLabels: Record<string, string> = {
  qr: "QR code",
  kiosk: "Kiosque (appareil du formateur)",
  paper: "Feuille papier",
  remote: "Lien à distance",
  self_study: "Autoformation",
  tutor: "Tuteur",
  trainer: "Saisie formateur",
};
export const modalityLabels: Record<string, string> = { centre: "Centre", company: "Entreprise", distance: "À distance (synchrone)", self_study: "Autoformation", gathering: "Regroupement" };
export const slotStatusLabels: Record<string, string> = { planned: "Planifié", open: "Émargement ouvert", closed: "Clos et contresigné", cancelled: "Annulé" };

export const hhmm = (t: string) => t.slice(0, 5);
export const parisTime = (d: Date | null | undefined) => (d ? timeSecondsFr(d) : "—");
export const parisDateTime = (d: Date | null | undefined) => (d ? dateTimeSecondsFr(d) : "—");
export { formatMinutes };

/** The signature pad: a canvas the island brings to life, and the hidden field it fills. */
export function SignaturePad(props: { label: string; name?: string; id?: string }) {
  const id = `pad-${props.id ?? props.name ?? "signature"}`;
  return (
    <fieldset class="signature" data-signature-pad>
      <legend id={`${id}-legend`}>{props.label}</legend>
      <p class="hint" id={`${id}-hint`}>
        Signez avec le doigt ou la souris dans le cadre ci-dessous.
      </p>
      <canvas
        id={id}
        width={340}
        height={160}
        role="img"
        aria-labelledby={`${id}-legend`}
        aria-describedby={`${id}-hint`}
        class="signature-canvas"
      ></canvas>
      <input type="hidden" name={props.name ?? "signature"} value="" />
      <p>
        <button type="button" class="secondary" data-signature-clear>
          Effacer la signature
        </button>
      </p>
      <noscript>
        <p class="alert warning">Le cadre de signature nécessite JavaScript. Sans lui, signez au clavier ci-dessous.</p>
      </noscript>
      <div class="typed-signature">
        <p class="hint" id={`${id}-typed-hint`}>
          Ou, sans dessiner : tapez votre nom complet et cochez la case. Votre nom tapé vaut alors signature.
        </p>
        <div class="field">
          <label for={`${id}-typed`}>Nom complet tapé (signature au clavier)</label>
          <input id={`${id}-typed`} type="text" name="typedName" maxlength={200} autocomplete="name" aria-describedby={`${id}-typed-hint`} />
        </div>
        <div class="field">
          <input type="checkbox" id={`${id}-consent`} name="typedConsent" value="1" />{" "}
          <label for={`${id}-consent`}>Je signe en tapant mon nom : il vaut signature, comme une signature dessinée.</label>
        </div>
      </div>
    </fieldset>
  );
}

export function Errors(props: { violations?: Violation[]; id?: string }) {
  const v = props.violations ?? [];
  return (
    <div id={props.id ?? "erreurs"} aria-live="polite">
      {v.length ? (
        <div class="alert error" role="alert">
          <ul>
            {v.map((x) => (
              <li data-code={x.code}>{x.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

export const IslandScript = () => <script type="module" src={assets.url("islands/signature.js")}></script>;
