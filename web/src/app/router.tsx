// Routes. Pages are lazy chunks so the first page stays small; a later area (the review
// console) plugs in the same way under its own path.
import { createBrowserRouter } from "react-router";
import { GuestOnly, RequireAuth } from "@/features/auth/components/route-guards";
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
