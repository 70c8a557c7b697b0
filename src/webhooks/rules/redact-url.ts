/**
 * Replaces the password of `scheme://user:password@host…` with `xxxxx`, as Go's URL.Redacted()
 * does, wherever such a URL appears in `text`. Image URLs may carry registry credentials; they
 * must never be echoed back in admission errors, events or logs.
 */
export function redactUrlPasswords(text: string): string {
  return text.replace(/(\/\/[^/?#@\s"]*?:)[^/?#\s"]*(@)/g, '$1xxxxx$2');
}
