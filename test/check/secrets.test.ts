import { describe, expect, it } from "vitest";
import { findSecrets, secretKind } from "../../src/check/secrets.js";

describe("literal secrets", () => {
  it.each([
    ["url", "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX", "Slack webhook URL"],
    ["text", "use xoxb-123456789012-abcdefABCDEF", "Slack token"],
    ["url", "https://user:hunter2@example.com/hook", "URL with credentials"],
    ["url", "https://status.example.com/api?token=abcdef123456", "token in a URL"],
    ["note", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "GitHub token"],
    ["key", "AKIAABCDEFGHIJKLMNOP", "AWS access key"],
    ["x", "-----BEGIN RSA PRIVATE KEY-----", "private key"],
    ["auth", "Bearer abcdefghijklmnopqrstuvwxyz", "bearer token"],
    ["apiKey", "0123456789abcdef0123456789abcdef", "apiKey value"],
    ["routing_key", "R0UT1NGK3Y0123456789", "routing_key value"],
  ])("finds %s = %s", (key, value, kind) => {
    expect(secretKind(key, value)).toBe(kind);
  });

  it.each([
    ["apiKeyFile", "/etc/alertmanager/secrets/opsgenie"],
    ["routingKey", "web-primary"],
    ["url", "https://jira-bridge.acme.example/alertmanager/PAY"],
    ["description", "{{ $value | humanizePercentage }} of requests fail."],
    ["expr", 'sum(rate(http_requests_total{code=~"5.."}[5m]))'],
    ["password", "/run/secrets/smtp"],
    ["token", "short"],
  ])("leaves %s = %s alone", (key, value) => {
    expect(secretKind(key, value)).toBeUndefined();
  });

  it("walks objects and arrays and says where", () => {
    const value = { name: "x", receivers: { page: { webhook: { url: "https://hooks.slack.com/services/T1/B1/abcdefghijklmnopqrstuvwx" } } }, alerts: [{ annotations: { a: "ok" } }] };
    expect(findSecrets(value)).toEqual([{ path: ["receivers", "page", "webhook", "url"], kind: "Slack webhook URL" }]);
  });
});
