import { describe, expect, it } from "vitest";
import { createTranslator, interpolate, matchLocale } from "./messages";

describe("i18n helpers", () => {
  it("interpolates named placeholders and leaves unknown ones", () => {
    expect(interpolate("Try again in {seconds} s ({unit}).", { seconds: 5 })).toBe("Try again in 5 s ({unit}).");
  });

  it("matches the browser's languages to a supported locale", () => {
    expect(matchLocale(["zh-TW", "en"])).toBe("zh-CN");
    expect(matchLocale(["es-MX"])).toBe("es");
    expect(matchLocale(["fr-FR", "es"])).toBe("es");
    expect(matchLocale(["de"])).toBe("en");
    expect(matchLocale([])).toBe("en");
  });

  it("translates error and field codes with fallbacks", () => {
    const zh = createTranslator("zh-CN");
    expect(zh.errorText("invalid_credentials")).toBe("电子邮箱或密码不正确。");
    expect(zh.errorText("unknown_code", "Server text")).toBe("Server text");
    expect(zh.errorText("unknown_code", "")).toBe("出现了问题，请重试。");
    expect(zh.fieldText("too_short")).toBe("内容太短。");
    expect(zh.fieldText("email_taken")).toBe("该电子邮箱已注册账户。");
    expect(zh.fieldText("Free text from the server")).toBe("Free text from the server");
    expect(zh.fieldText("toString")).toBe("toString");
  });
});
