// A review console page: the page lives in features/review; this file is the lazy route chunk.
// The console does not know the session; the signed-in reviewer's id tells it which pending
// proposal is their own (the server enforces the second-reviewer rule either way).
import { useSession } from "@/features/auth/session";
import { CasePage } from "@/features/review/components/case-page";

export function ReviewRoute() {
  const session = useSession();
  return <CasePage me={session.status === "signed-in" ? session.user.id : null} />;
}
