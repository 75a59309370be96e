// Rule IDs written into pages' French texts (« … (CP-CLOSURE-MAX-2W, CCTP §3.1.2) ») are set in small
// print at one place, here, for every HTML answer (issue 10, point 3; docs/adr/0031): a reader sees
// the French sentence, the ID stays for whoever needs to cite the rule. Where a page names a rule
// on its own (a violation list), it renders its French title beside the ID (core/pages/rule-ref.tsx).
import type { MiddlewareHandler } from "hono";
import { RULE_ID } from "../rule-titles.ts";

/** Elements whose content is text only (no element may go inside) or not read: left as they are. */
const RAW = new Set(["script", "style", "textarea", "title", "option", "template"]);

/** Wraps each rule ID found in text content in <small class="rule-id">, unless it already is. */
export function smallPrintRuleIds(html: string): string {
  let raw: string | undefined;
  let inSmall = false;
  return html
    .split(/(<[^>]*>)/)
    .map((part) => {
      if (part.startsWith("<")) {
        const tag = /^<(\/?)([a-zA-Z0-9]+)/.exec(part);
        if (tag) {
          const name = tag[2].toLowerCase();
          if (tag[1]) {
            if (raw === name) raw = undefined;
            if (name === "small") inSmall = false;
          } else {
            if (RAW.has(name) && !part.endsWith("/>")) raw = name;
            if (name === "small" && part.includes('class="rule-id"')) inSmall = true;
          }
        }
        return part;
      }
      if (raw || inSmall || !part.includes("-")) return part;
      return part.replace(RULE_ID, (id) => `<small class="rule-id">${id}</small>`);
    })
    .join("");
}

export function ruleIdsInSmallPrint(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!(c.res.headers.get("content-type") ?? "").startsWith("text/html")) return;
    const html = await c.res.text();
    const headers = new Headers(c.res.headers);
    headers.delete("content-length");
    const status = c.res.status;
    c.res = undefined; // replaced, not merged: the old length must not survive
    c.res = new Response(smallPrintRuleIds(html), { status, headers });
  };
}
