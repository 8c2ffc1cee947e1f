/**
 * Application numbers carry the station that took the application in: `STATION-A-20261129-7KQ2XD`. The number is the
 * case's workflow id, and a client may choose it (so that a retried request finds the case the first one started);
 * with the station in the number, a clerk can only ever name numbers of the stations they take applications for, and
 * a number of another station is refused by its form alone, before anything is looked up. Whether such a case exists
 * therefore never shows, in the answer or in its timing.
 */
const SERIAL_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** `station-a` → `STATION-A`: organisation ids are lower-case letters, digits and hyphens. */
export function applicationNumberPrefix(stationId: string): string {
  return stationId.toUpperCase().replace(/[^A-Z0-9]+/g, '-');
}

export function belongsToStation(applicationNumber: string, stationId: string): boolean {
  return applicationNumber.startsWith(`${applicationNumberPrefix(stationId)}-`);
}

/**
 * The station's prefix, the day the form was opened and six random characters, so that two clerks never collide.
 * `random` gives uniform integers below its argument (node:crypto's randomInt on the server).
 */
export function newApplicationNumber(stationId: string, now: Date, random: (below: number) => number): string {
  const serial = Array.from({ length: 6 }, () => SERIAL_ALPHABET[random(SERIAL_ALPHABET.length)]).join('');
  return `${applicationNumberPrefix(stationId)}-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${serial}`;
}
