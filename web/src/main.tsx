import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { AppProvider } from "./app/provider";
import { createRouter } from "./app/router";
import { createAppSession } from "./features/auth/session";
import "./app/styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");

const session = createAppSession();
const router = createRouter();

createRoot(root).render(
  <AppProvider session={session}>
    <RouterProvider router={router} />
  </AppProvider>,
);
