// Public direct registration (no login): e-formation sessions only; elsewhere the visitor is referred to a prescriber.
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import type { publicSession } from "../use-cases.ts";
import { type Body, CandidateFields } from "./forms.tsx";

type Session = Awaited<ReturnType<typeof publicSession>>;

export function DirectRegistrationPage(props: { c: Ctx; s: Session; b: Body; violations?: Violation[]; done?: boolean }) {
  const { s } = props;
  const vs = props.violations ?? [];
  return (
    <Layout c={props.c} title={`Candidater — ${s.component_title}`}>
      <h1>Candidater : {s.component_title}</h1>
      <p>
        {s.provider_name} — session du {formatDateFr(s.start_date)} au {formatDateFr(s.end_date)}
      </p>
      {props.done ? (
        <p class="alert success" role="status">
          Votre candidature est enregistrée. L'organisme de formation vous contactera ; un message de confirmation vous est envoyé si vous avez donné votre adresse e-mail.
        </p>
      ) : s.referral ? (
        <div class="alert warning" role="alert" data-code={s.referral.code}>
          <h2>Passez par un prescripteur</h2>
          <p>{s.referral.message}</p>
        </div>
      ) : (
        <>
          {vs.length ? <ViolationList violations={vs} title="Votre candidature n'est pas enregistrée" /> : null}
          <form method="post" action={`/candidater/${s.id}`}>
            <CsrfField c={props.c} />
            <CandidateFields b={props.b} vs={vs} self />
            <div class="field">
              <label for="f-project">Votre projet en quelques mots *</label>
              <textarea id="f-project" name="project" rows={3} required>
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
