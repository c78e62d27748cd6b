// Entered vs read data: each row's verdict as a mark that reads without colour (a symbol and
// a word), and the order rows are shown in (differences first).
import type { ComparisonRow } from "../api/review-api";

export type Mark = "match" | "mismatch" | "unavailable";

export function markOf(verdict: string): Mark {
  return verdict === "match" || verdict === "mismatch" ? verdict : "unavailable";
}

/** A symbol for sighted readers; the word next to it carries the meaning for everyone. */
export const MARK_SYMBOL: Record<Mark, string> = { match: "✓", mismatch: "✗", unavailable: "–" };

export interface MarkedRow extends ComparisonRow {
  mark: Mark;
}

const ORDER: Record<Mark, number> = { mismatch: 0, unavailable: 1, match: 2 };

/** Rows with their mark, mismatches first; the server's field order within each group. */
export function markRows(rows: readonly ComparisonRow[]): MarkedRow[] {
  return rows
    .map((row, i) => ({ row: { ...row, mark: markOf(row.verdict) }, i }))
    .sort((a, b) => ORDER[a.row.mark] - ORDER[b.row.mark] || a.i - b.i)
    .map(({ row }) => row);
}

export function countMarks(rows: readonly ComparisonRow[]): Record<Mark, number> {
  const out: Record<Mark, number> = { match: 0, mismatch: 0, unavailable: 0 };
  for (const r of rows) out[markOf(r.verdict)] += 1;
  return out;
}

/** The mismatching fields: a reviewer rejecting for a data mismatch usually names these. */
export function mismatchedFields(rows: readonly ComparisonRow[]): string[] {
  return rows.filter((r) => markOf(r.verdict) === "mismatch").map((r) => r.field);
}
