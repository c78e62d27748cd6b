import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, renderWithProviders } from "@/testing/render";
import { ImageCapture, type Uploader } from "./image-capture";

function withCamera(getUserMedia: () => Promise<MediaStream>) {
  Object.defineProperty(navigator, "mediaDevices", { value: { getUserMedia }, configurable: true });
}

beforeEach(() => {
  vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: () => "blob:photo", revokeObjectURL: () => undefined }));
});

afterEach(() => {
  Reflect.deleteProperty(navigator, "mediaDevices");
});

const photo = () => new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], "card.jpg", { type: "image/jpeg" });

describe("ImageCapture", () => {
  it("explains the camera first, and when permission is refused says how to fix it and offers files", async () => {
    const user = userEvent.setup();
    const getUserMedia = vi.fn().mockRejectedValue(new DOMException("denied", "NotAllowedError"));
    withCamera(getUserMedia);
    renderWithProviders(<ImageCapture label="Front" overlay="document" upload={vi.fn()} onUploaded={vi.fn()} />);

    expect(screen.getByText(/We need your camera to photograph your document/)).toBeTruthy();
    expect(getUserMedia).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Use the camera" }));
    expect(await screen.findByText(/Camera access is blocked for this site/)).toBeTruthy();
    expect(screen.getByLabelText("Upload from files")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("without any camera goes straight to files", () => {
    renderWithProviders(<ImageCapture label="Front" overlay="document" upload={vi.fn()} onUploaded={vi.fn()} />);
    expect(screen.getByText(/No camera is available/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Use the camera" })).toBeNull();
    expect(screen.getByLabelText("Upload from files")).toBeTruthy();
  });

  it("uploads a chosen file with progress and shows the quality gate's reasons with their fixes", async () => {
    const user = userEvent.setup();
    let report: (f: number) => void = () => undefined;
    let answer: (r: Awaited<ReturnType<Uploader>>) => void = () => undefined;
    const upload = vi.fn<Uploader>((_file, onProgress) => {
      report = onProgress;
      return new Promise((resolve) => {
        answer = resolve;
      });
    });
    const onUploaded = vi.fn();
    renderWithProviders(<ImageCapture label="Front" overlay="document" upload={upload} onUploaded={onUploaded} />);

    await user.upload(screen.getByLabelText("Upload from files"), photo());
    expect(await screen.findByRole("img", { name: "Your photo: Front" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Use this photo" }));
    report(0.4);
    expect(await screen.findByText("Uploading… 40%")).toBeTruthy();
    answer(
      apiError(422, "validation_failed", [
        { field: "file", code: "blurred_photo", message: "The photo is blurred." },
        { field: "file", code: "glare_on_photo", message: "Glare." },
      ]),
    );
    const refusals = await screen.findByTestId("refusals");
    expect(refusals.textContent).toContain("The photo is blurred.");
    expect(refusals.textContent).toContain("Hold the camera steady");
    expect(refusals.textContent).toContain("Tilt the document slightly");
    expect(onUploaded).not.toHaveBeenCalled();

    await user.click(screen.getByRole("button", { name: "Retake" }));
    await waitFor(() => {
      expect(screen.queryByTestId("refusals")).toBeNull();
    });
  });
});
