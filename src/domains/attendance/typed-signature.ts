// The keyboard alternative to drawing (issue 10 point 6, RGAA: an action must not need a pointer).
// The signer types their name and ticks an explicit consent box; the signature stored is then a small
// SVG carrying the typed name and data-signature-method="typed". Its method is thus part of exactly
// what was signed: the evidence's signature hash covers it (evidence.ts, unchanged), so a typed
// signature verifies like a drawn one and can never be passed off as drawn (docs/adr/0025).
import { DomainError } from "../../core/errors.ts";

const MARK = 'data-signature-method="typed"';

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch] as string);

/** The stored signature of a typed name. */
export function typedSignatureSvg(name: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 340 90" ${MARK}><text x="12" y="48" font-family="serif" font-style="italic" font-size="28">${escapeXml(name)}</text><text x="12" y="76" font-family="sans-serif" font-size="11">Signé au clavier (nom tapé, consentement exprès)</text></svg>`;
}

export type SignatureMethod = "drawn" | "typed";

/** How a stored signature was made: typed (keyboard) or drawn (finger, mouse, stylus). */
export const signatureMethodOf = (signature: string | null | undefined): SignatureMethod | null => (signature ? (signature.includes(MARK) ? "typed" : "drawn") : null);

export const signatureMethodLabels: Record<SignatureMethod, string> = { drawn: "signature dessinée", typed: "signature tapée au clavier" };

/**
 * A form body whose pad stayed empty but whose typed name came with the consent box ticked gets the
 * typed signature; a typed name without the box is refused with what to do. Otherwise unchanged.
 */
export function withTypedSignature<T extends Record<string, string>>(body: T): T {
  const drawn = (body.signature ?? "").trim();
  const name = (body.typedName ?? "").trim();
  if (drawn.length >= 20 || !name) return body;
  if (name.length < 2 || name.length > 200) throw typedError("Tapez votre nom complet (2 à 200 caractères) pour signer au clavier.", "typedName");
  if (body.typedConsent !== "1" && body.typedConsent !== "on") throw typedError("Cochez la case « Je signe en tapant mon nom » pour que votre nom tapé vaille signature.", "typedConsent");
  return { ...body, signature: typedSignatureSvg(name) };
}

const typedError = (message: string, field: string) =>
  new DomainError("SIGNATURE-TYPED", 422, message, [{ code: "SIGNATURE-TYPED", severity: "error", message, article: "", field }]);
