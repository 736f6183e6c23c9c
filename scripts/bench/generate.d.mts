// Types of generate.mjs, for the tests that import it (test/bench/).
export declare const REPO_ROOT: string;
/** `orders-api-0042`: the name of service `index`. */
export declare function serviceName(index: number): string;
/** Teams of a repository of `services` services (20 services each, at least 2). */
export declare function teamCount(services: number): number;
/** The TypeScript of service `index`'s monitor file. */
export declare function serviceFile(index: number, teams: number): string;
/** Writes a repository of `services` services into `dir`; returns its files, relative to `dir`. */
export declare function generateRepo(dir: string, services: number): Promise<string[]>;
