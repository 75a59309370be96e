// Public direct registration (no login): e-formation sessions only; elsewhere the visitor is referred
// to a prescriber. The registration reaches the provider only once confirmed by the mailed link.
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import { CONFIRM_HOURS, type pendingRegistration } from "../direct.ts";
import type { publicSession } from "../use-cases.ts";
import { type Body, CandidateFields } from "./forms.tsx";

type Session = Awaited<ReturnType<typeof publicSession>>;
type Pending = NonNullable<Awaited<ReturnType<typeof pendingRegistration>>>;

/** `?ok=` after a POST: the mail is on its way, or the candidacy is confirmed. */
export type DirectStep = "envoye" | "confirmee" | undefined;

export function DirectRegistrationPage(props: { c: Ctx; s: Session; b: Body; violations?: Violation[]; step?: DirectStep }) {
  const { s } = props;
  const vs = props.violations ?? [];
  return (
    <Layout c={props.c} title={`Candidater — ${s.component_title}`}>
      <h1>Candidater : {s.component_title}</h1>
      <p>
        {s.provider_name} — session du {formatDateFr(s.start_date)} au {formatDateFr(s.end_date)}
      </p>
      {props.step === "envoye" ? (
        <div class="alert success" role="status">
          <p>
            Presque terminé : un lien de confirmation vient d'être envoyé à l'adresse e-mail indiquée. Ouvrez-le dans les {CONFIRM_HOURS} heures
            pour transmettre votre candidature à l'organisme de formation ; sans confirmation, rien n'est transmis.
          </p>
        </div>
      ) : props.step === "confirmee" ? (
        <p class="alert success" role="status">
          Votre candidature est confirmée et transmise à l'organisme de formation, qui vous contactera. Un message de confirmation vous est envoyé.
        </p>
      ) : s.referral ? (
        <div class="alert warning" role="alert" data-code={s.referral.code}>
          <h2>Passez par un prescripteur</h2>
          <p>{s.referral.message}</p>
        </div>
      ) : (
        <>
          {vs.length ? <ViolationList violations={vs} title="Votre candidature n'est pas enregistrée" /> : null}
          <p>Après l'envoi, vous recevrez un courriel : votre candidature n'est transmise qu'une fois confirmée par le lien qu'il contient.</p>
          <form method="post" action={`/candidater/${s.id}`}>
            <CsrfField c={props.c} />
            <CandidateFields b={props.b} vs={vs} self />
            <div class="field">
              <label for="f-project">Votre projet en quelques mots *</label>
              <textarea id="f-project" name="project" rows={3} required maxlength={2000}>
                {props.b.project ?? ""}
              </textarea>
            </div>
            <button type="submit">Envoyer ma candidature</button>
          </form>
        </>
      )}
    </Layout>
  );
}

/** The link of the confirmation mail: a button (a mail scanner opening the link confirms nothing). */
export function ConfirmRegistrationPage(props: { c: Ctx; token: string; pending?: Pending; violations?: Violation[] }) {
  const p = props.pending;
  return (
    <Layout c={props.c} title="Confirmer ma candidature">
      <h1>Confirmer ma candidature</h1>
      {props.violations?.length ? <ViolationList violations={props.violations} title="Votre candidature n'est pas transmise" /> : null}
      {p ? (
        <>
          <p>
            {p.firstName} {p.lastName}, vous confirmez votre candidature à la formation « {p.componentTitle} » ({p.providerName}, session du{" "}
            {formatDateFr(p.startDate)}) : elle sera transmise à l'organisme de formation.
          </p>
          <form method="post" action={`/candidature/confirmer/${props.token}`}>
            <CsrfField c={props.c} />
            <button type="submit">Confirmer ma candidature</button>
          </form>
        </>
      ) : (
        <div class="alert error" role="alert">
          <p>Ce lien de confirmation n'est plus valable (déjà utilisé ou expiré). Si votre candidature n'est pas confirmée, recommencez-la depuis la page de la session.</p>
          <p>
            <a href="/catalogue">Catalogue des formations</a>
          </p>
        </div>
      )}
    </Layout>
  );
}
