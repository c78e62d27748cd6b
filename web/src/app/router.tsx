// Routes. Pages are lazy chunks so the first page stays small; the review console plugs in
// the same way under /review.
import { createBrowserRouter } from "react-router";
import { GuestOnly, RequireAuth, RequireRole } from "@/features/auth/components/route-guards";
import { AppLayout, RouteFallback } from "./layout";

export function createRouter() {
  return createBrowserRouter([
    {
      element: <AppLayout />,
      HydrateFallback: RouteFallback,
      children: [
        {
          element: <RequireAuth />,
          children: [
            { index: true, lazy: async () => ({ Component: (await import("./routes/home")).HomeRoute }) },
            // One route (and one chunk) per wizard step; the first page loads none of them.
            { path: "verify/personal-info", lazy: async () => ({ Component: (await import("./routes/verify-personal-info")).VerifyRoute }) },
            { path: "verify/document", lazy: async () => ({ Component: (await import("./routes/verify-document")).VerifyRoute }) },
            { path: "verify/selfie", lazy: async () => ({ Component: (await import("./routes/verify-selfie")).VerifyRoute }) },
            { path: "verify/liveness", lazy: async () => ({ Component: (await import("./routes/verify-liveness")).VerifyRoute }) },
            { path: "verify/submit", lazy: async () => ({ Component: (await import("./routes/verify-submit")).VerifyRoute }) },
            {
              // The review console: its own chunks, never loaded by applicant pages.
              element: <RequireRole roles={["reviewer", "admin"]} />,
              children: [
                { path: "review", lazy: async () => ({ Component: (await import("./routes/review-queue")).ReviewRoute }) },
                { path: "review/cases/:id", lazy: async () => ({ Component: (await import("./routes/review-case")).ReviewRoute }) },
                { path: "review/audit", lazy: async () => ({ Component: (await import("./routes/review-audit")).ReviewRoute }) },
              ],
            },
          ],
        },
        {
          element: <GuestOnly />,
          children: [
            { path: "login", lazy: async () => ({ Component: (await import("./routes/login")).LoginRoute }) },
            { path: "register", lazy: async () => ({ Component: (await import("./routes/register")).RegisterRoute }) },
          ],
        },
        // A phone that opened a continue-on-your-phone link: its own capture session, no account.
        { path: "handoff", lazy: async () => ({ Component: (await import("./routes/handoff")).HandoffRoute }) },
        { path: "logout", lazy: async () => ({ Component: (await import("./routes/logout")).LogoutRoute }) },
        { path: "*", lazy: async () => ({ Component: (await import("./routes/not-found")).NotFoundRoute }) },
      ],
    },
  ]);
}
