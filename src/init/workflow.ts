/**
 * The GitHub Actions workflow `vigil init` writes: the one Vigil's own repository runs, less its
 * unit-test job. Pull requests: `vigil check`, `vigil test`, and the diff of generated/ as one
 * PR comment; pushes to main: `vigil apply --yes`. Keep it in step with .github/workflows/vigil.yml.
 */
export const WORKFLOW = `name: vigil

# Written by \`vigil init\`, the workflow of the Vigil repository itself.
# Pull requests: check the monitors, run promtool and amtool on generated/, and post what the
# change does to the output as one PR comment, updated in place on every push.
# Pushes to main: the same checks, then \`vigil apply --yes\` to the stack (endpoints and tokens
# from repository secrets; a target whose URL secret is unset is skipped).

on:
  pull_request:
  push:
    branches: [main]

# Read-only by default; the diff job alone may write PR comments.
permissions:
  contents: read

jobs:
  check:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - name: Install promtool and amtool
        run: sudo apt-get update -qq && sudo apt-get install -y -qq prometheus prometheus-alertmanager
      - run: npm ci
      - name: Lint, type-check and check that generated/ is fresh
        run: npx vigil check --format github
      - name: Run promtool and amtool on generated/
        run: npx vigil test

  diff:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-24.04
    permissions:
      contents: read
      pull-requests: write
    steps:
      - uses: actions/checkout@v4
        with:
          # The whole history, so that the base branch exists to compile generated/ from.
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Diff generated/ against the base branch
        id: diff
        env:
          BASE_REF: \${{ github.base_ref }}
        # Exit 0: no changes, 1: changes (or monitors that do not compile, which the report says),
        # 2: the base cannot be read, a real failure.
        run: |
          set +e
          npx vigil diff --base "origin/$BASE_REF" --format markdown > diff.md
          code=$?
          set -e
          if [ "$code" -ge 2 ]; then exit "$code"; fi
          echo "changed=$([ "$code" -eq 1 ] && echo true || echo false)" >> "$GITHUB_OUTPUT"
          cat diff.md >> "$GITHUB_STEP_SUMMARY"
      - name: Post the diff as one PR comment, updated in place
        # A fork's token cannot comment; its diff is in the job summary.
        if: github.event.pull_request.head.repo.full_name == github.repository
        uses: actions/github-script@v7
        env:
          CHANGED: \${{ steps.diff.outputs.changed }}
        with:
          script: |
            const fs = require("node:fs");
            const marker = "<!-- vigil-diff -->";
            const body = fs.readFileSync("diff.md", "utf8");
            const { owner, repo } = context.repo;
            const issue_number = context.issue.number;
            const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
            const previous = comments.find((c) => c.user?.type === "Bot" && c.body?.includes(marker));
            if (previous) {
              await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
            } else if (process.env.CHANGED === "true") {
              // No comment yet and nothing changed: stay quiet.
              await github.rest.issues.createComment({ owner, repo, issue_number, body });
            }

  apply:
    if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    needs: [check]
    runs-on: ubuntu-24.04
    # One apply at a time, in push order; never cancel one halfway.
    concurrency:
      group: vigil-apply
      cancel-in-progress: false
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Apply to Prometheus, Alertmanager, Grafana and Mimir
        run: npx vigil apply --yes
        env:
          VIGIL_PROMETHEUS_URL: \${{ secrets.VIGIL_PROMETHEUS_URL }}
          VIGIL_ALERTMANAGER_URL: \${{ secrets.VIGIL_ALERTMANAGER_URL }}
          VIGIL_GRAFANA_URL: \${{ secrets.VIGIL_GRAFANA_URL }}
          GRAFANA_TOKEN: \${{ secrets.GRAFANA_TOKEN }}
          VIGIL_MIMIR_URL: \${{ secrets.VIGIL_MIMIR_URL }}
          MIMIR_TOKEN: \${{ secrets.MIMIR_TOKEN }}
`;
