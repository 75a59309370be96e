// Full-screen QR code for projecting in a room (issue 10 point 6). The page is its own no-JS
// fallback: the QR code fills the screen and, without JavaScript, the whole page reloads every
// refresh period (meta refresh inside <noscript>); with JavaScript, htmx swaps the code in place and
// a button puts the block in full screen (Fullscreen API, islands/projection.ts; Échap to leave).
import { assets } from "../../../core/http/assets.ts";
import type { Ctx } from "../../../core/http/context.ts";
import { formatDateFr } from "../../../core/time.ts";
import { QrBlock } from "./sheet.tsx";
import { hhmm } from "./parts.tsx";

export function ProjectionPage(props: { c: Ctx; slotId: string; title: string; date: string; start: string; end: string; qr: { svg: string; url: string; refreshSeconds: number } }) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`QR code d'émargement — ${props.title} — Compétences Plus`}</title>
        <meta name="htmx-config" content={JSON.stringify({ includeIndicatorStyles: false, allowEval: false })} />
        <noscript>
          <meta http-equiv="refresh" content={String(props.qr.refreshSeconds)} />
        </noscript>
        <link rel="stylesheet" href={assets.url("app.css")} />
        <script src={assets.url("htmx.min.js")} defer></script>
        <script type="module" src={assets.url("islands/projection.js")}></script>
      </head>
      <body class="projection-body">
        <main id="projection" class="projection">
          <h1>
            Émargement — {props.title}, {formatDateFr(props.date)}, {hhmm(props.start)}–{hhmm(props.end)}
          </h1>
          <p class="projection-call">Scannez ce code avec l'appareil photo de votre téléphone pour signer.</p>
          <QrBlock slotId={props.slotId} {...props.qr} />
          <p class="projection-tools">
            <button type="button" data-fullscreen hidden>
              Plein écran
            </button>{" "}
            <a href={`/emargement/${props.slotId}`}>Retour à la feuille d'émargement</a>
          </p>
        </main>
      </body>
    </html>
  );
}
