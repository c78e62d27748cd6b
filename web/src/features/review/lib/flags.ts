// Queue flags are reason codes, `<check>_inconclusive`, `<check>_failed` or `auto_approve_off`
// (api/src/verification/rules.rs). Each becomes words from pieces the UI already translates.
export type FlagParts =
  | { kind: "reason"; code: string }
  | { kind: "check"; check: string; result: "inconclusive" | "failed" }
  | { kind: "auto_approve_off" }
  | { kind: "other"; code: string };

export function flagParts(flag: string, isReason: (code: string) => boolean): FlagParts {
  if (flag === "auto_approve_off") return { kind: "auto_approve_off" };
  if (isReason(flag)) return { kind: "reason", code: flag };
  const m = /^([a-z_]+)_(inconclusive|failed)$/.exec(flag);
  if (m?.[1] && (m[2] === "inconclusive" || m[2] === "failed")) return { kind: "check", check: m[1], result: m[2] };
  return { kind: "other", code: flag };
}
