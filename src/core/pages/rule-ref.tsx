// The one place a rule is shown (issue 10, point 3): its French title with its ID in small print,
// e.g. « Réponse à la fiche navette en retard (CP-CONTINUATION-4W) ». RuleText keeps a message's own
// mentions of IDs but sets them in the same small print, so no page shows a bare code.
import { RULE_ID, ruleTitle } from "../rule-titles.ts";

/** A rule ID in small print, the wrapper the French-throughout crawl test accepts. */
export const RuleId = (props: { code: string }) => <small class="rule-id">{props.code}</small>;

/** « Titre français (ID) ». */
export function RuleRef(props: { code: string; strong?: boolean }) {
  const title = ruleTitle(props.code);
  return (
    <>
      {props.strong ? <strong>{title}</strong> : title} <small class="rule-id">({props.code})</small>
    </>
  );
}

/** A French text whose rule IDs are set in small print. */
export function RuleText(props: { text: string }) {
  const parts: (string | ReturnType<typeof RuleId>)[] = [];
  let last = 0;
  for (const m of props.text.matchAll(RULE_ID)) {
    parts.push(props.text.slice(last, m.index));
    parts.push(<RuleId code={m[0]} />);
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(props.text.slice(last));
  return <>{parts}</>;
}

/** Whether a code is a rule ID (CP-…, AMI-…), as opposed to a technical error code. */
export const isRuleId = (code: string) => /^(CP|AMI)-/.test(code);
