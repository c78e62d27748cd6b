import type { ReactNode } from "react";

/** A message about the whole form or page. Errors are announced at once; notices politely. */
export function Alert({ tone = "error", children }: { tone?: "error" | "info"; children: ReactNode }) {
  return (
    <div className={`alert alert--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
