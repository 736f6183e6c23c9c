/** Grafana refuses dashboard uids longer than this. */
export const MAX_UID_LENGTH = 40;

/** A short stable hash of a uid, to tell apart long uids cut to the same start. */
export function uidHash(uid: string): string {
  let hash = 0;
  for (const c of uid) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return hash.toString(36).padStart(7, "0").slice(0, 8);
}

/** A generated dashboard's uid as it reads, or, past 40 characters, its first 31 and a hash of the whole. */
export function fittedUid(uid: string): string {
  return uid.length <= MAX_UID_LENGTH ? uid : `${uid.slice(0, 31)}-${uidHash(uid)}`;
}

/** The uid of a service's generated overview dashboard. */
export function serviceOverviewUid(service: string): string {
  return fittedUid(`${service}-overview`);
}
