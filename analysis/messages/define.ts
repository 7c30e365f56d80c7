/**
 * A message catalogue for one area: the same keys in both languages (the type checks it).
 * Templates use {name} placeholders; {name:money}, {name:pct}, {name:date}, {name:int} and
 * {name:num} format the parameter for the language (see index.ts).
 */
export function defineMessages<K extends string>(m: {
  en: Record<K, string>;
  zh: Record<K, string>;
}): { en: Record<K, string>; zh: Record<K, string> } {
  return m;
}
