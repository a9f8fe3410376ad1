import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadEnv } from "./env.js";

describe(".env", () => {
  const dirs: string[] = [];
  const dirWith = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), "leadflow-dotenv-"));
    dirs.push(dir);
    writeFileSync(join(dir, ".env"), text);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("fills what the environment does not set and never overrides it, even when empty", () => {
    const dir = dirWith("PORT=4100\n# a comment\nMAIL_FROM=\"Ops <ops@example.com>\"\nLOG_LEVEL=debug\nHOST=10.0.0.1\n");
    const env = loadEnv({ LOG_LEVEL: "warn", HOST: "" }, dir);
    expect(env.PORT).toBe(4100);
    expect(env.MAIL_FROM).toBe("Ops <ops@example.com>");
    expect(env.LOG_LEVEL).toBe("warn");
    expect(env.HOST).toBe("");
  });

  it("is optional, and a bad value in it is reported like one in the environment", () => {
    expect(loadEnv({}, mkdtempSync(join(tmpdir(), "leadflow-nodotenv-"))).PORT).toBe(3000);
    expect(() => loadEnv({}, dirWith("FREQUENCY_CAP=often\n"))).toThrow(/FREQUENCY_CAP is "N\/Dd"/);
  });

  it("is not read when the caller passes its own variables (tests stay hermetic)", () => {
    const dir = dirWith("PORT=4100\n");
    expect(loadEnv({ INIT_CWD: dir }).PORT).toBe(3000);
  });
});
