import type { Server as HttpServer } from "node:http";
import { createServer, type AddressInfo, type Server } from "node:net";

/**
 * A TCP port on 127.0.0.1 that was free a moment ago.
 *
 * Why: fixed ports collide with other test files running in parallel and with anything else on
 * the machine. The kernel picks an unused port for port 0; we read it and release it for the
 * program to bind. (A tiny race remains between close and the program's bind; a start that
 * fails because of it shows up as a readiness timeout with the program's "address in use" log.)
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error(`unexpected server address ${String(address)}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** Starts an in-process server on a port the kernel picks (no race: it is never released), and returns the port. */
export function listenOnFreePort(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
