import { useI18n, type UiKey } from "@/i18n";
import type { ImageKind } from "@/lib/api/types";
import type { SideState } from "../lib/state";

const SIDE: Record<ImageKind, UiKey> = { front: "doc.side.front", back: "doc.side.back", selfie: "doc.side.selfie" };
export const sideLabel = (kind: ImageKind): UiKey => SIDE[kind];

const STATE: Record<SideState, UiKey> = {
  to_do: "doc.toDo",
  uploaded: "doc.uploaded",
  accepted: "doc.accepted",
  flagged: "verify.needsFix",
};

/** The photos of a step and where each stands; flagged ones are highlighted. */
export function ImageTiles({ items, current }: { items: { kind: ImageKind; state: SideState }[]; current?: ImageKind | null }) {
  const { t } = useI18n();
  return (
    <ul className="tiles">
      {items.map(({ kind, state }) => (
        <li
          key={kind}
          className={`tile tile--${state}${current === kind ? " tile--current" : ""}`}
          data-testid={`tile-${kind}`}
          data-state={state}
          aria-current={current === kind ? "step" : undefined}
        >
          <span className="tile__name">{t(SIDE[kind])}</span>
          <span className="tile__state">{t(STATE[state])}</span>
        </li>
      ))}
    </ul>
  );
}
