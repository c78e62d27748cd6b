import { fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWithProviders } from "@/testing/render";
import { caseView } from "../testing/fixtures";
import { ImageViewer } from "./image-viewer";

const front = caseView().images[0];

describe("image viewer", () => {
  it("zooms and rotates with the buttons and with keys on the focused picture", async () => {
    if (!front) throw new Error("fixture has images");
    const user = userEvent.setup();
    renderWithProviders(<ImageViewer image={front} />);
    const img = screen.getByRole("img", { name: "Front as uploaded" });
    expect(img).toHaveAttribute("src", "http://s3.test/front");
    await user.click(screen.getByRole("button", { name: "Zoom in" }));
    await user.click(screen.getByRole("button", { name: "Rotate right" }));
    expect(img).toHaveAttribute("data-zoom", "1.5");
    expect(img).toHaveAttribute("data-rotation", "90");
    const frame = screen.getByRole("group", { name: /Front, scroll to pan/ });
    fireEvent.keyDown(frame, { key: "+" });
    fireEvent.keyDown(frame, { key: "R" });
    fireEvent.keyDown(frame, { key: "R" });
    expect(img).toHaveAttribute("data-zoom", "2");
    expect(img).toHaveAttribute("data-rotation", "270");
    fireEvent.keyDown(frame, { key: "0" });
    expect(img).toHaveAttribute("data-zoom", "1");
    expect(img).toHaveAttribute("data-rotation", "0");
    expect(screen.getByRole("button", { name: "Zoom out" })).toBeDisabled();
  });
});
