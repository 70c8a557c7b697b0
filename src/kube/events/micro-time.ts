/**
 * A metav1.MicroTime string: RFC 3339 with exactly six fractional digits. The apiserver rejects
 * the three digits of Date#toISOString (and client-node 1.4.0's serializer sends those).
 */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
