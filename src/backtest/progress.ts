/**
 * A progress bar for the range queries, on stderr and only on a terminal: output that is piped
 * or captured (CI logs, a PR comment) stays clean.
 */
export interface Progress {
  tick(): void;
  done(): void;
}

const WIDTH = 30;

export function progressBar(total: number, label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 1) return { tick() {}, done() {} };
  let count = 0;
  const draw = () => {
    const filled = Math.round((count / total) * WIDTH);
    stream.write(`\r[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${count}/${total} ${label}`);
  };
  draw();
  return {
    tick() {
      count = Math.min(total, count + 1);
      draw();
    },
    done() {
      stream.write(`\r${" ".repeat(WIDTH + 20 + label.length)}\r`);
    },
  };
}
