// The three pages every footer links to (issue 10, point 9), public, no login: the accessibility
// statement (RGAA), the legal notice and the personal-data page. The conformity level is the one
// measured (docs/adr/0031): automated axe checks only, no RGAA audit ⇒ « non conforme ».
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { Layout } from "../../core/pages/layout.tsx";
import { ACCESSIBILITY_LEVEL } from "../../core/pages/legal-pages.ts";
import { PRIVACY_CONTACT, PURPOSES, retentionText } from "../../core/pages/personal-data-notice.tsx";
import { Table } from "../../core/pages/table.tsx";


function AccessibilityPage(props: { c: Ctx }) {
  return (
    <Layout c={props.c} title="Déclaration d'accessibilité">
      <h1>Déclaration d'accessibilité</h1>
      <p>
        La Région Occitanie s'engage à rendre la plateforme Compétences Plus accessible conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.
        Cette déclaration s'applique à toutes les pages de la plateforme.
      </p>
      <h2>État de conformité</h2>
      <p>
        La plateforme est <strong>{ACCESSIBILITY_LEVEL}</strong> avec le référentiel général d'amélioration de l'accessibilité (RGAA 4.1) : aucun audit des
        106 critères du RGAA n'a encore été réalisé. Les seuls contrôles effectués sont automatiques ; ils ne permettent pas de calculer un taux de conformité.
      </p>
      <h2>Ce qui a été vérifié</h2>
      <ul>
        <li>Contrôles automatiques axe-core (règles WCAG 2.1 niveaux A et AA) dans Chromium sur les pages parcourues par les tests de chaque rôle, sur ordinateur et sur un écran de téléphone de 390 pixels : aucune violation grave ou critique.</li>
        <li>Langue des pages déclarée en français, lien d'évitement « Aller au contenu », titre propre à chaque page.</li>
        <li>Chaque champ de formulaire a une étiquette ; après un envoi refusé, un récapitulatif des erreurs reçoit le focus, est annoncé et mène à chaque champ.</li>
        <li>Les pages se consultent sans défilement horizontal à 390 pixels de large.</li>
      </ul>
      <h2>Contenus non vérifiés ou non accessibles</h2>
      <ul>
        <li>Les documents PDF produits (feuilles d'émargement, attestations, relevés) ne sont pas balisés pour les lecteurs d'écran.</li>
        <li>La signature dessinée au doigt ou à la souris ; une signature au clavier (nom saisi et consentement) est proposée en remplacement lorsque l'organisme l'active.</li>
        <li>La navigation avec un lecteur d'écran, les contrastes et le zoom à 200 % n'ont pas été testés manuellement.</li>
      </ul>
      <h2>Retour d'information et contact</h2>
      <p>
        Si vous ne parvenez pas à accéder à un contenu ou à un service, contactez votre organisme de formation ou la Région Occitanie pour obtenir une alternative
        accessible.
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous avez signalé un défaut d'accessibilité sans obtenir de réponse satisfaisante, vous pouvez saisir le Défenseur des droits (formulaire en ligne sur
        defenseurdesdroits.fr, ou courrier gratuit sans affranchissement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).
      </p>
    </Layout>
  );
}

function LegalNoticePage(props: { c: Ctx }) {
  return (
    <Layout c={props.c} title="Mentions légales">
      <h1>Mentions légales</h1>
      <h2>Éditeur</h2>
      <p>
        Région Occitanie / Pyrénées-Méditerranée, Hôtel de Région, 22 boulevard du Maréchal Juin, 31406 Toulouse Cedex 9. Directrice ou directeur de la
        publication : la présidence du conseil régional.
      </p>
      <h2>Objet</h2>
      <p>
        Compétences Plus gère le dispositif régional de formation des demandeurs d'emploi (programme régional de formation 2023–2026) : offre, commandes,
        candidatures, parcours, émargement et attestations. Le dispositif est financé par la Région Occitanie, sans cofinancement du Fonds social européen.
      </p>
      <h2>Hébergement</h2>
      <p>L'hébergeur de cette instance est celui que la Région a retenu pour son exploitation ; ses coordonnées sont disponibles sur demande auprès de la Région.</p>
      <h2>Logiciel</h2>
      <p>Compétences Plus est un logiciel libre publié sous la licence publique de l'Union européenne (EUPL 1.2).</p>
      <h2>Données personnelles et accessibilité</h2>
      <p>
        Voir la page <a href="/donnees-personnelles">Données personnelles</a> et la <a href="/accessibilite">déclaration d'accessibilité</a>.
      </p>
    </Layout>
  );
}

function PersonalDataPage(props: { c: Ctx; years: number }) {
  return (
    <Layout c={props.c} title="Données personnelles">
      <h1>Données personnelles</h1>
      <p>
        Le responsable des traitements est la Région Occitanie, qui finance le dispositif ; les organismes de formation et les prescripteurs habilités agissent
        pour elle dans le cadre du dispositif. Aucune donnée sensible n'est demandée (ni numéro de sécurité sociale, ni donnée de santé) et aucune décision
        n'est prise automatiquement : les règles du dispositif produisent des avertissements qu'une personne lit avant de décider.
      </p>
      <h2>Finalités et bases légales</h2>
      <Table label="Pourquoi vos données sont traitées">
        <caption>Pourquoi vos données sont traitées</caption>
        <thead>
          <tr>
            <th scope="col">Finalité</th>
            <th scope="col">Base légale</th>
            <th scope="col">Durée de conservation</th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(PURPOSES) as (keyof typeof PURPOSES)[]).map((k) => (
            <tr>
              <td>{PURPOSES[k].purpose}</td>
              <td>{PURPOSES[k].basis}</td>
              <td>{retentionText(k, props.years)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p>
        Les preuves d'émargement restent vérifiables après effacement : ce qui nomme la personne est retiré, ce qui prouve les heures payées par la Région est
        conservé.
      </p>
      <h2>Vos droits</h2>
      <ul>
        <li>Accès et portabilité : une fois connecté, « Mon compte » puis « Mes données » télécharge tout ce qui vous concerne et la liste des personnes qui ont consulté votre dossier.</li>
        <li>Rectification : l'organisme de formation corrige votre identité et vos coordonnées.</li>
        <li>Effacement, limitation et opposition : sur demande, traitée par la Région.</li>
      </ul>
      <p>
        Contact : {PRIVACY_CONTACT}. Vous pouvez aussi adresser une réclamation à la Commission nationale de l'informatique et des libertés (CNIL, cnil.fr).
      </p>
    </Layout>
  );
}

export function registerLegalPages(app: OpenAPIHono<AppEnv>) {
  app.get("/accessibilite", (c) => c.html(<AccessibilityPage c={c} />));
  app.get("/mentions-legales", (c) => c.html(<LegalNoticePage c={c} />));
  app.get("/donnees-personnelles", (c) => c.html(<PersonalDataPage c={c} years={c.get("deps").config.retentionYears} />));
}
