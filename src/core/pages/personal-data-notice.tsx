// The short personal-data notice (RGPD art. 13) shown on every form that collects a person's data:
// purpose, legal basis, retention, rights, contact. One component, its texts those of the register
// (docs/privacy.md, « Purposes and legal bases »); the full page is /donnees-personnelles.

/** The register's purposes a form may collect for (docs/privacy.md P1, P2, P4). */
export const PURPOSES = {
  P1: {
    purpose: "recruter les candidats aux formations financées par la Région (prescription, candidature, sélection, fiche navette)",
    basis: "mission d'intérêt public de la Région Occitanie en matière de formation professionnelle (article 6-1-e du RGPD, Code du travail L. 6121-1)",
  },
  P2: {
    purpose: "suivre le parcours individuel du stagiaire (positionnement, plan de formation, planning, émargement, attestations)",
    basis: "mission d'intérêt public de la Région Occitanie (article 6-1-e du RGPD) et obligation légale de justifier l'usage des fonds publics",
  },
  P4: {
    purpose: "gérer les comptes de la plateforme et leur sécurité",
    basis: "intérêt légitime et obligation de sécurité (articles 6-1-f et 32 du RGPD)",
  },
} as const;
export type Purpose = keyof typeof PURPOSES;

/** Who answers a request about one's data (docs/privacy.md: the Region is the controller). */
export const PRIVACY_CONTACT = "le délégué à la protection des données de la Région Occitanie, par l'intermédiaire de l'organisme de formation ou de la Région";

/** How long the data are kept, in the words of the register (RETENTION_YEARS, default 3). */
export const retentionText = (purpose: Purpose, years = 3) =>
  purpose === "P4" ? "tant que le compte est utilisé, puis effacement sur demande" : `${years} ans après la clôture de la dernière commande de formation concernée, puis pseudonymisation`;

export function PersonalDataNotice(props: { purpose: Purpose; years?: number }) {
  const p = PURPOSES[props.purpose];
  return (
    <aside class="privacy-notice" aria-label="Protection des données personnelles" data-notice="donnees-personnelles">
      <p>
        <strong>Données personnelles.</strong> Finalité : {p.purpose}. Base légale : {p.basis}. Responsable : Région Occitanie. Conservation :{" "}
        {retentionText(props.purpose, props.years)}. La personne concernée peut y accéder, les faire rectifier ou effacer, s'opposer à leur traitement ou en
        demander la limitation auprès de {PRIVACY_CONTACT} ; réclamation possible auprès de la CNIL. <a href="/donnees-personnelles">En savoir plus sur les données personnelles</a>
      </p>
    </aside>
  );
}
