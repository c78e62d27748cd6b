import { render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import { I18nProvider } from "@/i18n";
import { authSession } from "@/testing/render";
import { SessionProvider, SessionStore } from "../session";
import { homeFor, RequireRole } from "./route-guards";

function signedIn(roles: ("applicant" | "reviewer" | "admin")[]): SessionStore {
  const store = new SessionStore({ refresh: () => Promise.resolve({ ok: false, problem: { kind: "network" } }), logout: () => Promise.resolve({ ok: true, data: undefined }) });
  const session = authSession();
  store.start({ ...session, user: { ...session.user, roles } });
  return store;
}

function renderAt(store: SessionStore) {
  render(
    <I18nProvider locale="en">
      <SessionProvider store={store}>
        <MemoryRouter initialEntries={["/review"]}>
          <Routes>
            <Route element={<RequireRole roles={["reviewer", "admin"]} />}>
              <Route path="review" element={<p>console</p>} />
            </Route>
          </Routes>
        </MemoryRouter>
      </SessionProvider>
    </I18nProvider>,
  );
}

describe("staff routing", () => {
  it("sends reviewers and admins to the console after sign-in, applicants to the wizard", () => {
    expect(homeFor(["reviewer"])).toBe("/review");
    expect(homeFor(["admin", "reviewer"])).toBe("/review");
    expect(homeFor(["applicant"])).toBe("/");
  });

  it("shows the console to a reviewer", () => {
    renderAt(signedIn(["reviewer"]));
    expect(screen.getByText("console")).toBeInTheDocument();
  });

  it("tells an applicant the console is for reviewers", () => {
    renderAt(signedIn(["applicant"]));
    expect(screen.queryByText("console")).toBeNull();
    expect(screen.getByRole("alert")).toHaveTextContent("The review console is for reviewers.");
  });
});
