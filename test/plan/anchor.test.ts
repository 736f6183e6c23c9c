import { describe, expect, it } from "vitest";
import { githubAnchor, githubAnchors } from "../../src/plan/anchor.js";

// Expected anchors follow GitHub's heading ids (as reproduced by github-slugger's fixtures).
describe("githubAnchor", () => {
  it("lowercases", () => {
    expect(githubAnchor("CheckoutHighErrorRate")).toBe("checkouthigherrorrate");
  });

  it("turns spaces into dashes", () => {
    expect(githubAnchor("Checkout high error rate")).toBe("checkout-high-error-rate");
  });

  it("turns each space into its own dash, without collapsing", () => {
    expect(githubAnchor("a  b")).toBe("a--b");
    expect(githubAnchor("heading with a - dash")).toBe("heading-with-a---dash");
  });

  it("keeps - and _", () => {
    expect(githubAnchor("checkout-api_errors")).toBe("checkout-api_errors");
    expect(githubAnchor("heading with an _ underscore")).toBe("heading-with-an-_-underscore");
    expect(githubAnchor("__proto__")).toBe("__proto__");
  });

  it("drops other ASCII punctuation", () => {
    expect(githubAnchor("heading with a period.txt")).toBe("heading-with-a-periodtxt");
    expect(githubAnchor("exchange.bind_headers(exchange, routing [, bindCallback])")).toBe(
      "exchangebind_headersexchange-routing--bindcallback",
    );
    expect(githubAnchor("What to do? (1/2)")).toBe("what-to-do-12");
    expect(githubAnchor("Step 1: check `kubectl get pods`")).toBe("step-1-check-kubectl-get-pods");
    expect(githubAnchor(":smile: - a gemoji")).toBe("smile---a-gemoji");
    expect(githubAnchor("!\"#$%&'()*+,./:;<=>?@[\\]^`{|}~x")).toBe("x");
  });

  it("drops non-ASCII punctuation and symbols", () => {
    expect(githubAnchor("apostrophe’s should be trimmed")).toBe("apostrophes-should-be-trimmed");
    expect(githubAnchor("en–dash")).toBe("endash");
    expect(githubAnchor("I ♥ unicode")).toBe("i--unicode");
    expect(githubAnchor("😄 unicode emoji")).toBe("-unicode-emoji");
    expect(githubAnchor("😄_😄 unicode emoji")).toBe("_-unicode-emoji");
  });

  it("keeps unicode letters and digits", () => {
    expect(githubAnchor("Привет non-latin 你好")).toBe("привет-non-latin-你好");
    expect(githubAnchor("Профили пользователей")).toBe("профили-пользователей");
    expect(githubAnchor("Café Ünïcode")).toBe("café-ünïcode");
    expect(githubAnchor("Latency p99 > 250ms")).toBe("latency-p99--250ms");
    expect(githubAnchor("ΣΙΣΥΦΟΣ")).toBe("σισυφος");
  });

  it("keeps combining marks and connector punctuation, drops non-decimal numbers and other spaces", () => {
    expect(githubAnchor("हिन्दी")).toBe("हिन्दी");
    expect(githubAnchor("Cafe\u0301")).toBe("cafe\u0301");
    expect(githubAnchor("x² y")).toBe("x-y");
    expect(githubAnchor("a\u00a0b")).toBe("ab");
    expect(githubAnchor("a‿b")).toBe("a‿b");
  });

  it("ignores whitespace around the heading", () => {
    expect(githubAnchor("  Runbook  ")).toBe("runbook");
  });

  it("returns an empty anchor for a heading of only punctuation", () => {
    expect(githubAnchor("?!")).toBe("");
  });
});

describe("githubAnchors", () => {
  it("numbers repeated anchors in page order, as github-slugger does", () => {
    expect(githubAnchors(["checkout", "CaseAlert", "CASEAlert", "casealert", "casealert-1"])).toEqual(["checkout", "casealert", "casealert-1", "casealert-2", "casealert-1-1"]);
    expect(githubAnchors(["a", "b"])).toEqual(["a", "b"]);
  });
});
