/**
 * Names folded for search, exactly as the database folds them (opensend_fold in migration 0003):
 * lower case, common accents removed, apostrophes dropped, any other mark splits words. "Zoë"
 * is found from "Zoe", "O’Brien" from "obrien", and either half of "Smith-Jones" from itself.
 */
const ACCENTS: Record<string, string> = {
  à: 'a',
  á: 'a',
  â: 'a',
  ã: 'a',
  ä: 'a',
  å: 'a',
  ā: 'a',
  ă: 'a',
  ą: 'a',
  ç: 'c',
  ć: 'c',
  č: 'c',
  ď: 'd',
  đ: 'd',
  è: 'e',
  é: 'e',
  ê: 'e',
  ë: 'e',
  ē: 'e',
  ė: 'e',
  ę: 'e',
  ě: 'e',
  ğ: 'g',
  ì: 'i',
  í: 'i',
  î: 'i',
  ï: 'i',
  ī: 'i',
  į: 'i',
  ı: 'i',
  ł: 'l',
  ľ: 'l',
  ĺ: 'l',
  ñ: 'n',
  ń: 'n',
  ň: 'n',
  ò: 'o',
  ó: 'o',
  ô: 'o',
  õ: 'o',
  ö: 'o',
  ō: 'o',
  ő: 'o',
  ø: 'o',
  ŕ: 'r',
  ř: 'r',
  ś: 's',
  š: 's',
  ş: 's',
  ș: 's',
  ť: 't',
  ţ: 't',
  ț: 't',
  ù: 'u',
  ú: 'u',
  û: 'u',
  ü: 'u',
  ū: 'u',
  ů: 'u',
  ű: 'u',
  ų: 'u',
  ý: 'y',
  ÿ: 'y',
  ž: 'z',
  ź: 'z',
  ż: 'z',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
};

export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .replace(/./gu, (ch) => ACCENTS[ch] ?? ch)
    .replace(/['’‘ʼ`´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words typed into a search box, folded: each must begin one of the pupil's name parts. */
export function searchWords(typed: string): string[] {
  return [
    ...new Set(
      foldForSearch(typed)
        .split(' ')
        .filter((w) => w.length > 0),
    ),
  ].slice(0, 5);
}
