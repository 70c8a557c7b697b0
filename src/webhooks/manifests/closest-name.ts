/**
 * The one known name a typo most likely meant: equal but for case (`imageUrl` → `imageURL`), or
 * else within two edits of it. Undefined when none is that close, or when two are equally close
 * (a guess between them would mislead).
 */
export function closestName(typed: string, known: readonly string[]): string | undefined {
  const caseless = known.filter((name) => name.toLowerCase() === typed.toLowerCase());
  if (caseless.length === 1) return caseless[0];
  const scored = known.map((name) => ({
    name,
    distance: editDistance(typed.toLowerCase(), name.toLowerCase()),
  }));
  const best = Math.min(...scored.map((candidate) => candidate.distance));
  const closest = scored.filter((candidate) => candidate.distance === best);
  const [only] = closest;
  return closest.length === 1 && only !== undefined && best <= MAX_EDITS && best < typed.length
    ? only.name
    : undefined;
}

const MAX_EDITS = 2;

/** Levenshtein distance: insertions, deletions and substitutions of one character. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
