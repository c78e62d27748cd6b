import { describe, expect, it } from "vitest";
import { verification } from "../testing/fixtures";
import { captureTasks } from "./capture-tasks";

const image = (kind: "front" | "back" | "selfie") => ({ kind, width: 1280, height: 960, byte_size: 1, attempt: 1, uploaded_at: "2026-11-25T10:05:00Z" });

describe("capture tasks on a phone", () => {
  it("lists the sides, the selfie and liveness in order, and what is still open", () => {
    const v = verification({
      steps: [
        { name: "personal_info", status: "complete", field_paths: [], reasons: [] },
        { name: "document", status: "in_progress", field_paths: [], reasons: [] },
        { name: "selfie", status: "not_started", field_paths: [], reasons: [] },
        { name: "liveness", status: "not_started", field_paths: [], reasons: [] },
      ],
      images: [image("front")],
    });
    const { all, open } = captureTasks(v);
    expect(all).toEqual([{ kind: "side", side: "front" }, { kind: "side", side: "back" }, { kind: "selfie" }, { kind: "liveness" }]);
    expect(open).toEqual([{ kind: "side", side: "back" }, { kind: "selfie" }, { kind: "liveness" }]);
  });

  it("has nothing open once everything is taken (a passport has no back; no liveness at this level)", () => {
    const v = verification({
      required_sides: ["front"],
      steps: [
        { name: "personal_info", status: "complete", field_paths: [], reasons: [] },
        { name: "document", status: "complete", field_paths: [], reasons: [] },
        { name: "selfie", status: "complete", field_paths: [], reasons: [] },
      ],
      images: [image("front"), image("selfie")],
    });
    expect(captureTasks(v)).toEqual({ all: [{ kind: "side", side: "front" }, { kind: "selfie" }], open: [] });
  });
});
