// Signature pads (signature_pad) on forms marked data-signature-form, and the offline queue of the
// trainee's signing page (data-offline-queue = the JSON endpoint): a signature that cannot be sent
// is kept in localStorage with its client-generated id and re-sent when the network returns; the
// server accepts each id once.
import SignaturePad from "signature_pad";

const QUEUE_KEY = "cp-signatures-en-attente";

interface Queued {
  endpoint: string;
  body: Record<string, unknown>;
}

const readQueue = (): Queued[] => {
  try {
    return JSON.parse(localStorage.getItem(QUEUE_KEY) ?? "[]");
  } catch {
    return [];
  }
};
const writeQueue = (q: Queued[]) => localStorage.setItem(QUEUE_KEY, JSON.stringify(q));

const csrfHeader = (): Record<string, string> => {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") ?? "{}");
  } catch {
    return {};
  }
};

const clientId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`).replace(/[^A-Za-z0-9_-]/g, "");

function say(form: HTMLElement, text: string, kind: "success" | "error" | "warning") {
  // Into the page's result box or the form's own message box: never over the form (the pad stays).
  let box = document.getElementById("resultat") ?? form.querySelector<HTMLElement>("[data-signature-message]");
  if (!box) {
    box = document.createElement("div");
    box.setAttribute("data-signature-message", "");
    form.querySelector("button[type=submit]")?.before(box);
  }
  const p = document.createElement("p");
  p.className = `alert ${kind}`;
  p.setAttribute("role", kind === "error" ? "alert" : "status");
  p.textContent = text;
  box.replaceChildren(p);
}

async function send(item: Queued): Promise<Response> {
  return fetch(item.endpoint, { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json", ...csrfHeader() }, body: JSON.stringify(item.body) });
}

/** Re-sends queued signatures; keeps only those the network still could not carry. */
async function flush() {
  const queue = readQueue();
  if (queue.length === 0) return;
  const left: Queued[] = [];
  for (const item of queue) {
    try {
      const res = await send(item);
      if (res.status >= 500) left.push(item);
    } catch {
      left.push(item);
    }
  }
  writeQueue(left);
  const form = document.querySelector<HTMLFormElement>("form[data-offline-queue]");
  if (left.length === 0 && form) say(form, "Vos signatures enregistrées hors ligne ont été transmises.", "success");
}

/** The keyboard alternative's state: a name typed with its consent box ticked, a name alone, or nothing. */
function typedState(form: HTMLFormElement): "ok" | "no-consent" | "none" {
  const name = form.querySelector<HTMLInputElement>("input[name=typedName]")?.value.trim() ?? "";
  if (!name) return "none";
  return form.querySelector<HTMLInputElement>("input[name=typedConsent]")?.checked ? "ok" : "no-consent";
}

function setUp(form: HTMLFormElement) {
  const canvas = form.querySelector<HTMLCanvasElement>("[data-signature-pad] canvas");
  if (!canvas) return;
  const pad = new SignaturePad(canvas, { penColor: "#111" });
  canvas.tabIndex = 0; // focusable, so the message "signature manquante" can bring the eye back to the pad
  const resize = () => {
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const width = Math.min(canvas.parentElement?.clientWidth ?? 340, 500);
    canvas.width = width * ratio;
    canvas.height = 160 * ratio;
    canvas.style.width = `${width}px`;
    canvas.style.height = "160px";
    canvas.getContext("2d")?.scale(ratio, ratio);
    pad.clear();
  };
  resize();
  form.querySelector("[data-signature-clear]")?.addEventListener("click", () => pad.clear());
  const hidden = form.querySelector<HTMLInputElement>("[data-signature-pad] input[type=hidden]");

  form.addEventListener("submit", async (event) => {
    if (pad.isEmpty()) {
      const typed = typedState(form);
      if (typed === "ok") return; // a typed signature: the plain form post (the server builds it)
      event.preventDefault();
      say(
        form,
        typed === "no-consent"
          ? "Cochez la case « Je signe en tapant mon nom » pour signer au clavier, puis validez."
          : "Signature manquante : signez dans le cadre avec le doigt ou la souris, ou tapez votre nom et cochez la case de signature au clavier, puis validez.",
        "error",
      );
      canvas.focus();
      return;
    }
    const svg = pad.toSVG();
    if (hidden) hidden.value = svg;
    const idField = form.querySelector<HTMLInputElement>("input[name=clientId]");
    if (idField && !idField.value) idField.value = clientId();
    const endpoint = form.dataset.offlineQueue;
    if (!endpoint) return; // plain form submission (kiosk, countersignature, links)
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
    const body: Record<string, unknown> = { ...data, slotId: form.dataset.slot, signature: svg };
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    try {
      const res = await send({ endpoint, body });
      if (res.ok) {
        window.location.assign(`/signer/${form.dataset.slot}`);
        return;
      }
      const problem = await res.json().catch(() => ({}));
      say(form, problem.detail ?? "La signature a été refusée.", "error");
      if (button) button.disabled = false;
    } catch {
      // No network: keep it with the moment it was drawn; the server checks that moment later.
      writeQueue([...readQueue(), { endpoint, body: { ...body, signedAt: new Date().toISOString() } }]);
      say(form, "Pas de réseau : votre signature est gardée sur ce téléphone et sera envoyée automatiquement dès le retour de la connexion.", "warning");
    }
  });
}

document.querySelectorAll<HTMLFormElement>("form[data-signature-form]").forEach(setUp);
window.addEventListener("online", () => void flush());
void flush();
