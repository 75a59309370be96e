// The footer's links (issue 10, point 9); the pages are in src/app/legal/routes.tsx.

/** RGAA 4.1: without an audit of its criteria a site may only declare itself « non conforme » (docs/adr/0031). */
export const ACCESSIBILITY_LEVEL = "non conforme";

export const LEGAL_PAGES = [
  { href: "/accessibilite", label: `Accessibilité : ${ACCESSIBILITY_LEVEL}` },
  { href: "/mentions-legales", label: "Mentions légales" },
  { href: "/donnees-personnelles", label: "Données personnelles" },
] as const;
