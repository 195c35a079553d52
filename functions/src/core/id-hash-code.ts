// A cheap 32-bit code of a citizen's id hash, to find equal hashes among a million by sorting codes rather than
// comparing strings. The same hash gives the same code whether it is a string of its own (an entry object's) or a
// stretch of a sheet's hash text (line-list columns).

/**
 * The code of s[start, end). An HMAC's 64 hex digits are uniformly random, so its first 8 already make a good
 * code; any other string (hand-made test data, a stored value from elsewhere) is hashed from its first and last
 * 8 characters and its length.
 */
export function idHashCodeAt(s: string, start: number, end: number): number {
  const n = end - start;
  let h = 0x811c9dc5 ^ n;
  if (n === 64) {
    for (let i = start; i < start + 8; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    return h;
  }
  const head = start + Math.min(n, 8);
  for (let i = start; i < head; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, end - 8); i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

export function idHashCode(id: string): number {
  return idHashCodeAt(id, 0, id.length);
}
